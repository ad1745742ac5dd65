import Ethereum
import Foundation
import AppTestSupport
import SonicStore
import Synchronization
import TestSupport
import Testing
@testable import SonicApp

/// Balances: fresh from the node, then from the cache for a block's time; stale with their age
/// while the node is down, up to the limit; refused after it. A clock of the test's, no sleeps.
@Suite struct BalanceServiceTests {
    @Test func aFreshAnswerIsKeptForItsTTLThenAskedAgain() async throws {
        let services = try TestServices(ttl: 1)
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(5) }
        let first = try await services.balances.balances(of: TestServices.alice, tokens: [])
        #expect(first.snapshot.native.balance == TestServices.s(5) && first.snapshot.native.formatted == "5")
        #expect(!first.stale && first.snapshot.block == 100)
        let reads = services.chain.reads

        services.clock.advance(0.5)
        let cached = try await services.balances.balances(of: TestServices.alice, tokens: [])
        #expect(services.chain.reads == reads)
        #expect(!cached.stale && cached.age == 0.5)

        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(3) }
        services.clock.advance(0.6)
        let again = try await services.balances.balances(of: TestServices.alice, tokens: [])
        #expect(services.chain.reads > reads)
        #expect(again.snapshot.native.formatted == "3" && again.age == 0)
    }

    @Test func whileTheNodeIsDownTheLastBalanceIsServedStaleWithItsAgeThenRefused() async throws {
        let services = try TestServices(ttl: 1, maxStaleness: 300)
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(5) }
        _ = try await services.balances.balances(of: TestServices.alice, tokens: [])
        services.chain.update { $0.down = true }

        services.clock.advance(120)
        let stale = try await services.balances.balances(of: TestServices.alice, tokens: [])
        #expect(stale.stale && stale.age == 120 && stale.snapshot.native.formatted == "5")
        #expect(String(decoding: stale.body, as: UTF8.self).hasSuffix(#""age_seconds":120.0,"stale":true}"#))

        services.clock.advance(181)
        await #expect(throws: AppError.self) { try await services.balances.balances(of: TestServices.alice, tokens: []) }
        do {
            _ = try await services.balances.balances(of: TestServices.alice, tokens: [])
        } catch {
            guard case .nodeUnavailable(let detail) = error else { Issue.record("\(error)"); return }
            #expect(detail.contains("301 s old") && detail.contains("300 s"))
        }
    }

    @Test func anAddressNeverReadIsRefusedWhileTheNodeIsDown() async throws {
        let services = try TestServices()
        services.chain.update { $0.down = true }
        await #expect(throws: AppError.nodeDown) { try await services.balances.balances(of: TestServices.bob, tokens: []) }
    }

    @Test func tokensAreReadAtTheSameBlockAndUnknownOrBrokenOnesSaySo() async throws {
        let services = try TestServices()
        services.chain.update { $0.tokenBalances[TestServices.token] = [TestServices.alice: UInt256(1_250_000)] }
        let answer = try await services.balances.balances(of: TestServices.alice, tokens: ["susd"])
        #expect(answer.snapshot.tokens.map(\.formatted) == ["1.25"] && answer.snapshot.tokens.first?.symbol == "SUSD")

        await #expect(throws: AppError.invalidInput(field: "tokens", summary: "Unknown token",
                                                    detail: "tokens: \"DOGE\" is not a token we know (known: SUSD) nor a contract address")) {
            try await services.balances.balances(of: TestServices.alice, tokens: ["DOGE"])
        }
        services.chain.update { $0.brokenTokens = [TestServices.token] }
        services.clock.advance(5)
        do {
            _ = try await services.balances.balances(of: TestServices.alice, tokens: ["SUSD"])
            Issue.record("a token that does not answer balanceOf must not give a balance")
        } catch {
            #expect(error.summary == "Bad token answer")
        }
    }
}

/// Many requests that find a balance old at once make one node fetch and one write of the
/// shared cache, not one write each.
@Suite struct BalanceFlightTests {
    /// A cache that counts its writes.
    final class CountingCache: CacheRepository {
        let values = Mutex<[String: [UInt8]]>([:])
        let writes = Mutex(0)
        func cached(_ key: String) async throws(StoreError) -> (value: [UInt8], storedAt: Date)? {
            values.withLock { $0[key] }.map { ($0, Date()) }
        }
        func cache(_ key: String, _ value: [UInt8], at date: Date) async throws(StoreError) {
            writes.withLock { $0 += 1 }
            values.withLock { $0[key] = value }
        }
        func invalidate(prefix: String) async throws(StoreError) {
            values.withLock { all in all = all.filter { !$0.key.hasPrefix(prefix) } }
        }
    }

    @Test func requestsForAnOldBalanceShareOneFetchAndOneCacheWrite() async throws {
        let services = try TestServices(ttl: 1)
        let cache = CountingCache()
        let balances = BalanceService(context: services.context, cache: cache, ttl: 1, maxStaleness: 300)
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(5) }
        _ = try await balances.balances(of: TestServices.alice, tokens: [])
        #expect(cache.writes.withLock { $0 } == 1)

        services.clock.advance(1.5)
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(4) }
        let reads = services.chain.reads
        let gate = DispatchSemaphore(value: 0)
        services.chain.update { $0.balanceGate = gate }
        let answers = (0..<20).map { _ in
            Task(executorPreference: QueueExecutor.shared) { try await balances.balances(of: TestServices.alice, tokens: []) }
        }
        #expect(eventually { balances.waiting(TestServices.alice) == 19 })
        services.chain.update { $0.balanceGate = nil }
        gate.signal()
        var shown: [String] = []
        for answer in answers { shown.append(try await answer.value.snapshot.native.formatted) }
        #expect(shown == Array(repeating: "4", count: 20))
        #expect(services.chain.reads == reads + 2)  // the head and the balance, once
        #expect(cache.writes.withLock { $0 } == 2)
    }
}
