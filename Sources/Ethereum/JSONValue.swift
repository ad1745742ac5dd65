import BigInt

/// A JSON value, for JSON-RPC parameters, EIP-712 typed data and other untyped edges.
/// Domain code uses typed `Codable` values; this only carries JSON that has no fixed shape.
///
/// Integers are kept exactly. A JSON number too large for 64 bits cannot be read exactly by
/// Foundation, so it is refused: such values must be written as strings ("0x…" or decimal).
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(BigInt)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(BigInt(value)) }
        else if let value = try? container.decode(UInt64.self) { self = .integer(BigInt(value)) }
        else if let value = try? container.decode(Double.self) {
            if value.rounded() == value && abs(value) >= 9_007_199_254_740_992 {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "integer \(value) is too large for an exact JSON number; write it as a string")
            }
            self = .number(value)
        }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value):
            if let small = Int64(exactly: value) { try container.encode(small) } else { try container.encode(value.description) }
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// A string, or nil for any other kind of value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
