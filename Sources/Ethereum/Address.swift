/// A 20-byte Ethereum account address.
///
/// Parsing accepts all-lower-case and all-upper-case hex, and mixed case only when it is the
/// correct EIP-55 checksum (a mistyped character is then caught). `description` prints the
/// checksummed form. See https://eips.ethereum.org/EIPS/eip-55
public struct Address: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// An address from exactly 20 bytes.
    public init(bytes: [UInt8]) throws(AddressError) {
        guard bytes.count == 20 else { throw .wrongLength(bytes.count) }
        self.bytes = bytes
    }

    /// An address from `0x` and 40 hex digits.
    /// - Throws: `AddressError` saying what is wrong with `text`.
    public init(_ text: String) throws(AddressError) {
        let raw: [UInt8]
        do { raw = try Hex.decode(text) } catch { throw .notHex(text, error) }
        guard raw.count == 20 else { throw .wrongLength(raw.count) }
        self.bytes = raw
        // Hex digits only by now: a-f is lower case, A-F upper.
        let digits = text.utf8.dropFirst(2)
        let hasLower = digits.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        if hasLower && hasUpper && !Self.checksumDigits(raw).elementsEqual(digits) {
            throw .badChecksum(text, expected: checksummed)
        }
    }

    /// EIP-55 mixed-case form.
    public var checksummed: String { "0x" + String(decoding: Self.checksumDigits(bytes), as: UTF8.self) }

    /// The 40 hex digits of the EIP-55 form: a letter is upper case where the Keccak-256 hash of
    /// the lower-case digits has a nibble of 8 or more.
    private static func checksumDigits(_ bytes: [UInt8]) -> [UInt8] {
        var digits = [UInt8](repeating: 0, count: 40)
        for (index, byte) in bytes.enumerated() {
            digits[2 * index] = Hex.digits[Int(byte >> 4)]
            digits[2 * index + 1] = Hex.digits[Int(byte & 0x0f)]
        }
        let hash = Keccak256.hash(digits)
        for index in digits.indices where digits[index] >= UInt8(ascii: "a") {
            let nibble = (hash[index / 2] >> (index % 2 == 0 ? 4 : 0)) & 0x0f
            if nibble >= 8 { digits[index] -= 32 }
        }
        return digits
    }

    /// All lower-case `0x…`, the form used as a key and in JSON-RPC requests.
    public var lowercased: String { Hex.encode(bytes) }

    public var description: String { checksummed }
}

/// Why a text is not an address.
public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case notHex(String, HexError)
    case wrongLength(Int)
    case badChecksum(String, expected: String)

    public var description: String {
        switch self {
        case .notHex(let text, let error): "\"\(Hex.preview(text))\" is not an address: \(error)"
        case .wrongLength(let count): "an address is 20 bytes (0x and 40 hex digits), got \(count) bytes"
        case .badChecksum(let text, _):
            "\"\(text)\" has a wrong EIP-55 checksum (mixed case must match it; all lower or upper case is accepted)"
        }
    }
}
