import Testing
@testable import Ethereum

@Suite struct UnitsTests {
    @Test(arguments: [
        ("1.5", 18, "1500000000000000000"), ("1", 18, "1000000000000000000"), (".5", 18, "500000000000000000"),
        ("2.", 18, "2000000000000000000"), ("0.000000000000000001", 18, "1"), ("0", 18, "0"), ("1.25", 6, "1250000"),
        ("115792089237316195423570985008687907853269984665640564039457584007913129639935", 0,
         "115792089237316195423570985008687907853269984665640564039457584007913129639935"),
    ])
    func parsesExactly(text: String, decimals: Int, wei: String) throws {
        #expect(try Units.parse(text, decimals: decimals).description == wei)
    }

    @Test(arguments: [
        ("1.2.3", UnitsError.notADecimal("1.2.3")), ("", .notADecimal("")), (".", .notADecimal(".")), ("1e18", .notADecimal("1e18")),
        ("-1", .negative("-1")), ("1,5", .notADecimal("1,5")), (" 1", .notADecimal(" 1")),
        ("0.0000000000000000001", .tooManyDecimals("0.0000000000000000001", allowed: 18)),
        ("115792089237316195423570985008687907853269984665640564039458", .tooLarge("115792089237316195423570985008687907853269984665640564039458")),
    ])
    func refuses(text: String, error: UnitsError) {
        #expect(throws: error) { try Units.parse(text, decimals: 18) }
    }

    @Test(arguments: [
        ("1500000000000000000", 18, "1.5"), ("1", 18, "0.000000000000000001"), ("0", 18, "0"),
        ("1000000000000000000000", 18, "1000"), ("1250000", 6, "1.25"), ("42", 0, "42"),
    ])
    func formatsShortestExact(wei: String, decimals: Int, text: String) throws {
        #expect(Units.format(try UInt256(parsing: wei), decimals: decimals) == text)
    }

    @Test func displayCutsNeverRoundsUp() throws {
        let value = try Units.parse("1.999999", decimals: 18)
        #expect(Units.formatForDisplay(value, decimals: 18, places: 4) == "1.9999…")
        #expect(Units.formatForDisplay(try Units.parse("2.5", decimals: 18), decimals: 18, places: 4) == "2.5")
    }

    @Test func namedUnits() {
        #expect(Units.decimals(of: "gwei") == 9)
        #expect(Units.decimals(of: "ether") == 18)
        #expect(Units.decimals(of: "wei") == 0)
        #expect(Units.decimals(of: "6") == 6)
        #expect(Units.decimals(of: "parsec") == nil)
    }

    @Test func uint256Range() throws {
        #expect(throws: UnitsError.self) { try UInt256(parsing: "0x1" + String(repeating: "0", count: 64)) }
        #expect(try UInt256(parsing: "0xff").description == "255")
        #expect(UInt256.max.adding(1) == nil)
        #expect(UInt256(1).subtracting(2) == nil)
    }
}

@Suite struct Hash32AndGweiTests {
    @Test func hashes() throws {
        let hash = Hash32.keccak(Array("".utf8))
        #expect(hash.description == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(try Hash32(hash.description.uppercased().replacingOccurrences(of: "0X", with: "0x")) == hash)
        #expect(throws: HexError.lengthMismatch(expected: 32, got: 20)) { try Hash32("0x" + String(repeating: "ab", count: 20)) }
    }

    @Test func gwei() throws {
        #expect(try Units.parseGwei("50").description == "50000000000")
        #expect(try Units.parseGwei("1.5").description == "1500000000")
        #expect(Units.formatGwei(try UInt256(parsing: "50000000001")) == "50.000000001")
        #expect(throws: UnitsError.tooManyDecimals("0.0000000001", allowed: 9)) { try Units.parseGwei("0.0000000001") }
    }
}
