import AppTestSupport
import Ethereum
import Foundation
@testable import SonicApp
import SonicHTTP
import SonicStore
import Synchronization
import Testing
@testable import SonicAPI

/// The live dashboard's per-address feed: `GET /api/feed/{address}` answers the address's new
/// entries of the change log at once, or waits for the next one without a thread.
@Suite struct AddressFeedTests {
    let endpoint = try! EndpointTests()
    var app: App { endpoint.services.app }
    let alice = TestServices.alice

    /// Activity of `address` recorded by the indexer (a backfill writes the same table).
    func record(_ label: String, for address: Address) throws -> Hash32 {
        let hash = Hash32.keccak(Array(label.utf8))
        _ = try endpoint.services.store.insertBackfilled([
            ActivityEntry(address: address, block: 7, txIndex: label.count, seq: -1, hash: hash, time: 1_795_772_000, kind: .transfer,
                          direction: .incoming, counterparty: TestServices.bob, amountWei: 2_500_000_000_000_000_000, tokenSymbol: "S",
                          tokenDecimals: 18, status: .confirmed),
        ], source: "test")
        return hash
    }

    func feed(_ address: Address, _ query: String) -> TrackingLimitTests.Answer {
        let answer = TrackingLimitTests.Answer()
        endpoint.api.handle(Request(method: .get, path: "/api/feed/\(address.checksummed)", query: query, remoteAddress: "10.9.9.9"), respond: answer.put)
        return answer
    }

    @Test func aWaitingPageIsAnsweredWithTheNewActivityAndItsBalanceIsReadAgain() async throws {
        defer { app.waiters.wakeAll() }
        let start = try #require(feed(alice, "").response)
        let cursor = try #require(endpoint.json(start)["cursor"] as? Int)
        #expect(start.status == 200 && (endpoint.json(start)["changes"] as? [Any])?.isEmpty == true)
        #expect(endpoint.get("/api/balance/\(alice.checksummed)").status == 200)
        #expect(try app.balances.freshAnswer(of: alice, tokens: []) != nil)  // cached

        await app.feed.wakeChanged()  // the feed starts at the newest entry
        let waiting = feed(alice, "after=\(cursor)&wait=30")
        #expect(waiting.response == nil && app.waiters.count == 1)
        _ = try record("other", for: TestServices.bob)
        #expect(await app.feed.wakeChanged() == 1 && waiting.response == nil)  // someone else's activity: still waiting
        let hash = try record("incoming", for: alice)
        #expect(await app.feed.wakeChanged() == 1)
        let answer = try #require(waiting.response)
        let body = endpoint.json(answer)
        let changes = try #require(body["changes"] as? [[String: Any]])
        #expect(answer.status == 200 && answer.header("Cache-Control") == "no-store")
        #expect(changes.map { $0["hash"] as? String } == [hash.description] && body["cursor"] as? Int == changes[0]["seq"] as? Int)
        #expect(body["address"] as? String == alice.checksummed)
        #expect(try app.balances.freshAnswer(of: alice, tokens: []) == nil)  // forgotten: the page's next read asks the node
        #expect(app.waiters.count == 0)
    }

    @Test func entriesAfterTheCursorAreAnsweredAtOnceAndWaitZeroNeverWaits() async throws {
        let cursor = try await app.feed.cursor()
        let first = try record("one", for: alice), second = try record("second", for: alice)
        let now = try #require(feed(alice, "after=\(cursor)&wait=30").response)
        let hashes = (endpoint.json(now)["changes"] as? [[String: Any]])?.compactMap { $0["hash"] as? String }
        #expect(hashes == [first.description, second.description])
        let nextCursor = try #require(endpoint.json(now)["cursor"] as? Int)
        let nothing = try #require(feed(alice, "after=\(nextCursor)").response)
        #expect((endpoint.json(nothing)["changes"] as? [Any])?.isEmpty == true && endpoint.json(nothing)["cursor"] as? Int == nextCursor)
    }

    @Test(arguments: [
        ("after=-1", "after"), ("after=abc", "after"), ("after=99999999999999999999999", "after"),
        ("after=1&wait=61", "wait"), ("after=1&wait=x", "wait"),
    ])
    func badInputIsRefusedNamingTheField(query: String, field: String) throws {
        let answer = try #require(feed(alice, query).response)
        #expect(answer.status == 400 && endpoint.json(answer)["field"] as? String == field)
        let refused = endpoint.get("/api/feed/0x1234")
        #expect(refused.status == 400 && endpoint.json(refused)["field"] as? String == "address")
    }
}
