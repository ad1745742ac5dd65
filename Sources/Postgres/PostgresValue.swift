import Foundation

/// One parameter or result value. Amounts travel as `.numeric` (decimal digits, to a NUMERIC
/// column) or `.text`, never as floating point; `.double` is for times in seconds only.
public enum PostgresValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int64)
    case bool(Bool)
    case text(String)
    case bytes([UInt8])
    /// An exact decimal: digits with an optional sign and fraction (`-12.50`); checked before it is sent.
    case numeric(String)
    /// Seconds since 1970 and the like; never money.
    case double(Double)

    public var isNull: Bool { self == .null }

    public var int: Int64? { if case .int(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var bytes: [UInt8]? { if case .bytes(let value) = self { value } else { nil } }
    public var double: Double? { if case .double(let value) = self { value } else { nil } }

    /// The text of a `.text` or `.numeric` value.
    public var string: String? {
        switch self {
        case .text(let value), .numeric(let value): value
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .int(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .text(let value): "'\(value)'"
        case .bytes(let value): "<\(value.count) bytes>"
        case .numeric(let value): value
        case .double(let value): String(value)
        }
    }

    /// Whether `text` is a decimal number PostgreSQL reads exactly: `[+-]digits[.digits]`, at most 1,000 characters.
    static func isDecimal(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...1000).contains(bytes.count) else { return false }
        var index = bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") ? 1 : 0
        var digits = 0, point = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !point {
                point = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits += 1
            } else {
                return false
            }
            index += 1
        }
        return digits > 0 && bytes.last != UInt8(ascii: ".")
    }
}

extension PostgresValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
