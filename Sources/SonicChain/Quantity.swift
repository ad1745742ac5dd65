import Ethereum

/// A JSON-RPC `QUANTITY` (`"0x1a"`) that fits 64 bits: block numbers, chain ids, nonces, gas.
public struct Quantity: Codable, Hashable, Sendable {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            value = try Hex.quantity(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.quantity(value))
    }
}
