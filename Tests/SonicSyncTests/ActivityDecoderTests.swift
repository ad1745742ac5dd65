import Ethereum
import Foundation
import SonicChain
import SonicStore
import Testing
@testable import SonicSync

/// Decoding mined transactions into history entries, on transactions and receipts written as
/// a node sends them.
@Suite struct ActivityDecoderTests {
    static let alice = "0x1111111111111111111111111111111111111111"
    static let bob = "0x2222222222222222222222222222222222222222"
    static let token = "0x3333333333333333333333333333333333333333"
    static let nft = "0x4444444444444444444444444444444444444444"
    static let subscription = "0x5555555555555555555555555555555555555555"
    static let hash = "0x" + String(repeating: "ab", count: 32)

    let decoder = ActivityDecoder(catalog: Catalog(
        tokens: [token.asAddress: .init(symbol: "SUSD", decimals: 6), nft.asAddress: .init(symbol: "SONIC", decimals: 0)],
        nftContract: try! Address(nft), subscriptionContract: try! Address(subscription)))

    static func word(_ text: String) -> String { "0x" + String(repeating: "0", count: 64 - (text.count - 2)) + text.dropFirst(2) }

    static func mined(from: String = alice, to: String?, value: UInt64 = 0, input: String = "0x", status: Int = 1,
                      logs: [[String: Any]] = [], contractAddress: String? = nil) throws -> MinedTransaction {
        let transaction: [String: Any] = [
            "hash": hash, "nonce": "0x1", "blockHash": hash, "blockNumber": "0x10", "transactionIndex": "0x2", "from": from,
            "to": to ?? NSNull(), "value": "0x" + String(value, radix: 16), "gas": "0x186a0", "input": input, "type": "0x2",
        ]
        let receipt: [String: Any] = [
            "transactionHash": hash, "blockHash": hash, "blockNumber": "0x10", "from": from, "to": to ?? NSNull(),
            "gasUsed": "0x5208", "effectiveGasPrice": "0x3b9aca00", "contractAddress": contractAddress ?? NSNull(),
            "status": "0x" + String(status, radix: 16),
            "logs": logs.enumerated().map { index, log in
                log.merging(["blockNumber": "0x10", "blockHash": hash, "transactionHash": hash, "transactionIndex": "0x2",
                             "logIndex": "0x" + String(index, radix: 16)]) { $1 }
            },
        ]
        func decode<T: Decodable>(_ value: [String: Any]) throws -> T {
            try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: value))
        }
        return MinedTransaction(transaction: try decode(transaction), receipt: try decode(receipt), reason: status == 1 ? nil : "nope")
    }

    static func transferLog(contract: String, from: String, to: String, amount: UInt64) -> [String: Any] {
        ["address": contract, "topics": [Catalog.transferTopic.description, word(from), word(to)], "data": word("0x" + String(amount, radix: 16))]
    }

    @Test func nativeTransferIsOutForTheSenderWithTheFeeAndInForTheRecipient() throws {
        let decoded = decoder.decode(try Self.mined(to: Self.bob, value: 2_500_000_000_000_000_000), time: 1_700_000_000)
        #expect(decoded.entries.count == 2)
        let out = try #require(decoded.entries.first { $0.address == Self.alice.asAddress })
        #expect(out.kind == .transfer && out.direction == .outgoing && out.counterparty == Self.bob.asAddress)
        #expect(out.amountWei == 2500000000000000000 && out.tokenSymbol == "S")
        #expect(out.feeWei == 21000000000000)  // 21,000 gas at 1 gwei
        let incoming = try #require(decoded.entries.first { $0.address == Self.bob.asAddress })
        #expect(incoming.direction == .incoming && incoming.counterparty == Self.alice.asAddress && incoming.feeWei == nil)
        #expect(decoded.transaction.block == 16 && decoded.transaction.index == 2)
    }

    @Test func sendingToYourselfIsOneSelfEntry() throws {
        let decoded = decoder.decode(try Self.mined(from: Self.alice, to: Self.alice, value: 1), time: 0)
        #expect(decoded.entries.map(\.direction) == [.own])
    }

    @Test func tokenTransferCallBecomesOneTokenEntryCarryingTheFee() throws {
        let input = Hex.encode(try ERC20.transfer.calldata([.address(try Address(Self.bob)), .uint(1_500_000)]))
        let decoded = decoder.decode(try Self.mined(to: Self.token, input: input,
                                                    logs: [Self.transferLog(contract: Self.token, from: Self.alice, to: Self.bob, amount: 1_500_000)]),
                                     time: 0)
        let mine = decoded.entries.filter { $0.address == Self.alice.asAddress }
        #expect(mine.count == 1)
        #expect(mine[0].kind == .tokenTransfer && mine[0].direction == .outgoing && mine[0].amountWei == 1500000)
        #expect(mine[0].tokenSymbol == "SUSD" && mine[0].tokenDecimals == 6 && mine[0].tokenAddress == Self.token.asAddress)
        #expect(mine[0].feeWei == 21000000000000 && mine[0].method == "transfer" && mine[0].counterparty == Self.bob.asAddress)
        let theirs = decoded.entries.filter { $0.address == Self.bob.asAddress }
        #expect(theirs.map(\.kind) == [.tokenTransfer] && theirs[0].direction == .incoming && theirs[0].feeWei == nil)
        // The token contract was called: it sees the call.
        #expect(decoded.entries.contains { $0.address == Self.token.asAddress && $0.kind == .contractCall })
    }

    @Test func mintToYourselfIsOneMintEntryWithTheTokenID() throws {
        let input = Hex.encode(try NFTContract.mint.calldata([.address(try Address(Self.alice)), .string("ipfs://Qm")]))
        let minted: [String: Any] = [
            "address": Self.nft,
            "topics": [Catalog.mintedTopic.description, Self.word(Self.alice), Self.word("0x7")],
            "data": Hex.encode(try ABI.encode([.string("ipfs://Qm")], as: [.string])),
        ]
        let transfer: [String: Any] = ["address": Self.nft, "topics": [Catalog.transferTopic.description, Self.word(Catalog.zeroAddress.lowercased), Self.word(Self.alice),
                                                                       Self.word("0x7")], "data": "0x"]
        let decoded = decoder.decode(try Self.mined(to: Self.nft, value: 1_000, input: input, logs: [transfer, minted]), time: 5)
        let mine = decoded.entries.filter { $0.address == Self.alice.asAddress }
        #expect(mine.count == 1)
        #expect(mine[0].kind == .nftMint && mine[0].tokenID == 7 && mine[0].nftContract == Self.nft.asAddress)
        #expect(mine[0].amountWei == 1000 && mine[0].tokenSymbol == "S" && mine[0].method == "mint")
        #expect(decoded.nftTransfers == [NFTTransferRecord(contract: Self.nft.asAddress, tokenID: 7, block: 16, logIndex: 0, sender: Catalog.zeroAddress,
                                                           receiver: Self.alice.asAddress, tokenURI: "ipfs://Qm", hash: try Hash32(Self.hash), time: 5)])
    }

    @Test func subscriptionPurchaseIsNamed() throws {
        let input = Hex.encode(try SubscriptionContract.purchase.calldata([.uint(3)]))
        let decoded = decoder.decode(try Self.mined(to: Self.subscription, value: 30, input: input), time: 0)
        let mine = try #require(decoded.entries.first { $0.address == Self.alice.asAddress })
        #expect(mine.kind == .subscription && mine.amountWei == 30 && mine.method == "purchase")
    }

    @Test func failedCallKeepsItsReasonAndNoEvents() throws {
        let decoded = decoder.decode(
            try Self.mined(to: Self.token, input: "0xa9059cbb", status: 0,
                           logs: [Self.transferLog(contract: Self.token, from: Self.alice, to: Self.bob, amount: 1)]), time: 0)
        let mine = try #require(decoded.entries.first { $0.address == Self.alice.asAddress })
        #expect(mine.status == .failed && mine.reason == "nope" && mine.feeWei == 21000000000000)
        #expect(!decoded.entries.contains { $0.kind == .tokenTransfer })
        #expect(decoded.transaction.succeeded == false)
    }

    @Test func contractCreationNamesTheNewContract() throws {
        let decoded = decoder.decode(try Self.mined(to: nil, input: "0x6000", contractAddress: Self.token), time: 0)
        #expect(decoded.entries.count == 1)
        #expect(decoded.entries[0].kind == .contractCreation && decoded.entries[0].counterparty == Self.token.asAddress)
    }

    @Test func onlyKeptAddressesGetEntries() throws {
        let decoded = decoder.decode(try Self.mined(to: Self.bob, value: 1), time: 0, keep: { $0 == Self.bob.asAddress })
        #expect(decoded.entries.map(\.address) == [Self.bob.asAddress])
    }

    @Test func malformedTransferLogsAreIgnored() throws {
        var short = Self.transferLog(contract: Self.token, from: Self.alice, to: Self.bob, amount: 1)
        short["data"] = "0x01"
        let decoded = decoder.decode(try Self.mined(to: Self.token, input: "0x12345678", logs: [short]), time: 0)
        #expect(decoded.entries.allSatisfy { $0.kind == .contractCall })
    }
}

extension String {
    /// The address this text (`0x` and 40 hex digits) names, to compare with decoded entries.
    var asAddress: Address { try! Address(self) }
}
