/// Strict `0x`-prefixed hexadecimal, as JSON-RPC and people write it.
///
/// Byte strings (`DATA`) need an even number of digits; quantities (`QUANTITY`) are canonical:
/// no leading zeros, `0x0` for zero. See https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding
public enum Hex {
    /// Lower-case hex digits by value.
    static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case `0x…` for bytes.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes from `0x…`; every character after the prefix must be a hex digit.
    /// - Throws: `HexError` naming the first problem.
    public static func decode(_ text: String) throws(HexError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X")
        else { throw .missingPrefix(text) }
        let body = utf8[2...]
        guard body.count % 2 == 0 else {
            if let bad = try firstInvalid(body) { throw bad }
            throw .oddLength(body.count)
        }
        var out = [UInt8]()
        out.reserveCapacity(body.count / 2)
        var index = body.startIndex
        while index < body.endIndex {
            let high = try nibble(body[index], offset: index - 2)
            let low = try nibble(body[index + 1], offset: index - 1)
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Exactly `count` bytes from `0x…`.
    public static func decode(_ text: String, count: Int) throws(HexError) -> [UInt8] {
        let bytes = try decode(text)
        guard bytes.count == count else { throw .lengthMismatch(expected: count, got: bytes.count) }
        return bytes
    }

    /// A canonical hex quantity (`0x0`, `0x1a`) as an unsigned 64-bit integer.
    public static func quantity(_ text: String) throws(HexError) -> UInt64 {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") else {
            throw .missingPrefix(text)
        }
        let body = utf8[2...]
        guard !body.isEmpty, body.count == 1 || body.first != UInt8(ascii: "0") else {
            throw .nonCanonicalQuantity(text)
        }
        guard body.count <= 16 else {
            if let bad = try firstInvalid(body) { throw bad }
            throw .overflow(text)
        }
        var value: UInt64 = 0
        for index in body.indices {
            value = value << 4 | UInt64(try nibble(body[index], offset: index - 2))
        }
        return value
    }

    /// `0x…` for an unsigned integer, canonical (no leading zeros).
    public static func quantity(_ value: UInt64) -> String {
        "0x" + String(value, radix: 16)
    }

    static func preview(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(77)) + "…" : text
    }

    private static func nibble(_ c: UInt8, offset: Int) throws(HexError) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: throw .invalidCharacter(Character(Unicode.Scalar(c)), offset: offset)
        }
    }

    private static func firstInvalid(_ body: ArraySlice<UInt8>) throws(HexError) -> HexError? {
        for index in body.indices {
            do { _ = try nibble(body[index], offset: index - 2) } catch { return error }
        }
        return nil
    }
}
