import BigInt
import Testing
@testable import Ethereum

@Suite struct ABITests {
    /// Examples of the Solidity ABI specification.
    @Test func specificationExamples() throws {
        let baz = try ABISignature(parsing: "baz(uint32 x, bool y) returns (bool r)")
        #expect(Hex.encode(try baz.calldata([.uint(69), .bool(true)])) ==
            "0xcdcd77c0" + "0000000000000000000000000000000000000000000000000000000000000045"
            + "0000000000000000000000000000000000000000000000000000000000000001")

        let sam = try ABISignature(parsing: "function sam(bytes memory, bool, uint[] memory)")
        #expect(Hex.encode(sam.selector) == "0xa5643bf2")
        #expect(Hex.encode(try sam.calldata([.bytes(Array("dave".utf8)), .bool(true), .array([.uint(1), .uint(2), .uint(3)])])) ==
            "0xa5643bf2"
            + "0000000000000000000000000000000000000000000000000000000000000060"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "00000000000000000000000000000000000000000000000000000000000000a0"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "6461766500000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000003"
            + "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000003")

        let f = try ABISignature(parsing: "f(uint256,uint32[],bytes10,bytes)")
        let data = try f.calldata([.uint(0x123), .array([.uint(0x456), .uint(0x789)]), .bytes(Array("1234567890".utf8)),
                                   .bytes(Array("Hello, world!".utf8))])
        #expect(Hex.encode(data) ==
            "0x8be65246"
            + "0000000000000000000000000000000000000000000000000000000000000123"
            + "0000000000000000000000000000000000000000000000000000000000000080"
            + "3132333435363738393000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000000000000000000000000000e0"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "0000000000000000000000000000000000000000000000000000000000000456"
            + "0000000000000000000000000000000000000000000000000000000000000789"
            + "000000000000000000000000000000000000000000000000000000000000000d"
            + "48656c6c6f2c20776f726c642100000000000000000000000000000000000000")
        #expect(try f.decodeCalldata(data) == [.uint(0x123), .array([.uint(0x456), .uint(0x789)]), .bytes(Array("1234567890".utf8)),
                                               .bytes(Array("Hello, world!".utf8))])
    }

    @Test(arguments: [
        ("uint", "uint256"), ("int", "int256"), ("tuple(uint8,bool)[2]", "(uint8,bool)[2]"), ("(address,(bytes,string)[])", "(address,(bytes,string)[])"),
        ("bytes32[][3]", "bytes32[][3]"), ("(bool success, bytes returnData)[]", "(bool,bytes)[]"),
        ("( address target , bool allowFailure,bytes callData)[]", "(address,bool,bytes)[]"),
    ])
    func typesParseToCanonicalText(text: String, canonical: String) throws {
        #expect(try ABIType(parsing: text).description == canonical)
    }

    @Test(arguments: ["uint7", "uint264", "bytes33", "bytes0", "int08", "address[0]", "(uint8", "foo", "uint256[", ""])
    func badTypesAreRefused(text: String) {
        #expect(throws: ABIError.invalidType(text)) { try ABIType(parsing: text) }
    }

    @Test func valuesOutOfRangeAreRefused() {
        #expect(throws: ABIError.self) { try ABI.encode([.uint(256)], as: [.uint(bits: 8)]) }
        #expect(throws: ABIError.self) { try ABI.encode([.int(-129)], as: [.int(bits: 8)]) }
        #expect(throws: ABIError.self) { try ABI.encode([.bytes([1, 2])], as: [.fixedBytes(3)]) }
        #expect(throws: ABIError.countMismatch(expected: 2, got: 1)) { try ABI.encode([.bool(true)], as: [.bool, .bool]) }
    }

    @Test func negativeIntegersRoundTrip() throws {
        let encoded = try ABI.encode([.int(-1), .int(-128)], as: [.int(bits: 256), .int(bits: 8)])
        #expect(encoded.prefix(32).allSatisfy { $0 == 0xff })
        #expect(try ABI.decode(encoded, as: [.int(bits: 256), .int(bits: 8)]) == [.int(-1), .int(-128)])
    }

    @Test func strictDecoding() {
        var dirtyBool = [UInt8](repeating: 0, count: 32)
        dirtyBool[31] = 2
        #expect(throws: ABIError.outOfRange(type: "bool", offset: 0)) { try ABI.decode(dirtyBool, as: [.bool]) }
        var dirtyAddress = [UInt8](repeating: 0, count: 32)
        dirtyAddress[0] = 1
        #expect(throws: ABIError.nonZeroPadding(offset: 0)) { try ABI.decode(dirtyAddress, as: [.address]) }
        #expect(throws: ABIError.truncated(offset: 0, needed: 32)) { try ABI.decode([1, 2, 3], as: [.uint(bits: 256)]) }
        var hugeOffset = [UInt8](repeating: 0, count: 32)
        hugeOffset[0] = 0xff
        #expect(throws: ABIError.invalidOffset(offset: 0)) { try ABI.decode(hugeOffset, as: [.bytes]) }
    }

    @Test func eventLogDecoding() throws {
        let transfer = try ABISignature(parsing: "event Transfer(address indexed from, address indexed to, uint256 value)")
        #expect(Hex.encode(transfer.topic) == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        let from = try Address("0x8ba1f109551bD432803012645Ac136ddd64DBA72")
        let to = try Address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let arguments = try transfer.decodeLog(
            topics: [transfer.topic, ABI.pad(from.bytes), ABI.pad(to.bytes)], data: try ABI.encode([.uint(1000)], as: [.uint(bits: 256)]))
        #expect(arguments.map(\.name) == ["from", "to", "value"])
        #expect(arguments.map(\.value) == [.address(from), .address(to), .uint(1000)])
    }

    @Test func revertReasons() throws {
        let message = RevertReason.errorSelector + (try ABI.encode([.string("not enough S")], as: [.string]))
        #expect(RevertReason(data: message) == .message("not enough S"))
        let panic = RevertReason.panicSelector + (try ABI.encode([.uint(0x11)], as: [.uint(bits: 256)]))
        #expect(RevertReason(data: panic).description == "panic 0x11: arithmetic overflow or underflow")
        let custom = try ABISignature(parsing: "error InsufficientBalance(uint256 available, uint256 required)")
        let data = try custom.calldata([.uint(1), .uint(2)])
        #expect(RevertReason(data: data, errors: [custom]) == .custom(name: "InsufficientBalance", arguments: [.uint(1), .uint(2)]))
        #expect(RevertReason(data: data) == .unknown(data))
        #expect(RevertReason(data: []) == .empty)
    }

    @Test func commandLineValues() throws {
        let type = try ABIType(parsing: "(address,uint256[],string)")
        let value = try ABIValue(parsing: "(0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, [1, 0x10], \"a, b\")", as: type)
        #expect(value == .tuple([.address(try Address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")), .array([.uint(1), .uint(16)]), .string("a, b")]))
        #expect(value.text == "(0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, [1, 16], \"a, b\")")
        #expect(throws: ABIError.self) { try ABIValue(parsing: "yes", as: .bool) }
    }
}
