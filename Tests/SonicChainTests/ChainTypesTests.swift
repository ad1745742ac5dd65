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
}
