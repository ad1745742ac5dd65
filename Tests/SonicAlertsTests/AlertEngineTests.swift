import Ethereum
import Foundation
import SonicStore
import Testing
@testable import SonicAlerts

/// Which alerts go off, once each, with what a person reads.
@Suite struct AlertEngineTests {
    let store: Store
    let engine: AlertEngine
    static let alice = try! Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let bob = try! Address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    /// `whole` S in wei.
    static func s(_ whole: Int) -> UInt256 { try! UInt256(parsing: "\(whole)000000000000000000") }

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite").path)
        engine = AlertEngine(repository: store)
    }

    /// Activity the indexer records for `address` (a backfill writes the same table).
    @discardableResult
    func record(_ label: String, _ address: Address, _ direction: ActivityEntry.Direction, _ wei: UInt256, token: String = "S",
                status: ActivityEntry.Status = .confirmed, reason: String? = nil) throws -> Hash32 {
        let hash = Hash32.keccak(Array(label.utf8))
        _ = try store.insertBackfilled([
            ActivityEntry(address: address, block: 9, txIndex: Int(hash.bytes[0]), seq: -1, hash: hash, time: 1_796_000_000,
                          kind: token == "S" ? .transfer : .tokenTransfer, direction: direction, counterparty: Self.bob, amountWei: wei,
                          tokenSymbol: token, tokenAddress: token == "S" ? nil : Self.bob, tokenDecimals: token == "SUSD" ? 6 : 18,
                          status: status, reason: reason),
        ], source: "test")
        return hash
    }

    func alert(_ kind: Alert.Kind, minimum: UInt256? = nil, days: Int? = nil, webhook: String? = nil) throws -> Int64 {
        try store.createAlert(Alert(address: Self.alice, kind: kind, minimumWei: minimum, days: days, webhookURL: webhook,
                                    webhookSecret: webhook == nil ? nil : "whsec_test", createdAt: Self.now))
    }

    func events() throws -> [AlertEvent] { try store.alertEvents(of: Self.alice, after: 0, limit: 100) }

    @Test func eachAlertGoesOffForWhatItWatchesOnceWithReadableWords() async throws {
        let any = try alert(.incoming), big = try alert(.incoming, minimum: Self.s(2)), large = try alert(.largeOutgoing, minimum: Self.s(100))
        let failed = try alert(.failed, webhook: "https://hooks.example.com/in")
        #expect(try await engine.evaluate(now: Self.now) == 0)  // the first pass starts at the newest entry
        try record("before", Self.alice, .incoming, Self.s(5))  // (already past: no alert for what came before)
        try store.setAlertCursor(try store.lastAddressChange())

        let small = try record("small", Self.alice, .incoming, 500_000_000_000_000_000)
        let token = try record("token", Self.alice, .incoming, 25_000_000, token: "SUSD")
        let big1 = try record("big", Self.alice, .incoming, 2_500_000_000_000_000_000)
        try record("out-small", Self.alice, .outgoing, Self.s(99))
        let out = try record("out-large", Self.alice, .outgoing, try! UInt256(parsing: "1234000000000000000000"))
        let broken = try record("broken", Self.alice, .outgoing, 0, status: .failed, reason: "insufficient allowance")
        try record("bob's", Self.bob, .incoming, Self.s(7))
        #expect(try await engine.evaluate(now: Self.now) == 6)
        #expect(try await engine.evaluate(now: Self.now) == 0)  // nothing new: nothing twice

        let byAlert = Dictionary(grouping: try events(), by: \.alertID)
        #expect(byAlert[any]?.map(\.hash) == [small, token, big1])
        #expect(byAlert[any]?.map(\.message) == ["Received 0.5 S from 0x3C44…93BC", "Received 25 SUSD from 0x3C44…93BC", "Received 2.5 S from 0x3C44…93BC"])
        #expect(byAlert[big]?.map(\.hash) == [big1])  // at least 2 S, and only S
        #expect(byAlert[large]?.map(\.message) == ["Sent 1,234 S to 0x3C44…93BC"] && byAlert[large]?.first?.hash == out)
        let failure = try #require(byAlert[failed]?.first)
        #expect(failure.hash == broken && failure.message.hasSuffix("failed: insufficient allowance"))
        #expect(failure.delivery == .pending && failure.nextAttemptAt == Self.now)  // its webhook is due
        #expect(byAlert[any]?.allSatisfy { $0.delivery == AlertEvent.Delivery.none } == true)  // page only
        // Each event is also an entry of the address's feed, so a waiting page learns of it.
        #expect(try store.addressChanges(of: Self.alice, after: 0, limit: 1_000).filter { $0.kind == .alert }.count == 6)
    }

    @Test func anAlertSetWhileTheEngineLagsIsNotSetOffByWhatCameBefore() async throws {
        try await engine.evaluate(now: Self.now)  // running; its next pass is still to come
        try record("earlier", Self.alice, .incoming, Self.s(3))
        let id = try alert(.incoming)
        #expect(try store.alerts(of: Self.alice).first?.startsAfter == store.lastAddressChange())
        let later = try record("later", Self.alice, .incoming, Self.s(1))
        #expect(try await engine.evaluate(now: Self.now) == 1)
        #expect(try events().map(\.hash) == [later] && events().map(\.alertID) == [id])
    }

    @Test func premiumEndingGoesOffOncePerEndDateWithinItsDays() async throws {
        let soon = try alert(.premiumEnding, days: 3)
        let ends = UInt64(Self.now.timeIntervalSince1970) + 2 * 86_400 + 60
        #expect(try await engine.checkPremium(now: Self.now) { _ in ends } == 1)
        #expect(try await engine.checkPremium(now: Self.now) { _ in ends } == 0)
        #expect(try events().map(\.message) == ["Premium ends on 2026-12-02 (in 2 days)"] && events()[0].alertID == soon)
        #expect(try await engine.checkPremium(now: Self.now) { _ in ends + 30 * 86_400 } == 0)  // extended: far off again
        #expect(try await engine.checkPremium(now: Self.now) { _ in 0 } == 0)  // never bought
    }

    @Test func removingAnAlertRemovesItsEventsAndOnlyItsOwnerMay() async throws {
        let id = try alert(.incoming)
        try await engine.evaluate(now: Self.now)
        try record("in", Self.alice, .incoming, Self.s(1))
        #expect(try await engine.evaluate(now: Self.now) == 1)
        #expect(try store.deleteAlert(id, of: Self.bob) == false)
        #expect(try store.deleteAlert(id, of: Self.alice) == true)
        #expect(try events().isEmpty && store.alerts(of: Self.alice).isEmpty)
    }
}
