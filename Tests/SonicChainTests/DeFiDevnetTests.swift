import BigInt
import Ethereum
import Foundation
import SonicConfig
import Testing
@testable import SonicChain

/// The bindings against the devnet's DeFi genesis, at the addresses `Network.devnet.defi`
/// gives: staking reads and failures decoded into plain reasons, a delegation's events,
/// wrapping, a swap checked against the pool's own maths, the feed. A fresh account (funded by
/// development account 1) does what changes state, so no other test sees it.
@Suite(.enabled(if: TestChain.available), .serialized)
struct DeFiDevnetTests {
    let client = TestChain.client()
    let defi = Network.devnet.defi
    var sfc: SFC { SFC(address: defi.sfc!.address, client: client) }
    /// `whole` S in wei.
    static func s(_ whole: UInt64) -> UInt256 { UInt256(BigUInt(whole) * BigUInt(10).power(18))! }
    static let oneS = s(1)

    /// A new account holding `amount` S, and a sender for it.
    func fundedAccount(_ amount: UInt256) async throws -> TransactionSender {
        let key = PrivateKey.generate()
        let receipt = try await TestChain.sender(key: TestChain.defiKey).sendAndWait(CallRequest(to: key.address, value: amount))
        #expect(receipt.succeeded)
        return TransactionSender(client: client, key: key, network: TestChain.network)
    }

    func failure(of request: CallRequest) async -> SFC.Failure? {
        do {
            _ = try await client.call(request)
            return nil
        } catch {
            return SFC.Failure(error)
        }
    }

    @Test func validatorsAndConstantsAreReadOnChain() async throws {
        #expect(try await sfc.version() == "4.0.6")
        let validators = try await sfc.validators()
        #expect(validators.map(\.id) == [1, 2, 3, 4])
        #expect(validators.map(\.isActive) == [true, true, true, false])
        #expect(validators[3].status == .offline && validators[3].status.description == "offline")
        #expect(try await sfc.selfStake(of: 3) == Self.s(100))
        let epoch = try await sfc.currentEpoch()
        #expect(try await sfc.currentSealedEpoch() == epoch - 1)
        #expect(try await sfc.epochValidatorIDs(epoch) == [1, 2, 3])
        let constants = try await sfc.constants()
        #expect(try await constants.withdrawalPeriodTime() == 3_600)
        #expect(try await constants.withdrawalPeriodEpochs() == 2)
        #expect(try await constants.maxDelegatedRatio() == Self.s(16))
        #expect(try await sfc.validator(99) == nil)
    }

    @Test func refusalsAreDecodedIntoPlainReasons() async throws {
        let address = defi.sfc!.address
        let someone = TestChain.keys[1].address
        let oneS = Self.oneS
        #expect(await failure(of: try SFC.delegateRequest(sfc: address, validator: 4, amount: oneS, from: someone)) == .validatorNotActive)
        #expect(await failure(of: try SFC.delegateRequest(sfc: address, validator: 99, amount: oneS, from: someone)) == .validatorNotExists)
        #expect(await failure(of: try SFC.delegateRequest(sfc: address, validator: 1, amount: .zero, from: someone)) == .zeroAmount)
        #expect(await failure(of: try SFC.claimRewardsRequest(sfc: address, validator: 1, from: PrivateKey.generate().address)) == .zeroRewards)
        #expect(await failure(of: try SFC.withdrawRequest(sfc: address, validator: 1, requestID: 5, from: someone)) == .requestNotExists)
        #expect(await failure(of: CallRequest(from: someone, to: address, value: oneS)) == .transfersNotAllowed)
        let tooMuch = Self.s(1_501)
        #expect(await failure(of: try SFC.delegateRequest(sfc: address, validator: 3, amount: tooMuch, from: someone)) == .validatorDelegationLimitExceeded)
    }

