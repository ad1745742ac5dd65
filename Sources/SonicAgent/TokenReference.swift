import Ethereum

/// Which token a request is about: the network's native coin, a symbol the person wrote
/// ("USDC"), or a token contract's address. The app resolves it against the network's tokens.
///
/// In JSON (a conversation's stored state) it is an object with one key:
/// `{"native": true}`, `{"symbol": "USDC"}` or `{"contract": "0x…"}`.
public enum TokenReference: Sendable, Hashable, Codable {
    case native
    case symbol(String)
    case contract(Address)

    /// A token as the parser names it: the native symbol (`nativeSymbol`, compared without case)
    /// is `.native`, a 0x address a contract, anything else a symbol in capitals.
    public init(_ text: String, nativeSymbol: String) {
        if text.uppercased() == nativeSymbol.uppercased() {
            self = .native
        } else if text.hasPrefix("0x"), let address = try? Address(text) {
            self = .contract(address)
        } else {
            self = .symbol(text.uppercased())
        }
    }

    /// How a sentence names it: the native symbol, the symbol, or the contract's EIP-55 address.
    public func name(nativeSymbol: String) -> String {
        switch self {
        case .native: nativeSymbol
        case .symbol(let symbol): symbol
        case .contract(let address): address.checksummed
        }
    }

    enum CodingKeys: String, CodingKey { case native, symbol, contract }

    /// Throws: `DecodingError` unless exactly one of `native` (true), `symbol`, `contract` is present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a token is one of native, symbol or contract"))
        }
        switch key {
        case .native:
            guard try container.decode(Bool.self, forKey: .native) else {
                throw DecodingError.dataCorruptedError(forKey: .native, in: container, debugDescription: "native must be true")
            }
            self = .native
        case .symbol: self = .symbol(try container.decode(String.self, forKey: .symbol))
        case .contract: self = .contract(try container.decode(Address.self, forKey: .contract))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .native: try container.encode(true, forKey: .native)
        case .symbol(let symbol): try container.encode(symbol, forKey: .symbol)
        case .contract(let address): try container.encode(address, forKey: .contract)
        }
    }
}
