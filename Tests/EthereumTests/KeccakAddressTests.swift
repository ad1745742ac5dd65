import Testing
@testable import Ethereum

@Suite struct Keccak256Tests {
    @Test(arguments: [
        ("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ("transfer(address,uint256)", "0xa9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(Hex.encode(Keccak256.hash(input)) == digest)
    }

    /// Inputs around the 136-byte rate: streaming in pieces must equal hashing at once.
    @Test(arguments: [135, 136, 137, 272, 1000])
    func streamingEqualsOneShot(length: Int) {
        let input = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = Keccak256()
        hasher.update(input[..<(length / 3)])
        hasher.update(input[(length / 3)...])
        #expect(hasher.finalize() == Keccak256.hash(input))
    }
}

@Suite struct AddressTests {
    /// The test vectors of EIP-55.
    @Test(arguments: [
        "0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ])
    func eip55Vectors(text: String) throws {
        let address = try Address(text)
        #expect(address.checksummed == text)
    }

    @Test func acceptsAllLowerAndAllUpperCase() throws {
        let lower = try Address("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        let upper = try Address("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")
        #expect(lower == upper)
        #expect(lower.description == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }

    @Test func refusesWrongChecksum() {
        #expect(throws: AddressError.self) { try Address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") }
    }

    @Test func refusesWrongLength() {
        #expect(throws: AddressError.wrongLength(19)) { try Address("0x" + String(repeating: "ab", count: 19)) }
    }
}
