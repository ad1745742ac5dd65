import AppTestSupport
import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Testing
@testable import SonicApp

/// Staking and swaps over a fake chain: the overview's positions and withdrawal dates, each
/// delegator action's call and summary, the SFC's custom errors in plain words before signing,
/// and quotes checked against the V2 maths, with the approval first when the router needs one.
@Suite struct DeFiServiceTests {
    let services: TestServices
    static let me = TestServices.alice
    static let owner = try! Address("0x00000000000000000000000000000000000000C1")
    static let wS = DeFiContracts.devnet.wrappedNative!.address
    static let router = DeFiContracts.devnet.router!.address
    static let susd = DeFiContracts.devnet.poolTokens[0].address
    static let stt = DeFiContracts.devnet.poolTokens[1].address

    init() throws {
        services = try TestServices()
        services.chain.update { state in
            state.balances[Self.me] = TestServices.s(1_000)
            state.defi.validators = [
                SFC.Validator(id: 1, status: [], receivedStake: TestServices.s(50_000), auth: Self.owner, createdEpoch: 1, createdTime: 1),
                SFC.Validator(id: 4, status: .offline, receivedStake: TestServices.s(1_000), auth: Self.owner, createdEpoch: 1, createdTime: 1,
                              deactivatedTime: 5, deactivatedEpoch: 1),
            ]
            state.defi.stakes[Self.me] = [1: TestServices.s(100)]
            state.defi.rewards[Self.me] = [1: UInt256(1_500_000_000_000_000)]
            // Request 1 made at epoch 2, an hour before the head: it opens at +3,600 s and epoch 4.
            state.defi.requests[Self.me] = [SFC.WithdrawalRequest(validatorID: 1, id: 1, epoch: 2, time: 1_799_999_000, amount: TestServices.s(40))]
            state.defi.undelegated[Self.me] = [(1, 1)]
            state.defi.pool(Self.wS, TestServices.s(100_000), Self.susd, UInt256(50_000_000_000))
            state.defi.pool(Self.wS, TestServices.s(100_000), Self.stt, TestServices.s(1_000_000))
        }
    }

    static func customError(_ name: String) -> ChainError {
        .reverted(endpoint: "fake", method: "eth_estimateGas", reason: .unknown(Keccak256.hash("\(name)()").prefix(4).map { $0 }))
    }

    @Test func theOverviewListsValidatorsPositionsAndWhenEachRequestOpens() async throws {
        let overview = try await services.app.staking.overview(of: Self.me)
        #expect(overview.validators.map(\.status) == ["active", "offline"] && overview.validators.map(\.active) == [true, false])
        #expect(overview.positions.map(\.validator) == [1] && overview.positions[0].stakeFormatted == "100 S")
        #expect(overview.positions[0].rewardsFormatted == "0.0015 S" && overview.totalStaked == TestServices.s(100))
        #expect(overview.withdrawalPeriod.seconds == 3_600 && overview.withdrawalPeriod.epochs == 2)
        #expect(overview.commissionPercent == "15")
        services.chain.update { $0.defi.commission = UInt256(125_000_000_000_000_000) }  // 12.5 %: read each time, never kept
        #expect(try await services.app.staking.overview(of: Self.me).commissionPercent == "12.5")
        let request = try #require(overview.withdrawals.first)
        #expect(request.wrID == 1 && request.amountFormatted == "40 S" && request.opensEpoch == 4 && !request.open)
        #expect(request.opensAt == StakingService.date(1_799_999_000 + 3_600))
        services.chain.update { $0.defi.epoch = 4; $0.defi.headTime = 1_799_999_000 + 3_600 }
        #expect(try await services.app.staking.overview(of: Self.me).withdrawals.first?.open == true)
    }

    /// A receipt of `hash` whose one log is the SFC's `Undelegated(me, validator, id, amount)`.
    static func undelegatedReceipt(_ hash: Hash32, validator: UInt64, id: UInt64) throws -> Receipt {
        func word(_ value: UInt64) -> String { "0x" + String(repeating: "0", count: 64 - String(value, radix: 16).count) + String(value, radix: 16) }
        let json = """
            {"transactionHash":"\(hash)","blockHash":"0x\(String(repeating: "11", count: 32))","blockNumber":"0x5","from":"\(me.lowercased)",
             "to":"\(DeFiContracts.devnet.sfc!.address.lowercased)","gasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00","contractAddress":null,
             "status":"0x1","logs":[{"address":"\(DeFiContracts.devnet.sfc!.address.lowercased)","topics":["\(Hex.encode(SFC.Event.undelegated.topic))",
             "0x000000000000000000000000\(me.lowercased.dropFirst(2))","\(word(validator))","\(word(id))"],"data":"\(word(40))","blockNumber":"0x5",
             "blockHash":"0x\(String(repeating: "11", count: 32))","transactionHash":"\(hash)","transactionIndex":"0x0","logIndex":"0x0","removed":false}]}
            """
        return try JSONDecoder().decode(Receipt.self, from: Data(json.utf8))
    }

