import Ethereum

/// A deployed contract reached through a client: typed bindings build on this.
public struct Contract: Sendable {
    public let address: Address
    public let client: RPCClient

    public init(address: Address, client: RPCClient) {
        self.address = address
        self.client = client
    }

    /// Calls a view function and decodes its outputs.
    /// - Throws: `ChainError` (a revert carries its reason) or `ABIError` for unexpected data.
    public func read(_ function: ABISignature, _ arguments: [ABIValue] = [], at block: BlockTag = .latest) async throws -> [ABIValue] {
        let output = try await client.call(CallRequest(to: address, data: try function.calldata(arguments)), at: block)
        return try function.decodeOutput(output)
    }

    /// The unsigned call for a state-changing function, to sign or preview.
    public func request(_ function: ABISignature, _ arguments: [ABIValue], from: Address? = nil, value: UInt256? = nil) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: address, value: value, data: try function.calldata(arguments))
    }

    /// Parses a signature declared in code; a typo is a programming error, caught by the tests.
    static func signature(_ text: String) -> ABISignature {
        do { return try ABISignature(parsing: text) } catch { preconditionFailure("bad signature \(text): \(error)") }
    }
}

/// The outputs of a read did not have the promised types.
public struct UnexpectedOutput: Error, CustomStringConvertible {
    public let function: String
    public var description: String { "\(function) returned values of unexpected types" }
}

extension [ABIValue] {
    func uint(_ function: ABISignature) throws -> UInt256 {
        guard case .uint(let value)? = first, let number = UInt256(value) else { throw UnexpectedOutput(function: function.canonical) }
        return number
    }

    /// The first value as a `UInt64`: epochs, ids, Unix times (a larger one is refused).
    func uint64(_ function: ABISignature) throws -> UInt64 {
        guard let value = try uint(function).uint64 else { throw UnexpectedOutput(function: function.canonical) }
        return value
    }

    func bool(_ function: ABISignature) throws -> Bool {
        guard case .bool(let value)? = first else { throw UnexpectedOutput(function: function.canonical) }
        return value
    }

    func string(_ function: ABISignature) throws -> String {
        guard case .string(let value)? = first else { throw UnexpectedOutput(function: function.canonical) }
        return value
    }

    func address(_ function: ABISignature) throws -> Address {
        guard case .address(let value)? = first else { throw UnexpectedOutput(function: function.canonical) }
        return value
    }
}
