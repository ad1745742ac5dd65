import BigInt
import Foundation
import Testing
@testable import Ethereum

@Suite struct RLPTests {
    /// ethereum/tests RLPTests/rlptest.json: encode `in`, compare with `out`, decode back.
    @Test func upstreamValidVectors() throws {
        let cases = try Vectors.json("rlptest.json")
        #expect(cases.count >= 28)
        for (name, value) in cases {
            let entry = value as! [String: Any]
            let item = Self.item(entry["in"]!)
            let expected = hex(entry["out"] as! String)
            #expect(RLP.encode(item) == expected, "\(name)")
            #expect(try RLP.decode(expected) == item, "\(name)")
        }
    }

    /// ethereum/tests RLPTests/invalidRLPTest.json: every case is refused.
    @Test func upstreamInvalidVectors() throws {
        let cases = try Vectors.json("invalidRLPTest.json")
        #expect(cases.count == 17)
        for (name, value) in cases {
            let bytes = hex((value as! [String: Any])["out"] as! String)
            #expect(throws: RLPError.self, "\(name)") { try RLP.decode(bytes) }
        }
    }

    @Test(arguments: [
        ("0x8100", RLPError.nonCanonicalSingleByte(at: 0)),
        ("0xb801ff", .nonCanonicalLength(at: 0)),
        ("0xb800", .leadingZeroInLength(at: 0)),
        ("0x83646f", .truncated(at: 0)),
        ("0x8080", .trailingBytes(count: 1)),
        ("0xc283", .truncated(at: 0)),
        ("0xc2c283", .truncated(at: 1)),
        ("0x", .truncated(at: 0)),
    ])
    func failureRows(input: String, error: RLPError) {
        #expect(throws: error) { try RLP.decode(hex(input)) }
    }

    @Test func integersRejectLeadingZeros() throws {
        #expect(throws: RLPError.leadingZero(field: "nonce")) { try RLPItem.bytes([0, 1]).uint64("nonce") }
        #expect(try RLPItem.bytes([]).uint64("nonce") == 0)
        #expect(RLPItem.uint(UInt64(1024)) == .bytes([0x04, 0x00]))
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = [UInt8](repeating: 0xc1, count: 5000) + [0xc0]
        #expect(throws: RLPError.self) { try RLP.decode(deep) }
    }

    static func item(_ value: Any) -> RLPItem {
        if let list = value as? [Any] { return .list(list.map(item)) }
        if let number = value as? Int { return number == 0 ? .bytes([]) : .uint(UInt64(number)) }
        let text = value as! String
        if text.hasPrefix("#") { return .bytes(Array(BigUInt(String(text.dropFirst()))!.serialize())) }
        return .bytes(Array(text.utf8))
    }
}
