import Ethereum

/// A JSON-RPC `QUANTITY` (`"0x1a"`): block numbers, chain ids, nonces, gas, timestamps.
///
/// A node's answer is read only up to 2^63 - 1, far beyond any real value of these: so every
/// decoded quantity converts to `Int64` (SQLite's integers) and `Int` without a trap, and a
/// little arithmetic on it (a gas margin) cannot overflow. A larger one is an invalid answer.
public struct Quantity: Codable, Hashable, Sendable {
    public let value: UInt64

    /// The largest quantity read from a node: `Int64.max`.
    public static let maximum = UInt64(Int64.max)

    public init(_ value: UInt64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            value = try Hex.quantity(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
        guard value <= Self.maximum else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "quantity \(text) is beyond 2^63 - 1, more than any block number, gas or nonce"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.quantity(value))
    }
}
