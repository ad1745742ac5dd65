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
        if hasLower && hasUpper && checksummed != text {
            throw .badChecksum(text, expected: checksummed)
        }
    }

    /// EIP-55 mixed-case form.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes).utf8.dropFirst(2))
        let hash = Keccak256.hash(lower)
        var out = Array("0x".utf8)
        for (index, character) in lower.enumerated() {
            let nibble = (hash[index / 2] >> (index % 2 == 0 ? 4 : 0)) & 0x0f
            if character >= UInt8(ascii: "a") && nibble >= 8 {
                out.append(character - 32)
            } else {
                out.append(character)
            }
        }
        return String(decoding: out, as: UTF8.self)
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