    @Test func aNodeThatRefusesTheLogQueryIsAnsweredFromTheIndexedUnstakes() async throws {
        let hash = Hash32.keccak([42])
        var batch = IndexBatch(chainHead: 5)
        batch.blocks = [IndexedBlock(number: 5, hash: .keccak([5]), parentHash: .keccak([4]), timestamp: 10)]
        batch.entries = [ActivityEntry(address: Self.me, block: 5, txIndex: 0, seq: 0, hash: hash, time: 10, kind: .unstake, direction: .own,
                                       counterparty: DeFiContracts.devnet.sfc!.address, amountWei: TestServices.s(40), tokenSymbol: "S",
                                       tokenDecimals: 18, status: .confirmed)]
        try services.store.apply(batch, chainID: 31337, at: Date())
        services.chain.update { state in
            state.defi.refusesLogs = true
            state.receipts[hash] = try! Self.undelegatedReceipt(hash, validator: 1, id: 1)
        }
        let overview = try await services.app.staking.overview(of: Self.me)
        #expect(overview.withdrawals.map(\.wrID) == [1] && overview.withdrawals.first?.amountFormatted == "40 S")
        let unstake = try await services.app.staking.prepare(from: Self.me, action: "undelegate", validator: 1, amount: "1", wrID: nil)
        #expect(unstake.summary.contains("(withdrawal request 2)"))
    }

    @Test func eachActionIsTheSFCCallWithItsSummary() async throws {
        let staking = services.app.staking
        let stake = try await staking.prepare(from: Self.me, action: "delegate", validator: 1, amount: "100", wrID: nil)
        #expect(stake.summary == "Stake 100 S with validator 1" && stake.tx.to == DeFiContracts.devnet.sfc!.address.checksummed)
        #expect(stake.tx.value == TestServices.s(100).hexQuantity && stake.tx.data.hasPrefix(Hex.encode(SFC.delegate.selector)))
        // A new request id after every one used with that validator.
        let unstake = try await staking.prepare(from: Self.me, action: "undelegate", validator: 1, amount: "50", wrID: nil)
        #expect(unstake.summary.hasPrefix("Unstake 50 S from validator 1 (withdrawal request 2); it can be withdrawn from "))
        #expect(unstake.summary.hasSuffix("once epoch 4 has begun") && unstake.tx.value == "0x0")
        let claim = try await staking.prepare(from: Self.me, action: "claim", validator: 1, amount: nil, wrID: nil)
        #expect(claim.summary == "Claim 0.0015 S of rewards from validator 1")
        let restake = try await staking.prepare(from: Self.me, action: "restake", validator: 1, amount: nil, wrID: nil)
        #expect(restake.tx.data.hasPrefix(Hex.encode(SFC.restakeRewards.selector)))
        let withdraw = try await staking.prepare(from: Self.me, action: "withdraw", validator: 1, amount: nil, wrID: nil)
        #expect(withdraw.summary == "Withdraw 40 S unstaked from validator 1 (withdrawal request 1)")
    }

    @Test func theSFCsRefusalsAreExplainedBeforeSigning() async throws {
        let staking = services.app.staking
        services.chain.update { $0.estimate = .failure(Self.customError("ValidatorNotActive")) }
        let inactive = try await staking.prepare(from: Self.me, action: "delegate", validator: 4, amount: "1", wrID: nil)
        #expect(!inactive.simulation.success && inactive.simulation.reason == "this validator is not active")
        #expect(inactive.summary == "Stake 1 S with validator 4 (offline)")
        services.chain.update { $0.estimate = .failure(Self.customError("NotEnoughTimePassed")) }
        let early = try await staking.prepare(from: Self.me, action: "withdraw", validator: 1, amount: nil, wrID: 1)
        #expect(early.simulation.reason == "the withdrawal opens on \(StakingService.date(1_799_999_000 + 3_600)), once epoch 4 has begun")
        services.chain.update { $0.estimate = .failure(Self.customError("ZeroRewards")) }
        let nothing = try await staking.prepare(from: Self.me, action: "claim", validator: 1, amount: nil, wrID: nil)
        #expect(nothing.simulation.reason?.hasPrefix("nothing to claim yet") == true)
    }

