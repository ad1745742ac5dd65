import Ethereum
import Foundation
import AppTestSupport
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
