/// Recursive Length Prefix, Ethereum's serialization of bytes and lists.
///
/// Decoding is strict: a single byte below 0x80 must encode as itself, lengths must use the
/// short form when they can and have no leading zeros, and nothing may follow the item.
/// See https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/
public enum RLPItem: Equatable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// An unsigned integer as RLP writes it: minimal big-endian bytes, zero as the empty string.
    public static func uint(_ value: UInt64) -> RLPItem {
        .bytes(value == 0 ? [] : Array(withUnsafeBytes(of: value.bigEndian) { Array($0) }.drop { $0 == 0 }))
    }

    public static func uint(_ value: UInt256) -> RLPItem { .bytes(value.minimalBytes) }
}

public enum RLP {
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out: [UInt8] = []
        append(item, to: &out)
        return out
    }

    private static func append(_ item: RLPItem, to out: inout [UInt8]) {
        switch item {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                out.append(bytes[0])
            } else {
                appendLength(bytes.count, offset: 0x80, to: &out)
                out += bytes
            }
        case .list(let items):
            var body: [UInt8] = []
            for child in items { append(child, to: &body) }
            appendLength(body.count, offset: 0xc0, to: &out)
            out += body
        }
    }

    private static func appendLength(_ length: Int, offset: UInt8, to out: inout [UInt8]) {
        if length < 56 {
            out.append(offset + UInt8(length))
        } else {
            let lengthBytes = Array(withUnsafeBytes(of: UInt64(length).bigEndian) { Array($0) }.drop { $0 == 0 })
            out.append(offset + 55 + UInt8(lengthBytes.count))
            out += lengthBytes
        }
    }

    /// Decodes exactly one item that spans all of `bytes`.
    /// - Throws: `RLPError` with the offset of the problem.
    public static func decode(_ bytes: [UInt8]) throws(RLPError) -> RLPItem {
        var offset = 0
        let item = try decodeItem(bytes[...], at: &offset, depth: 0)
        guard offset == bytes.count else { throw .trailingBytes(count: bytes.count - offset) }
        return item
    }

    static let maxDepth = 1024

    private static func decodeItem(_ data: ArraySlice<UInt8>, at offset: inout Int, depth: Int) throws(RLPError) -> RLPItem {
        guard depth < maxDepth else { throw .tooDeep }
        guard offset < data.endIndex else { throw .truncated(at: offset) }
        let prefix = data[offset]
        switch prefix {
        case 0x00...0x7f:
            offset += 1
            return .bytes([prefix])
        case 0x80...0xbf:
            let (start, length) = try header(data, at: offset, prefix: prefix, base: 0x80)
            let payload = Array(data[start..<(start + length)])
            if length == 1 && payload[0] < 0x80 { throw .nonCanonicalSingleByte(at: offset) }
            offset = start + length
            return .bytes(payload)
        default:
            let (start, length) = try header(data, at: offset, prefix: prefix, base: 0xc0)
            let end = start + length
            var cursor = start
            var items: [RLPItem] = []
            while cursor < end {
                items.append(try decodeItem(data[..<end], at: &cursor, depth: depth + 1))
            }
            offset = end
            return .list(items)
        }
    }

    /// Start of the payload and its length, checking canonical form and bounds.
    private static func header(_ data: ArraySlice<UInt8>, at offset: Int, prefix: UInt8, base: UInt8) throws(RLPError) -> (Int, Int) {
        let short = Int(prefix - base)
        if short <= 55 {
            guard offset + 1 + short <= data.endIndex else { throw .truncated(at: offset) }
            return (offset + 1, short)
        }
        let lengthOfLength = short - 55
        guard offset + 1 + lengthOfLength <= data.endIndex else { throw .truncated(at: offset) }
        let lengthBytes = data[(offset + 1)..<(offset + 1 + lengthOfLength)]
        guard lengthBytes.first != 0 else { throw .leadingZeroInLength(at: offset) }
        guard lengthOfLength <= 8 else { throw .lengthTooLarge(at: offset) }
        var length = 0
        for byte in lengthBytes {
            guard length <= (Int.max >> 8) else { throw .lengthTooLarge(at: offset) }
            length = length << 8 | Int(byte)
        }
        guard length >= 56 else { throw .nonCanonicalLength(at: offset) }
        let start = offset + 1 + lengthOfLength
        guard length <= data.endIndex - start else { throw .truncated(at: offset) }
        return (start, length)
    }
}

/// Why bytes are not canonical RLP. Offsets count from the start of the input.
public enum RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(at: Int)
    case trailingBytes(count: Int)
    case nonCanonicalSingleByte(at: Int)
    case nonCanonicalLength(at: Int)
    case leadingZeroInLength(at: Int)
    case lengthTooLarge(at: Int)
    case tooDeep
    /// An integer field with leading zero bytes.
    case leadingZero(field: String)
    /// An item of the wrong kind or size for a field.
    case unexpected(field: String, expected: String)

    public var description: String {
        switch self {
        case .truncated(let at): "RLP item at byte \(at) runs past the end of the input"
        case .trailingBytes(let count): "\(count) bytes follow the RLP item"
        case .nonCanonicalSingleByte(let at): "RLP at byte \(at) wraps a single byte below 0x80 in a string header"
        case .nonCanonicalLength(let at): "RLP at byte \(at) uses the long length form for fewer than 56 bytes"
        case .leadingZeroInLength(let at): "RLP length at byte \(at) has a leading zero"
        case .lengthTooLarge(let at): "RLP length at byte \(at) is too large"
        case .tooDeep: "RLP lists nested more than \(RLP.maxDepth) deep"
        case .leadingZero(let field): "\(field) has leading zero bytes"
        case .unexpected(let field, let expected): "\(field): expected \(expected)"
        }
    }
}

extension RLPItem {
    /// The bytes of a string item, or an error naming `field`.
    public func bytes(_ field: String) throws(RLPError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw .unexpected(field: field, expected: "a byte string") }
        return bytes
    }

    /// The items of a list, or an error naming `field`.
    public func list(_ field: String) throws(RLPError) -> [RLPItem] {
        guard case .list(let items) = self else { throw .unexpected(field: field, expected: "a list") }
        return items
    }

    /// A canonical unsigned integer of at most 64 bits.
    public func uint64(_ field: String) throws(RLPError) -> UInt64 {
        let bytes = try bytes(field)
        guard bytes.first != 0 else { throw .leadingZero(field: field) }
        guard bytes.count <= 8 else { throw .unexpected(field: field, expected: "at most 8 bytes") }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A canonical unsigned integer of at most 256 bits.
    public func uint256(_ field: String) throws(RLPError) -> UInt256 {
        let bytes = try bytes(field)
        guard bytes.first != 0 else { throw .leadingZero(field: field) }
        guard let value = UInt256(bigEndian: bytes) else { throw .unexpected(field: field, expected: "at most 32 bytes") }
        return value
    }
}