    @Test func delegationAndUndelegationAreLoggedAndTheWithdrawalWaits() async throws {
        let address = defi.sfc!.address
        let delegator = try await fundedAccount(Self.s(20))
        let me = delegator.key.address
        let amount = Self.s(10)
        let staked = try await delegator.sendAndWait(try SFC.delegateRequest(sfc: address, validator: 2, amount: amount, from: me))
        #expect(try staked.logs.compactMap(SFC.Event.init(log:)) == [.delegated(delegator: me, validatorID: 2, amount: amount)])
        #expect(try await sfc.stake(of: me, validator: 2) == amount)

        let part = Self.s(4)
        let unstaked = try await delegator.sendAndWait(try SFC.undelegateRequest(sfc: address, validator: 2, requestID: 1, amount: part, from: me))
        let events = try unstaked.logs.compactMap(SFC.Event.init(log:))
        #expect(events == [.undelegated(delegator: me, validatorID: 2, requestID: 1, amount: part)])
        #expect(events.first?.summary == "unstaked 4 S from validator 2 (withdrawal request 1)")
        let request = try #require(try await sfc.withdrawalRequest(of: me, validator: 2, id: 1))
        let epoch = try await sfc.currentEpoch()
        #expect(request.amount == part && request.epoch == epoch)

        let refusal = await failure(of: try SFC.withdrawRequest(sfc: address, validator: 2, requestID: 1, from: me))
        #expect(refusal == .notEnoughTimePassed)
        let opening = request.opening(periodTime: 3_600, periodEpochs: 2)
        #expect(opening.time == request.time + 3_600 && opening.epoch == request.epoch + 2)
        #expect(refusal?.explanation(opening: opening).hasPrefix("the withdrawal opens on ") == true)
    }

    @Test func rewardsOfASealedEpochAreClaimedExactly() async throws {
        let address = defi.sfc!.address
        let delegator = try await fundedAccount(Self.s(20))
        let me = delegator.key.address
        _ = try await delegator.sendAndWait(try SFC.delegateRequest(sfc: address, validator: 1, amount: Self.s(10), from: me))
        #expect(try await sfc.pendingRewards(of: me, validator: 1) == .zero)
        let sealed: [String] = try await client.call("sonic_sealEpoch", [.integer(1)])
        #expect(sealed.count == 1)
        let rewards = try await sfc.pendingRewards(of: me, validator: 1)
        #expect(rewards > .zero)

        let before = try await client.balance(of: me)
        let receipt = try await delegator.sendAndWait(try SFC.claimRewardsRequest(sfc: address, validator: 1, from: me))
        #expect(try receipt.logs.compactMap(SFC.Event.init(log:)) == [.claimedRewards(delegator: me, validatorID: 1, rewards: rewards)])
        #expect(try await client.balance(of: me) == before.adding(rewards)!.subtracting(receipt.fee)!)
        #expect(await failure(of: try SFC.claimRewardsRequest(sfc: address, validator: 1, from: me)) == .zeroRewards)
    }

    @Test func wrapThenSwapMatchesThePoolsMaths() async throws {
        let trader = try await fundedAccount(Self.s(30))
        let me = trader.key.address
        let wS = try #require(defi.wrappedNative).address
        let susd = try #require(defi.poolTokens.first { $0.symbol == "SUSD" })
        let wrapped = WrappedNative(address: wS, client: client)
        _ = try await trader.sendAndWait(try WrappedNative.depositRequest(token: wS, amount: Self.oneS, from: me))
        #expect(try await wrapped.erc20.balance(of: me) == Self.oneS)

        let router = UniswapV2Router(address: try #require(defi.router).address, client: client)
        #expect(try await router.wrappedNative() == wS)
        #expect(try await router.factory() == defi.factory?.address)
        let factory = UniswapV2Factory(address: try #require(defi.factory).address, client: client)
        let pair = try #require(try await factory.pair(wS, susd.address))
        let reserves = try await pair.reserves()
        let (reserveS, reserveUSD) = try await pair.token0() == wS ? (reserves.reserve0, reserves.reserve1) : (reserves.reserve1, reserves.reserve0)
        let amountIn = Self.s(5)
        let quote = try await router.amountsOut(amountIn, path: [wS, susd.address])
        #expect(quote.last == UniswapV2Pair.amountOut(amountIn, reserveIn: reserveS, reserveOut: reserveUSD))
        // About 2.5 SUSD (1 S = 0.50 SUSD) less the 0.3 % fee and the price impact.
        #expect(quote[1] > UInt256(2_480_000) && quote[1] < UInt256(2_500_000))

        let deadline = UInt64(Date().timeIntervalSince1970) + 3_600
        let swap = try UniswapV2Router.swapExactETHForTokensRequest(
            router: router.contract.address, amountIn: amountIn, minimumOut: quote[1], path: [wS, susd.address], to: me, deadline: deadline, from: me)
        #expect(try await trader.sendAndWait(swap).succeeded)
        #expect(try await ERC20(address: susd.address, client: client).balance(of: me) == quote[1])
    }

    @Test func theFeedAnswersWithItsDecimals() async throws {
        let round = try await PriceFeed(address: try #require(defi.priceFeed).address, client: client).latestRound()
        #expect(round.decimals == 8)
        #expect(round.answer == BigInt(50_000_000))
        #expect(round.price(now: round.updatedAt + 60, maximumAge: 3_600) == UInt256(50_000_000))
        #expect(round.price(now: round.updatedAt + 7_200, maximumAge: 3_600) == nil)
    }
}
