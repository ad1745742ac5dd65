/// Why a hex string was refused. Each case carries the facts needed for a precise message.
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The string does not start with `0x`.
    case missingPrefix(String)
    /// A character that is not a hex digit, at this offset after the prefix.
    case invalidCharacter(Character, offset: Int)
    /// Byte strings need an even number of digits.
    case oddLength(Int)
    /// A fixed-size value had the wrong number of bytes.
    case lengthMismatch(expected: Int, got: Int)
    /// A quantity had leading zeros (`0x01`) or no digits (`0x`).
    case nonCanonicalQuantity(String)
    /// A quantity that does not fit the integer type.
    case overflow(String)

    public var description: String {
        switch self {
        case .missingPrefix(let text): "\"\(Hex.preview(text))\" does not start with 0x"
        case .invalidCharacter(let character, let offset):
            "\"\(character)\" at offset \(offset) is not a hex digit (0-9, a-f, A-F)"
        case .oddLength(let count): "\(count) hex digits is an odd number; bytes need two digits each"
        case .lengthMismatch(let expected, let got): "expected \(expected) bytes, got \(got)"
        case .nonCanonicalQuantity(let text):
            "\"\(Hex.preview(text))\" is not a canonical hex quantity (0x0, 0x1a: no leading zeros)"
        case .overflow(let text): "\"\(Hex.preview(text))\" is too large"
        }
    }
}
