import AppTestSupport
import Ethereum
import Foundation
import SonicAgent
import Testing
@testable import SonicApp

/// What the person sees of the agent's safety rules over a fake chain: warnings a card carries
/// and the prepare service enforces, one fee estimate, shares worked out exactly, several
/// transfers one nonce at a time, every token held.
@Suite struct AgentSafetyServiceTests {
    let services: TestServices
    var agent: AgentService { services.app.agent }
    static let me = TestServices.alice
    static let carol = try! Address("0x90F79bf6EB2c4f870365E785982E1f101E93b906")

    init() throws {
        services = try TestServices()
        services.chain.update {
            $0.balances[Self.me] = TestServices.s(12)
            $0.tokenBalances[TestServices.token] = [Self.me: UInt256(2_500_000)]
        }
    }

    func ask(_ message: String, in conversation: String? = nil) async throws(AppError) -> AgentService.Answer {
        try await agent.handle(message: message, conversation: conversation, signedIn: Self.me)
    }

    @Test(arguments: [
        ("0x0000000000000000000000000000000000000000", RecipientWarning.zeroAddress), ("0x000000000000000000000000000000000000dEaD", .burnAddress),
        (TestServices.token.checksummed, .tokenContract), (TestServices.subscriptionContract.checksummed, .ourContract),
        ("0x000000000000000000000000000000000000000a", .precompile), ("0x0000000000000000000000000000000000000100", .precompile),
        ("0xFC00FACE00000000000000000000000000000000", .systemContract), ("0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE", .burnAddress),
    ])
    func coinsThatCannotBeRecoveredGetAWarningToAcknowledge(to: String, warning: RecipientWarning) async throws {
        let answer = try await ask("send 1 S to \(to)")
        let card = try #require(answer.cards.first)
        #expect(card.warnings == [warning] && card.prepared?.warnings == [warning])
        #expect(answer.reply.contains("be recovered") && answer.reply.contains("acknowledge"))
        // The prepare service refuses the same transfer unless the request acknowledges the code.
        let recipient = try Address(to)
        await #expect { try await services.app.transactions.prepareTransfer(from: Self.me, to: recipient, amount: "1", token: nil) } throws: { error in
            (error as? AppError)?.field == "acknowledge"
        }
        let acknowledged = try await services.app.transactions.prepareTransfer(from: Self.me, to: recipient, amount: "1", token: nil, acknowledged: [warning])
        #expect(acknowledged.warnings == [warning])
        // An ordinary recipient carries none.
        #expect(try await ask("send 1 S to \(TestServices.bob.checksummed)").cards.first?.warnings == nil)
    }

    @Test func theGasAnswerAndTheCardGiveOneFeeEstimate() async throws {
        let card = try #require(try await ask("send 1 S to \(TestServices.bob.checksummed)").cards.first?.prepared)
        let gas = try await ask("how much will it cost to send 1 S?").reply
        #expect(gas.contains("costs about \(AgentService.fee(card.fee.estimatedWei)) S"), "\(gas) / \(card.fee.estimatedWei)")
        // A cost question naming the whole transfer (here a token's) gets that transfer's own estimate, and no card.
        let token = try #require(try await ask("send 1 SUSD to \(TestServices.bob.checksummed)").cards.first?.prepared)
        let cost = try await ask("what's the fee to send 1 SUSD to \(TestServices.bob.checksummed)?")
        #expect(cost.cards.isEmpty && cost.reply.hasPrefix("Sending 1 SUSD to \(TestServices.bob.checksummed) would cost about \(AgentService.fee(token.fee.estimatedWei)) S"))
    }

    @Test func sharesOfTheBalanceComeToExactAmounts() async throws {
        let all = try await ask("send all my S to \(TestServices.bob.checksummed)")
        let prepared = try #require(all.cards.first?.prepared)
        let value = try UInt256(parsing: prepared.tx.value)
        #expect(value.adding(prepared.maxFee) == TestServices.s(12))
        #expect(all.reply.hasPrefix("All your S less the most the fee can be comes to \(Units.exact(value, decimals: 18)) S."))
        let half = try await ask("send half my SUSD to \(TestServices.bob.checksummed)")
        #expect(half.cards.first?.prepared?.summary == "Send 1.25 SUSD to \(TestServices.bob.checksummed)")
    }

    @Test func severalTransfersWaitForThePreviousToBeSent() async throws {
        let first = try await ask("send 1 S to \(TestServices.bob.checksummed) and 2 S to \(Self.carol.checksummed)")
        #expect(first.reply.hasPrefix("You asked for 2 transfers: 1) 1 S to \(TestServices.bob.checksummed); 2) 2 S to \(Self.carol.checksummed)."))
        #expect(first.cards.first?.prepared?.tx.nonce == "0x7")
        let early = try await ask("next", in: first.conversation)
        #expect(early.cards.isEmpty && early.reply.hasPrefix("Transfer 1 of 2 is not sent yet"))
        services.chain.update { $0.nonce = 8 }
        let second = try await ask("next", in: first.conversation)
        #expect(second.cards.first?.prepared?.summary == "Send 2 S to \(Self.carol.checksummed)" && second.cards.first?.prepared?.tx.nonce == "0x8")
    }

    @Test func smallTalkAndYesAfterACard() async throws {
        #expect(try await ask("hi").reply.hasPrefix("Hello!"))
        let card = try await ask("send 1 S to \(TestServices.bob.checksummed)")
        let yes = try await ask("yes", in: card.conversation)
        #expect(yes.cards.isEmpty && yes.reply.hasPrefix("The confirmation happens in your wallet"))
        #expect(try await ask("thanks!", in: card.conversation).reply == "You're welcome! Ask me anytime.")
    }

    @Test func aDayOfHistoryIsCountedInUTC() {
        let midnight = 1_795_737_600.0  // 2026-11-27 00:00 UTC
        let noon = Date(timeIntervalSince1970: midnight + 43_200)
        #expect(AgentService.range(.today, now: noon) == (Date(timeIntervalSince1970: midnight), Date(timeIntervalSince1970: midnight + 86_400)))
        #expect(AgentService.range(.yesterday, now: noon) == (Date(timeIntervalSince1970: midnight - 86_400), Date(timeIntervalSince1970: midnight)))
        #expect(AgentService.range(.lastDays(7), now: noon).0 == Date(timeIntervalSince1970: midnight - 6 * 86_400))
    }
}
