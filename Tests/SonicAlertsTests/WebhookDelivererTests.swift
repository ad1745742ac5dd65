import Crypto
import Ethereum
import Foundation
import SonicChain
import SonicStore
import TestSupport
import Testing
@testable import SonicAlerts

/// Webhooks: the body and signature a receiver checks, retries with backoff, a log of attempts,
/// and never a private destination unless allowed.
@Suite(.serialized) struct WebhookDelivererTests {
    let store: Store
    let transport = CurlMultiTransport(connectTimeout: 1, totalTimeout: 5, threadName: "curl-test-hooks")
    static let alice = AlertEngineTests.alice
    static let now = AlertEngineTests.now

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("hooks-\(UUID().uuidString).sqlite").path)
    }

    /// An incoming-transfer alert to `url` that has gone off once; answers its event.
    func wentOff(to url: String) throws -> AlertEvent {
        let id = try store.createAlert(Alert(address: Self.alice, kind: .incoming, webhookURL: url, webhookSecret: "whsec_4f2a", createdAt: Self.now))
        let hash = Hash32.keccak(Array("in".utf8))
        #expect(try store.recordAlertEvent(AlertEvent(alertID: id, address: Self.alice, kind: .incoming, key: "\(hash)", hash: hash,
                                                      amountWei: 2_500_000_000_000_000_000, tokenSymbol: "S", tokenDecimals: 18,
                                                      message: "Received 2.5 S from 0x3C44…93BC", createdAt: Self.now, delivery: .pending,
                                                      nextAttemptAt: Self.now)))
        return try #require(store.alertEvents(of: Self.alice, after: 0, limit: 1).first)
    }

    @Test func aDeliveryIsSignedSoTheReceiverCanCheckIt() async throws {
        let receiver = HTTPStub { _ in (200, "{}") }
        defer { receiver.stop(); transport.stop() }
        let event = try wentOff(to: receiver.url + "/hooks/sonic")
        let deliverer = WebhookDeliverer(repository: store, transport: transport, allowPrivate: true)
        #expect(try await deliverer.deliverDue(now: Self.now) == 1)
        let request = try #require(receiver.requests.first)
        #expect(request.method == "POST" && request.target == "/hooks/sonic" && request.headers["content-type"] == "application/json")
        #expect(request.headers["x-smart-sonic-event"] == "\(event.id)")
        // The receiver's check, written here from the documented scheme: HMAC-SHA256 over "<t>.<body>".
        let signature = try #require(request.headers["x-smart-sonic-signature"])
        let parts = Dictionary(uniqueKeysWithValues: signature.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map { ($0[0], $0[1]) })
        let expected = HMAC<SHA256>.authenticationCode(for: Array("\(parts["t"]!).".utf8) + request.body, using: SymmetricKey(data: Array("whsec_4f2a".utf8)))
        #expect(parts["v1"] == Data(expected).map { String(format: "%02x", $0) }.joined())
        #expect(parts["t"] == "\(Int(Self.now.timeIntervalSince1970))")
        let body = try #require(request.json)
        #expect(body["type"] as? String == "incoming" && body["amount_wei"] as? String == "2500000000000000000" && body["token"] as? String == "S")
        #expect(body["message"] as? String == "Received 2.5 S from 0x3C44…93BC" && body["address"] as? String == Self.alice.checksummed)
        #expect(!String(decoding: request.body, as: UTF8.self).contains("whsec"))  // the secret is never sent
        let logged = try #require(store.alertEvents(of: Self.alice, after: 0, limit: 1).first)
        #expect(logged.delivery == .delivered && logged.attempts == 1 && logged.deliveredAt == Self.now)
        #expect(try await deliverer.deliverDue(now: Self.now.addingTimeInterval(3_600)) == 0 && receiver.requests.count == 1)  // once
    }

    @Test func aFailingReceiverIsTriedAgainWithBackoffThenGivenUp() async throws {
        let receiver = HTTPStub { _ in (503, "{}") }
        defer { receiver.stop(); transport.stop() }
        _ = try wentOff(to: receiver.url + "/down")
        let deliverer = WebhookDeliverer(repository: store, transport: transport, allowPrivate: true)
        var clock = Self.now
        for (attempt, delay) in WebhookDeliverer.retryDelays.enumerated() {
            #expect(try await deliverer.deliverDue(now: clock) == 0)
            let logged = try #require(store.alertEvents(of: Self.alice, after: 0, limit: 1).first)
            #expect(logged.attempts == attempt + 1 && logged.delivery == .pending && logged.lastError == "answered HTTP 503")
            #expect(logged.nextAttemptAt == clock.addingTimeInterval(delay))
            #expect(try await deliverer.deliverDue(now: clock.addingTimeInterval(delay - 1)) == 0)  // not before its time
            #expect(receiver.requests.count == attempt + 1)
            clock = clock.addingTimeInterval(delay)
        }
        #expect(try await deliverer.deliverDue(now: clock) == 0)
        let last = try #require(store.alertEvents(of: Self.alice, after: 0, limit: 1).first)
        #expect(last.delivery == .failed && last.attempts == WebhookDeliverer.retryDelays.count + 1 && last.nextAttemptAt == nil)
        #expect(try await deliverer.deliverDue(now: clock.addingTimeInterval(86_400)) == 0 && receiver.requests.count == last.attempts)
    }

    @Test func aPrivateDestinationIsNeverCalledUnlessAllowed() async throws {
        let receiver = HTTPStub { _ in (200, "{}") }
        defer { receiver.stop(); transport.stop() }
        _ = try wentOff(to: "http://localhost:\(receiver.port)/internal")
        let deliverer = WebhookDeliverer(repository: store, transport: transport, allowPrivate: false)
        #expect(try await deliverer.deliverDue(now: Self.now) == 0)
        #expect(receiver.requests.isEmpty)
        let logged = try #require(store.alertEvents(of: Self.alice, after: 0, limit: 1).first)
        #expect(logged.lastError?.hasPrefix("not sent: localhost is a loopback, private or reserved address") == true)
    }
}