    @Test func badStakingInputNamesTheField() async throws {
        let staking = services.app.staking
        for (action, validator, amount, wrID, field) in [
            ("bond", UInt64?(1), String?("1"), UInt64?.none, "action"), ("delegate", nil, "1", nil, "validator"),
            ("delegate", 9, "1", nil, "validator"), ("delegate", 1, nil, nil, "amount"), ("delegate", 1, "0.0000000000000000001", nil, "amount"),
            ("undelegate", 1, "100.5", nil, "amount"), ("undelegate", 1, "1", 1, "wr_id"), ("claim", 1, "1", nil, "amount"),
        ] {
            do {
                _ = try await staking.prepare(from: Self.me, action: action, validator: validator, amount: amount, wrID: wrID)
                Issue.record("\(action) \(String(describing: amount)) was accepted")
            } catch {
                #expect(error.field == field, "\(action): \(error)")
            }
        }
        await #expect(throws: AppError.conflict(summary: "No such withdrawal request",
                                                detail: "there is no withdrawal request 7 with validator 1 (never made, or already withdrawn)")) {
            try await staking.prepare(from: Self.me, action: "withdraw", validator: 1, amount: nil, wrID: 7)
        }
        await #expect(throws: AppError.self) { try await staking.prepare(from: Self.me, action: "delegate", validator: 1, amount: "5000", wrID: nil) }
    }

    @Test func aQuoteIsThePoolsMathsWithSlippageImpactRouteAndFee() async throws {
        let swaps = services.app.swaps
        let quote = try await swaps.quote(tokenIn: "S", tokenOut: "SUSD", amount: "100", slippage: nil, owner: nil)
        let expected = UniswapV2Pair.amountOut(TestServices.s(100), reserveIn: TestServices.s(100_000), reserveOut: UInt256(50_000_000_000))!
        #expect(quote.kind == .swap && quote.expectedOut == expected && quote.route == ["S", "SUSD"] && quote.path == [Self.wS, Self.susd])
        #expect(quote.minimumOut == UInt256(expected.value * 9_950 / 10_000)! && quote.slippagePercent == "0.5")
        // 100 of 100,000: the price moves about 0.1 % besides the fee.
        #expect(quote.priceImpactPercent == "0.09" && quote.fees.map(\.formatted) == ["0.3"] && quote.fees.map(\.token) == ["S"] && quote.deadline == 1_800_000_000 + 1_200)
        // Token to token through wS; slippage given.
        let through = try await swaps.quote(tokenIn: "SUSD", tokenOut: "STT", amount: "10", slippage: "1%", owner: nil)
        #expect(through.route == ["SUSD", "wS", "STT"] && through.slippagePercent == "1" && through.fees.map(\.token) == ["SUSD", "wS"])
        let wrap = try await swaps.quote(tokenIn: "S", tokenOut: "wS", amount: "2.5", slippage: nil, owner: nil)
        #expect(wrap.kind == .wrap && wrap.expectedOut == wrap.amountIn && wrap.contract == Self.wS && wrap.fees.isEmpty)
        for (tokenIn, tokenOut, amount, slippage, field) in [("S", "S", "1", String?.none, "token_out"), ("S", "SUSD", "1", "51", "slippage"),
                                                             ("S", "SUSD", "-1", nil, "amount"), ("DOGE", "S", "1", nil, "token_in")] {
            do {
                _ = try await swaps.quote(tokenIn: tokenIn, tokenOut: tokenOut, amount: amount, slippage: slippage, owner: nil)
                Issue.record("\(tokenIn)→\(tokenOut) was quoted")
            } catch {
                #expect(error.field == field, "\(error)")
            }
        }
    }

    @Test func aTokenSwapAsksForTheExactApprovalFirstThenSwaps() async throws {
        let swaps = services.app.swaps
        services.chain.update { $0.tokenBalances[Self.susd] = [Self.me: UInt256(20_000_000)] }
        let first = try await swaps.prepare(from: Self.me, tokenIn: "SUSD", tokenOut: "S", amount: "10", slippage: nil, minimumOut: nil)
        let approval = try #require(first.approval)
        #expect(first.approvalNeeded && first.transaction == nil && approval.summary == "Allow V2 router (\(Self.router.checksummed)) to spend up to 10 SUSD")
        #expect(approval.notices == nil)
        let unlimited = try await swaps.prepare(from: Self.me, tokenIn: "SUSD", tokenOut: "S", amount: "10", slippage: nil, minimumOut: nil,
                                                unlimitedApproval: true)
        #expect(unlimited.approval?.notices?.map(\.code) == [.unlimitedAllowance] && unlimited.approval?.tx.data.hasSuffix(String(repeating: "f", count: 64)) == true)
        services.chain.update { $0.allowances[Self.susd] = [Self.me: [Self.router: UInt256(10_000_000)]] }
        let then = try await swaps.prepare(from: Self.me, tokenIn: "SUSD", tokenOut: "S", amount: "10", slippage: nil, minimumOut: nil)
        let swap = try #require(then.transaction)
        #expect(!then.approvalNeeded && swap.tx.to == Self.router.checksummed && swap.tx.data.hasPrefix(Hex.encode(UniswapV2Router.swapExactTokensForETH.selector)))
        #expect(swap.summary.hasPrefix("Swap 10 SUSD for at least "))
        await #expect(throws: AppError.self) {
            try await swaps.prepare(from: Self.me, tokenIn: "SUSD", tokenOut: "S", amount: "30", slippage: nil, minimumOut: nil)
        }
        // A pool that moved below the minimum accepted is explained before signing.
        services.chain.update { $0.estimate = .failure(FakeChain.reverted("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT")) }
        let moved = try await swaps.prepare(from: Self.me, tokenIn: "S", tokenOut: "SUSD", amount: "1", slippage: nil, minimumOut: "600000")
        #expect(moved.transaction?.simulation.reason == "slippage exceeded: the pools now give less than the minimum of 0.6 SUSD you accepted; "
                + "quote again or allow more slippage")
    }

    func ask(_ message: String, in conversation: String? = nil) async throws -> AgentService.Answer {
        try await services.app.agent.handle(message: message, conversation: conversation, signedIn: Self.me)
    }

    @Test func theAgentCarriesOutStakingThroughTheService() async throws {
        let stake = try await ask("stake 100 S with validator 1")
        #expect(stake.reply.hasPrefix("Here is the stake to check: Stake 100 S with validator 1. The fee is about ") && stake.cards.count == 1)
        #expect(stake.cards.first?.prepared?.tx.value == TestServices.s(100).hexQuantity)
        let positions = try await ask("how much am I staking and what have I earned")
        #expect(positions.reply.hasPrefix("You stake 100 S in all (epoch 2):\n• 100 S with validator 1, 0.0015 S of rewards to claim"))
        #expect(positions.reply.contains("40 S unstaked from validator 1 (request 1): opens on "))
        let claim = try await ask("claim my rewards")
        #expect(claim.reply.hasPrefix("Here is the claim to check: Claim 0.0015 S of rewards from validator 1.") && claim.cards.count == 1)
        let early = try await ask("withdraw my unstaked S")
        #expect(early.reply.hasPrefix("Not yet: 40 S from validator 1 opens on ") && early.cards.isEmpty)
        services.chain.update { $0.defi.epoch = 4; $0.defi.headTime += 3_600 }
        let withdraw = try await ask("withdraw my unstaked S")
        #expect(withdraw.reply.hasPrefix("Here is the withdrawal to check: Withdraw 40 S unstaked from validator 1 (withdrawal request 1).") && withdraw.cards.count == 1)
        let unstake = try await ask("unstake half from validator 1")
        #expect(unstake.reply.hasPrefix("Here is the unstake to check: Unstake 50 S from validator 1 (withdrawal request 2)"), "\(unstake.reply)")
        services.chain.update { $0.estimate = .failure(Self.customError("ValidatorNotActive")) }
        let inactive = try await ask("stake 1 S with validator 4")
        #expect(inactive.reply.hasSuffix("Careful: it would fail: this validator is not active.") && inactive.cards.count == 1)
    }

    @Test func theAgentWrapsSwapsAndQuotesThroughTheService() async throws {
        let wrap = try await ask("wrap 10 S")
        #expect(wrap.reply.hasPrefix("Here is the wrap to check: Wrap 10 S into wS.") && wrap.cards.first?.prepared?.tx.to == Self.wS.checksummed)
        let swap = try await ask("swap 5 S for SUSD")
        #expect(swap.reply.hasPrefix("Here is the swap to check: Swap 5 S for at least ") && swap.reply.contains("Route S → SUSD, slippage 0.5%"))
        let quote = try await ask("what would 100 SUSD get me in S")
        #expect(quote.reply.hasPrefix("100 SUSD would get about ") && quote.reply.contains("route SUSD → S") && quote.cards.isEmpty)
        services.chain.update { $0.tokenBalances[Self.susd] = [Self.me: UInt256(20_000_000)] }
        let approval = try await ask("swap 10 SUSD for S")
        #expect(approval.reply.hasPrefix("Here is the approval to check: Allow V2 router") && approval.reply.contains("ask again and I'll prepare the swap"))
    }
}
