import Testing
@testable import Ethereum

@Suite struct HexTests {
    @Test(arguments: [
        ("0x", [UInt8]()),
        ("0x00", [0]),
        ("0xdeadBEEF", [0xde, 0xad, 0xbe, 0xef]),
        ("0X0a", [0x0a]),
    ])
    func decodesBytes(text: String, bytes: [UInt8]) throws {
        #expect(try Hex.decode(text) == bytes)
    }

    @Test(arguments: [
        ("deadbeef", HexError.missingPrefix("deadbeef")),
        ("0xabc", .oddLength(3)),
        ("0xzz", .invalidCharacter("z", offset: 0)),
        ("0x0g1", .invalidCharacter("g", offset: 1)),
        ("", .missingPrefix("")),
    ])
    func refusesMalformedBytes(text: String, error: HexError) {
        #expect(throws: error) { try Hex.decode(text) }
    }

    @Test func fixedLengthIsEnforced() {
        #expect(throws: HexError.lengthMismatch(expected: 20, got: 2)) { try Hex.decode("0x1234", count: 20) }
    }

    @Test func encodesLowerCase() {
        #expect(Hex.encode([0xAB, 0x01]) == "0xab01")
        #expect(Hex.encode([]) == "0x")
    }

    @Test(arguments: [("0x0", UInt64(0)), ("0x1a", 26), ("0xffffffffffffffff", .max)])
    func decodesQuantities(text: String, value: UInt64) throws {
        #expect(try Hex.quantity(text) == value)
        #expect(Hex.quantity(value) == text)
    }

    @Test(arguments: [
        ("0x", HexError.nonCanonicalQuantity("0x")),
        ("0x01", .nonCanonicalQuantity("0x01")),
        ("12", .missingPrefix("12")),
        ("0x10000000000000000", .overflow("0x10000000000000000")),
        ("0x1q", .invalidCharacter("q", offset: 1)),
    ])
    func refusesBadQuantities(text: String, error: HexError) {
        #expect(throws: error) { try Hex.quantity(text) }
    }

    @Test func errorMessagesQuoteTheInput() {
        #expect(HexError.missingPrefix("abc").description == "\"abc\" does not start with 0x")
    }
}
