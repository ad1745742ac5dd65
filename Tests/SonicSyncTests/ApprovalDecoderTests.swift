import Ethereum
import Foundation
import SonicChain
import SonicStore
import Testing
@testable import SonicSync

/// ERC-20 `Approval` events decoded into the allowance index and the owner's history.
@Suite struct ApprovalDecoderTests {
    typealias Fixture = ActivityDecoderTests
    static let router = "0x6666666666666666666666666666666666666666"
    let decoder = ActivityDecoderTests().decoder

    static func approvalLog(contract: String = Fixture.token, owner: String = Fixture.alice, spender: String = router, value: String) -> [String: Any] {
        ["address": contract, "topics": [Catalog.approvalTopic.description, Fixture.word(owner), Fixture.word(spender)], "data": Fixture.word(value)]
    }

    @Test func anApproveCallIsOneApprovalLineForTheOwnerWithTheFeeAndAnIndexedAllowance() throws {
        let input = Hex.encode(try ERC20.approve.calldata([.address(try Address(Self.router)), .uint(5_000_000)]))
        let decoded = decoder.decode(try Fixture.mined(to: Fixture.token, input: input, logs: [Self.approvalLog(value: "0x4c4b40")]), time: 7)
        let mine = decoded.entries.filter { $0.address == Fixture.alice.asAddress }
        #expect(mine.count == 1)
        #expect(mine[0].kind == .tokenApproval && mine[0].direction == .outgoing && mine[0].counterparty == Self.router.asAddress)
        #expect(mine[0].amountWei == 5_000_000 && mine[0].tokenSymbol == "SUSD" && mine[0].tokenDecimals == 6)
        #expect(mine[0].tokenAddress == Fixture.token.asAddress && mine[0].method == "approve" && mine[0].feeWei == 21000000000000)
        #expect(decoded.approvals == [TokenApproval(owner: Fixture.alice.asAddress, token: Fixture.token.asAddress, spender: Self.router.asAddress,
                                                    block: 16, logIndex: 0, valueWei: 5_000_000, hash: try Hash32(Fixture.hash), time: 7)])
        // The spender is not told: nothing of it is in its history.
        #expect(!decoded.entries.contains { $0.address == Self.router.asAddress })
    }

    @Test func anUnlimitedApprovalKeepsTheWholeValue() throws {
        let decoded = decoder.decode(try Fixture.mined(to: Fixture.token, input: "0x095ea7b3",
                                                       logs: [Self.approvalLog(value: "0x" + String(repeating: "f", count: 64))]), time: 0)
        #expect(decoded.approvals.first?.valueWei == .max)
    }

    @Test func anAllowanceLoweredByASpendersSwapIsIndexedButMakesNoLine() throws {
        // The router calls transferFrom; the token announces the lower allowance.
        let decoded = decoder.decode(try Fixture.mined(to: Self.router, input: "0x38ed1739", logs: [
            Fixture.transferLog(contract: Fixture.token, from: Fixture.alice, to: Self.router, amount: 1_000_000),
            Self.approvalLog(value: "0x3d0900"),
        ]), time: 0)
        #expect(decoded.approvals.map(\.valueWei) == [4_000_000])
        #expect(!decoded.entries.contains { $0.kind == .tokenApproval })
    }

    @Test func anNFTApprovalAndMalformedOnesAreNotAllowances() throws {
        let nftApproval: [String: Any] = ["address": Fixture.nft, "data": "0x",
                                          "topics": [Catalog.approvalTopic.description, Fixture.word(Fixture.alice), Fixture.word(Self.router), Fixture.word("0x7")]]
        let shortData: [String: Any] = ["address": Fixture.token, "data": "0x01",
                                        "topics": [Catalog.approvalTopic.description, Fixture.word(Fixture.alice), Fixture.word(Self.router)]]
        let decoded = decoder.decode(try Fixture.mined(to: Fixture.token, input: "0x095ea7b3", logs: [nftApproval, shortData]), time: 0)
        #expect(decoded.approvals.isEmpty)
        #expect(!decoded.entries.contains { $0.kind == .tokenApproval })
    }

    @Test func aFailedApproveIndexesNothing() throws {
        let decoded = decoder.decode(try Fixture.mined(to: Fixture.token, input: "0x095ea7b3", status: 0, logs: [Self.approvalLog(value: "0x1")]), time: 0)
        #expect(decoded.approvals.isEmpty)
        #expect(decoded.entries.first { $0.address == Fixture.alice.asAddress }?.status == .failed)
    }

    @Test func onlyKeptAddressesGetTheirApprovalsIndexed() throws {
        let decoded = decoder.decode(try Fixture.mined(to: Fixture.token, input: "0x095ea7b3", logs: [Self.approvalLog(value: "0x1")]), time: 0,
                                     keep: { $0 == Fixture.bob.asAddress })
        #expect(decoded.approvals.isEmpty && decoded.entries.isEmpty)
    }
}
