import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicHTTP
import SonicStore
import Synchronization
import Testing
@testable import SonicAPI

/// What one client may make the server hold: long-polls waiting, and hashes the node does not
/// know tracked on its say-so (issue 18).
@Suite struct TrackingLimitTests {
    static func hash(_ n: Int) -> Hash32 { try! Hash32("0x" + String(format: "%064x", n)) }

    /// Where a long-poll's answer is put (nil while it waits).
    final class Answer: Sendable {
        private let value = Mutex<Response?>(nil)
        var response: Response? { value.withLock { $0 } }
        func put(_ response: Response) { value.withLock { $0 = response } }
    }

    /// Sends a long-poll from `ip`.
    func longPoll(_ endpoint: EndpointTests, _ hash: Hash32, from ip: String) -> Answer {
        let answer = Answer()
        endpoint.api.handle(Request(method: .get, path: "/api/tx/\(hash)", query: "wait=30&since=pending", remoteAddress: ip), respond: answer.put)
        return answer
    }

    @Test func aClientPastItsLongPollsIsRefusedWith429AndOthersStillWait() throws {
        let endpoint = try EndpointTests(environment: ["SONIC_LONG_POLLS_PER_CLIENT": "2"])
        defer { endpoint.services.app.waiters.wakeAll() }
        for n in 1...3 { try endpoint.services.store.track(TrackedTransaction(hash: Self.hash(n), sender: nil, nonce: nil)) }
        let first = longPoll(endpoint, Self.hash(1), from: "10.0.0.1"), second = longPoll(endpoint, Self.hash(2), from: "10.0.0.1")
        #expect(first.response == nil && second.response == nil)
        let third = try #require(longPoll(endpoint, Self.hash(3), from: "10.0.0.1").response)
        #expect(third.status == 429 && third.header("Retry-After") == "1")
        #expect(endpoint.json(third)["detail"] as? String == "at most 2 requests may wait at once per client; ask again without wait, or when one of yours is answered")
        // Another client is not held back, and an answered wait frees its place.
        #expect(longPoll(endpoint, Self.hash(3), from: "10.0.0.2").response == nil)
        #expect(endpoint.services.app.waiters.count == 3)
        endpoint.services.app.waiters.wake(Self.hash(1).description)
        #expect(first.response?.status == 200)
        #expect(longPoll(endpoint, Self.hash(3), from: "10.0.0.1").response == nil)
    }

    @Test func hashesTheNodeDoesNotKnowAreTrackedAFewPerClientAndOnlyBriefly() async throws {
        let endpoint = try EndpointTests(environment: ["SONIC_UNKNOWN_TX_PER_CLIENT": "3", "SONIC_UNKNOWN_TX_SECONDS": "60"])
        let (services, known) = (endpoint.services, Self.hash(100))
        services.chain.update { $0.known = [known] }
        func track(_ hash: Hash32) -> Response { endpoint.post("/api/tx/track", json: #"{"hash":"\#(hash)"}"#) }
        for n in 1...3 { #expect(endpoint.json(track(Self.hash(n)))["status"] as? String == "pending") }
        let refused = track(Self.hash(4))
        #expect(refused.status == 429 && refused.header("Retry-After") == "60")
        #expect((endpoint.json(refused)["detail"] as? String)?.contains("at most 3 such hashes are tracked per client at once") == true)
        #expect(try services.store.trackedTransaction(Self.hash(4)) == nil)
        // One the node knows is tracked whatever the count; so is one already tracked.
        #expect(track(known).status == 200 && track(Self.hash(1)).status == 200)
        // The node learns of one; the others are dropped once their time is up, which frees the client's places.
        services.chain.update { $0.known.insert(Self.hash(1)) }
        services.clock.advance(61)
        #expect(await services.app.watcher.poll() == 2)
        #expect(try services.store.trackedTransaction(Self.hash(1))?.state == .pending)
        let dropped = try #require(try services.store.trackedTransaction(Self.hash(2)))
        #expect(dropped.state == .dropped && dropped.reason == "the node never knew this transaction in the 60 s it was tracked")
        #expect(endpoint.json(endpoint.get("/api/tx/\(Self.hash(2))"))["status"] as? String == "dropped")
        #expect(track(Self.hash(4)).status == 200)
    }
}
