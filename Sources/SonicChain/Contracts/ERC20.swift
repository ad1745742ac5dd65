import BigInt
import Ethereum

/// Any ERC-20 token. See https://eips.ethereum.org/EIPS/eip-20
public struct ERC20: Sendable {
    public static let balanceOf = Contract.signature("function balanceOf(address owner) view returns (uint256)")
    public static let decimals = Contract.signature("function decimals() view returns (uint8)")
    public static let symbol = Contract.signature("function symbol() view returns (string)")
    public static let transfer = Contract.signature("function transfer(address to, uint256 amount) returns (bool)")
    public static let transferEvent = Contract.signature("event Transfer(address indexed sender, address indexed receiver, uint256 value)")

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

    /// The call that sends `amount` base units to `to`.
    public func transferRequest(to: Address, amount: UInt256, from: Address? = nil) throws(ABIError) -> CallRequest {
        try Self.transferRequest(token: contract.address, to: to, amount: amount, from: from)
    }

    /// The same for the token at `token`, built without a client.
    public static func transferRequest(token: Address, to: Address, amount: UInt256, from: Address? = nil) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: token, data: try transfer.calldata([.address(to), .uint(amount.value)]))
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
