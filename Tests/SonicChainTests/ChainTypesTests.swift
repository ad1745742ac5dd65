import Ethereum
import Foundation
import Testing
import SonicChain

/// Decoded RPC answers carry `Address` and `Hash32`: a value of the wrong length is refused
/// while decoding, naming the field, instead of reaching the indexer or the watcher.
@Suite struct ChainTypesTests {
    static let hash = "0x" + String(repeating: "ab", count: 32)
    static let from = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"

    static func receipt(transactionHash: String = hash, from: String = from) -> String {
        """
        {"transactionHash":"\(transactionHash)","blockHash":"\(hash)","blockNumber":"0x10","from":"\(from)","to":null,
         "gasUsed":"0x5208","effectiveGasPrice":"0x1","contractAddress":"0x5fbdb2315678afecb367f032d93f642f64180aa3","logs":[],"status":"0x1"}
        """
    }

    @Test func aReceiptDecodesIntoTypedValues() throws {
        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(Self.receipt().utf8))
        #expect(try receipt.transactionHash == Hash32(Self.hash) && receipt.from == Address(Self.from) && receipt.to == nil)
        #expect(receipt.contractAddress?.checksummed == "0x5FbDB2315678afecb367f032d93F642f64180aa3")
    }

    @Test(arguments: [
        (Self.receipt(transactionHash: "0xabcd"), "transactionHash"),
        (Self.receipt(from: "0x1234"), "from"),
    ])
    func aWrongLengthIsRefusedNamingTheField(json: String, field: String) {
        do {
            _ = try JSONDecoder().decode(Receipt.self, from: Data(json.utf8))
            Issue.record("\(field) of the wrong length must be refused")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == [field])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// A hostile node's numbers: past 2^63 - 1, negative, not hex, or a million digits long.
    /// Each is refused while decoding (quickly, naming the field); the largest accepted value
    /// converts to `Int64` without a trap.
    @Test(arguments: [
        ("0x" + String(repeating: "f", count: 64), false),       // 2^256 - 1
        ("0xffffffffffffffff", false),                           // 2^64 - 1
        ("0x8000000000000000", false),                           // 2^63
        ("-0x1", false),
        ("0x-1", false),
        ("0x" + String(repeating: "1", count: 1_000_000), false),
        ("1e18", false),
        ("0x7fffffffffffffff", true),                            // 2^63 - 1
    ])
    func extremeQuantitiesAreRefusedNotTrappedOn(blockNumber: String, accepted: Bool) throws {
        let json = Self.receipt().replacingOccurrences(of: #""blockNumber":"0x10""#, with: #""blockNumber":"\#(blockNumber)""#)
        let started = Date()
        do {
            let receipt = try JSONDecoder().decode(Receipt.self, from: Data(json.utf8))
            #expect(accepted && Int64(receipt.blockNumber.value) == Int64.max)
        } catch let DecodingError.dataCorrupted(context) {
            #expect(!accepted && context.codingPath.map(\.stringValue) == ["blockNumber"])
        }
        #expect(Date().timeIntervalSince(started) < 1)
    }

    /// The gas margin on a node's estimate: checked, never an overflow.
    @Test func theGasMarginIsCheckedArithmetic() throws {
        #expect(try GasLimit.withMargin(21_000, margin: 0.2) == 25_200)
        #expect(try GasLimit.withMargin(GasLimit.maximum, margin: 0.2) == GasLimit.maximum + GasLimit.maximum / 5)
        #expect(throws: ChainError.self) { try GasLimit.withMargin(GasLimit.maximum + 1, margin: 0.2) }
        #expect(throws: ChainError.self) { try GasLimit.withMargin(.max, margin: 0.2) }
    }
}
