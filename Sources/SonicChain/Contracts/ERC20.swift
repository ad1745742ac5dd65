import BigInt
import Ethereum

/// Any ERC-20 token. See https://eips.ethereum.org/EIPS/eip-20
public struct ERC20: Sendable {
    public static let balanceOf = Contract.signature("function balanceOf(address owner) view returns (uint256)")
    public static let decimals = Contract.signature("function decimals() view returns (uint8)")
    public static let symbol = Contract.signature("function symbol() view returns (string)")
    public static let name = Contract.signature("function name() view returns (string)")
    public static let allowance = Contract.signature("function allowance(address owner, address spender) view returns (uint256)")
    public static let transfer = Contract.signature("function transfer(address to, uint256 amount) returns (bool)")
    public static let approve = Contract.signature("function approve(address spender, uint256 amount) returns (bool)")
    public static let transferEvent = Contract.signature("event Transfer(address indexed sender, address indexed receiver, uint256 value)")
    public static let approvalEvent = Contract.signature("event Approval(address indexed owner, address indexed spender, uint256 value)")

    /// The most bytes of a `name()` or `symbol()` answer that are decoded (a string of 448 bytes).
    public static let maxTextOutput = 512

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    public func balance(of owner: Address) async throws -> UInt256 { try await contract.read(Self.balanceOf, [.address(owner)]).uint(Self.balanceOf) }

    /// The token's decimals: a `uint8`, so at most 255 (a larger answer is refused, not trapped on).
    public func decimals() async throws -> Int {
        let value = try await contract.read(Self.decimals).uint(Self.decimals).value
        guard let decimals = Int(exactly: value), decimals <= 255 else { throw UnexpectedOutput(function: "decimals() of \(contract.address)") }
        return decimals
    }

    public func symbol() async throws -> String { try await contract.read(Self.symbol).string(Self.symbol) }

    public func name() async throws -> String { try await contract.read(Self.name).string(Self.name) }

    /// The call that sends `amount` base units to `to`.
    public func transferRequest(to: Address, amount: UInt256, from: Address? = nil) throws(ABIError) -> CallRequest {
        try Self.transferRequest(token: contract.address, to: to, amount: amount, from: from)
    }

    /// The same for the token at `token`, built without a client.
    public static func transferRequest(token: Address, to: Address, amount: UInt256, from: Address? = nil) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: token, data: try transfer.calldata([.address(to), .uint(amount.value)]))
    }

    /// The call that lets `spender` move up to `amount` of `from`'s tokens at `token` (0 revokes).
    public static func approveRequest(token: Address, spender: Address, amount: UInt256, from: Address? = nil) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: token, data: try approve.calldata([.address(spender), .uint(amount.value)]))
    }

    /// The text a token's `name()` or `symbol()` returned: an ABI `string`, or (older tokens such
    /// as MKR) a `bytes32` padded with zeros; nil for anything else, and for an answer longer
    /// than `maxTextOutput` bytes, which is not decoded at all.
    public static func text(_ output: [UInt8]) -> String? {
        guard output.count <= maxTextOutput else { return nil }
        if output.count == 32 {
            let bytes = output.prefix { $0 != 0 }
            return output.dropFirst(bytes.count).allSatisfy({ $0 == 0 }) ? String(decoding: bytes, as: UTF8.self) : nil
        }
        guard case .string(let text)? = try? ABI.decode(output, as: [.string]).first else { return nil }
        return text
    }
}

/// Any ERC-721 collection with metadata. See https://eips.ethereum.org/EIPS/eip-721
public struct ERC721: Sendable {
    public static let ownerOf = Contract.signature("function ownerOf(uint256 tokenId) view returns (address)")
    public static let tokenURI = Contract.signature("function tokenURI(uint256 tokenId) view returns (string)")
    public static let balanceOf = Contract.signature("function balanceOf(address owner) view returns (uint256)")
    public static let transferEvent = Contract.signature(
        "event Transfer(address indexed sender, address indexed receiver, uint256 indexed token_id)")

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    public func owner(of token: UInt256) async throws -> Address { try await contract.read(Self.ownerOf, [.uint(token.value)]).address(Self.ownerOf) }

    public func tokenURI(_ token: UInt256) async throws -> String { try await contract.read(Self.tokenURI, [.uint(token.value)]).string(Self.tokenURI) }

    public func balance(of owner: Address) async throws -> UInt256 { try await contract.read(Self.balanceOf, [.address(owner)]).uint(Self.balanceOf) }
}
