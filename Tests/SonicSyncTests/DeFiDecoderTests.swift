import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Testing
@testable import SonicSync

/// The SFC's, wS's and the router's events decoded into history lines, with the S they paid out
/// recorded as received (it is no transaction's top-level value).
@Suite struct DeFiDecoderTests {
    typealias Fixture = ActivityDecoderTests
    static let defi = DeFiContracts.devnet
    static let sfc = defi.sfc!.address.lowercased
    static let wS = defi.wrappedNative!.address.lowercased
    static let router = defi.router!.address.lowercased
    let decoder = ActivityDecoder(catalog: Catalog(sfc: defi.sfc!.address, wrappedNative: defi.wrappedNative!.address, router: defi.router!.address))

    static func log(_ contract: String, _ event: ABISignature, _ indexed: [String], data: [UInt64]) -> [String: Any] {
        ["address": contract, "topics": [Hex.encode(event.topic)] + indexed.map(Fixture.word),
         "data": "0x" + data.map { Fixture.word("0x" + String($0, radix: 16)).dropFirst(2) }.joined()]
    }

    func mine(_ decoded: ActivityDecoder.Decoded) -> [ActivityEntry] { decoded.entries.filter { $0.address == Fixture.alice.asAddress } }

    @Test func stakingLinesSayWhatMovedAndTheSFCsPayoutsAreReceived() throws {
        let delegate = decoder.decode(try Fixture.mined(to: Self.sfc, value: 100, input: Hex.encode(SFC.delegate.selector) + String(repeating: "0", count: 63) + "3",
                                                        logs: [Self.log(Self.sfc, SFC.Event.delegated, [Fixture.alice, "0x3"], data: [100])]), time: 1)
        #expect(mine(delegate).map(\.kind) == [.stake] && mine(delegate)[0].direction == .outgoing && mine(delegate)[0].amountWei == 100)

        let undelegate = decoder.decode(try Fixture.mined(to: Self.sfc, input: Hex.encode(SFC.undelegate.selector),
                                                          logs: [Self.log(Self.sfc, SFC.Event.undelegated, [Fixture.alice, "0x3", "0x1"], data: [50])]), time: 1)
        #expect(mine(undelegate).map(\.kind) == [.unstake] && mine(undelegate)[0].direction == .own && mine(undelegate)[0].feeWei != nil)

        let withdraw = decoder.decode(try Fixture.mined(to: Self.sfc, input: Hex.encode(SFC.withdraw.selector),
                                                        logs: [Self.log(Self.sfc, SFC.Event.withdrawn, [Fixture.alice, "0x3", "0x1"], data: [50, 0])]), time: 1)
        let paid = try #require(mine(withdraw).first)
        #expect(mine(withdraw).count == 1 && paid.kind == .stakeWithdrawal && paid.direction == .incoming && paid.amountWei == 50)
        #expect(paid.tokenAddress == nil && paid.tokenSymbol == "S" && paid.method == "withdraw")

        let claim = decoder.decode(try Fixture.mined(to: Self.sfc, input: Hex.encode(SFC.claimRewards.selector),
                                                     logs: [Self.log(Self.sfc, SFC.Event.claimedRewards, [Fixture.alice, "0x3"], data: [7])]), time: 1)
        #expect(mine(claim).map(\.kind) == [.rewardsClaim] && mine(claim)[0].direction == .incoming && mine(claim)[0].amountWei == 7)
        let restake = decoder.decode(try Fixture.mined(to: Self.sfc, input: Hex.encode(SFC.restakeRewards.selector),
                                                       logs: [Self.log(Self.sfc, SFC.Event.restakedRewards, [Fixture.alice, "0x3"], data: [7])]), time: 1)
        #expect(mine(restake).map(\.kind) == [.rewardsRestake] && mine(restake)[0].direction == .own)
    }

    @Test func aLookAlikeEventFromAnotherContractIsNotAPayout() throws {
        let fake = decoder.decode(try Fixture.mined(to: Fixture.token, input: "0x12345678",
                                                    logs: [Self.log(Fixture.token, SFC.Event.claimedRewards, [Fixture.alice, "0x3"], data: [7])]), time: 1)
        #expect(mine(fake).map(\.kind) == [.contractCall])
    }

    @Test func wrappingUnwrappingAndTheRoutersSPayout() throws {
        let wrap = decoder.decode(try Fixture.mined(to: Self.wS, value: 5, input: Hex.encode(WrappedNative.deposit.selector),
                                                    logs: [Self.log(Self.wS, WrappedNative.depositEvent, [Fixture.alice], data: [5])]), time: 1)
        #expect(mine(wrap).map(\.kind) == [.wrap] && mine(wrap)[0].amountWei == 5 && mine(wrap)[0].direction == .outgoing)
        let unwrap = decoder.decode(try Fixture.mined(to: Self.wS, input: Hex.encode(WrappedNative.withdraw.selector),
                                                      logs: [Self.log(Self.wS, WrappedNative.withdrawalEvent, [Fixture.alice], data: [2])]), time: 1)
        #expect(mine(unwrap).map(\.kind) == [.unwrap] && mine(unwrap)[0].direction == .incoming && mine(unwrap)[0].amountWei == 2)
        // swapExactTokensForETH(10, 9, [token, wS], alice, deadline): the router unwraps and pays alice.
        let input = try UniswapV2Router.swapExactTokensForETH.calldata([
            .uint(10), .uint(9), .array([.address(Fixture.token.asAddress), .address(Self.wS.asAddress)]), .address(Fixture.alice.asAddress), .uint(99)])
        let swap = decoder.decode(try Fixture.mined(to: Self.router, input: Hex.encode(input), logs: [
            Fixture.transferLog(contract: Fixture.token, from: Fixture.alice, to: Fixture.bob, amount: 10),
            Self.log(Self.wS, WrappedNative.withdrawalEvent, [Self.router], data: [9]),
        ]), time: 1)
        #expect(mine(swap).map(\.kind) == [.tokenTransfer, .contractPayout])
        #expect(mine(swap)[1].amountWei == 9 && mine(swap)[1].direction == .incoming && mine(swap)[1].tokenAddress == nil)
    }
}
