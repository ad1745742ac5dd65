import Ethereum

/// Bindings of contracts/SmartSonicSubscription.vy.
public struct SubscriptionContract: Sendable {
    public static let price = Contract.signature("function price() view returns (uint256)")
    public static let isActive = Contract.signature("function is_active(address user) view returns (bool)")
    public static let expiresAt = Contract.signature("function expires_at(address user) view returns (uint256)")
    public static let paused = Contract.signature("function paused() view returns (bool)")
    public static let purchase = Contract.signature("function purchase(uint256 periods) payable")
    public static let purchased = Contract.signature(
        "event SubscriptionPurchased(address indexed user, uint256 start, uint256 end, uint256 paid)")
    /// Seconds in one period.
    public static let period: UInt64 = 30 * 86_400

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    public func price() async throws -> UInt256 { try await contract.read(Self.price).uint(Self.price) }
    public func isActive(_ user: Address) async throws -> Bool { try await contract.read(Self.isActive, [.address(user)]).bool(Self.isActive) }
    /// Unix time the subscription ends; 0 if never bought.
    public func expiresAt(_ user: Address) async throws -> UInt64 {
        try await contract.read(Self.expiresAt, [.address(user)]).uint(Self.expiresAt).uint64 ?? .max
    }
    public func isPaused() async throws -> Bool { try await contract.read(Self.paused).bool(Self.paused) }

    /// What a status page shows of one subscriber.
    public struct State: Sendable, Equatable {
        /// Unix time the subscription ends; 0 if never bought.
        public let expiresAt: UInt64
        public let price: UInt256
        public let active: Bool
        public let paused: Bool

        public init(expiresAt: UInt64, price: UInt256, active: Bool, paused: Bool) {
            self.expiresAt = expiresAt
            self.price = price
            self.active = active
            self.paused = paused
        }
    }

    /// `user`'s state, read in one `eth_call` through Multicall3 at `multicall` (four calls
    /// without it): the four values come from the same block.
    public func state(of user: Address, multicall: Address?) async throws -> State {
        guard let multicall else {
            return State(expiresAt: try await expiresAt(user), price: try await price(), active: try await isActive(user),
                         paused: try await isPaused())
        }
        let reads: [(ABISignature, [ABIValue])] = [(Self.expiresAt, [.address(user)]), (Self.price, []), (Self.isActive, [.address(user)]), (Self.paused, [])]
        let results = try await Multicall3(address: multicall, client: contract.client)
            .aggregate(try reads.map { (target: contract.address, data: try $0.0.calldata($0.1)) })
        guard results.count == reads.count, results.allSatisfy(\.success) else { throw UnexpectedOutput(function: "SmartSonicSubscription's state") }
        func output(_ index: Int) throws -> [ABIValue] { try reads[index].0.decodeOutput(results[index].data) }
        return State(expiresAt: try output(0).uint(Self.expiresAt).uint64 ?? .max, price: try output(1).uint(Self.price),
                     active: try output(2).bool(Self.isActive), paused: try output(3).bool(Self.paused))
    }

    /// The payable call that buys `periods` × 30 days for `from`, paying exactly `price` × `periods`.
    public func purchaseRequest(periods: UInt64, price: UInt256, from: Address) throws -> CallRequest {
        try Self.purchaseRequest(contract: contract.address, periods: periods, price: price, from: from)
    }

    /// The same for the subscription contract at `contract`, built without a client.
    public static func purchaseRequest(contract: Address, periods: UInt64, price: UInt256, from: Address) throws -> CallRequest {
        guard let value = price.multiplied(by: UInt256(periods)) else { throw ABIError.valueMismatch(type: "uint256", reason: "price × periods overflows") }
        return CallRequest(from: from, to: contract, value: value, data: try purchase.calldata([.uint(.init(periods))]))
    }
}

/// Bindings of contracts/SmartSonicNFT.vy.
public struct NFTContract: Sendable {
    public static let mintFee = Contract.signature("function mint_fee() view returns (uint256)")
    public static let mint = Contract.signature("function mint(address to, string uri) payable returns (uint256)")
    public static let minted = Contract.signature("event Minted(address indexed to, uint256 indexed token_id, string uri)")

    public let contract: Contract
    public var erc721: ERC721 { ERC721(address: contract.address, client: contract.client) }

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    public func mintFee() async throws -> UInt256 { try await contract.read(Self.mintFee).uint(Self.mintFee) }

    /// The payable call that mints the next token to `to` with metadata at `uri`.
    public func mintRequest(to: Address, uri: String, fee: UInt256, from: Address) throws(ABIError) -> CallRequest {
        try Self.mintRequest(contract: contract.address, to: to, uri: uri, fee: fee, from: from)
    }

    /// The same for the collection at `contract`, built without a client.
    public static func mintRequest(contract: Address, to: Address, uri: String, fee: UInt256, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: contract, value: fee, data: try mint.calldata([.address(to), .string(uri)]))
    }
}

/// Multicall3's `aggregate3`: many reads in one `eth_call`.
public struct Multicall3: Sendable {
    public static let aggregate3 = Contract.signature(
        "function aggregate3((address target, bool allowFailure, bytes callData)[] calls) payable returns ((bool success, bytes returnData)[] returnData)")
    /// Our devnet contract's limit, and a reasonable batch anywhere.
    public static let maxCalls = 64

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    /// Runs the calls (each allowed to fail) and returns each one's success and return data.
    public func aggregate(_ calls: [(target: Address, data: [UInt8])], at block: BlockTag = .latest) async throws -> [(success: Bool, data: [UInt8])] {
        var results: [(Bool, [UInt8])] = []
        var start = 0
        while start < calls.count {
            let chunk = calls[start..<min(calls.count, start + Self.maxCalls)]
            let argument = ABIValue.array(chunk.map { .tuple([.address($0.target), .bool(true), .bytes($0.data)]) })
            guard case .array(let items)? = try await contract.read(Self.aggregate3, [argument], at: block).first else {
                throw UnexpectedOutput(function: Self.aggregate3.canonical)
            }
            for item in items {
                guard case .tuple(let pair) = item, pair.count == 2, case .bool(let success) = pair[0], case .bytes(let data) = pair[1] else {
                    throw UnexpectedOutput(function: Self.aggregate3.canonical)
                }
                results.append((success, data))
            }
            start += Self.maxCalls
        }
        return results
    }
}
