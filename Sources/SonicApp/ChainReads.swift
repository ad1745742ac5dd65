import Ethereum
import Foundation
import SonicChain

/// What the services read from the chain: the node's state, and our contracts' and tokens' views.
/// `RPCChain` reads them through JSON-RPC; tests give a fake.
///
/// Failures are `ChainError` for the node and any error for a contract's answer; services turn
/// both into `AppError`.
public protocol ChainReads: Sendable {
    func chainID() async throws(ChainError) -> UInt64
    func blockNumber() async throws(ChainError) -> UInt64
    func balance(of address: Address, at block: BlockTag) async throws(ChainError) -> UInt256
    /// The latest block's number and `address`'s balance there, in one round trip where the
    /// chain can (a batch); by default two reads.
    func headAndBalance(of address: Address) async throws(ChainError) -> (block: UInt64, balance: UInt256)
    func gasPrice() async throws(ChainError) -> UInt256
    /// The fees to offer for the next block.
    func suggestFees() async throws(ChainError) -> FeeSuggestion
    /// `eth_feeHistory` of the last `blocks` blocks, with the median priority fee of each.
    func feeHistory(blocks: UInt64) async throws(ChainError) -> FeeHistory
    /// What a preview needs, asked at once: the sender's next nonce (pending included) and the
    /// gas `request` would use (`.reverted` when simulating it fails).
    func preview(_ request: CallRequest) async -> (nonce: Result<UInt64, ChainError>, gas: Result<UInt64, ChainError>)
    func receipt(_ hash: Hash32) async throws(ChainError) -> Receipt?
    /// The receipts of `hashes` in one round trip, each found, not yet there (nil), or failed.
    func receipts(_ hashes: [Hash32]) async throws(ChainError) -> [Result<Receipt?, ChainError>]
    /// Whether the node knows the transaction (mined or waiting).
    func knows(_ hash: Hash32) async throws(ChainError) -> Bool
    /// The transaction of each of `hashes` as the node has it (mined or waiting), nil where it
    /// does not know it, in one round trip (`eth_getTransactionByHash` in a batch).
    func transactions(_ hashes: [Hash32]) async throws(ChainError) -> [Result<TransactionInfo?, ChainError>]
    /// The latest block's number and how many transactions each of `senders` has mined (its next
    /// nonce there, or at a later block), in one round trip.
    func headAndNonces(of senders: [Address]) async throws(ChainError) -> (block: UInt64, nonces: [Result<UInt64, ChainError>])
    /// How many transactions `sender` had mined by each of `blocks`, in one round trip (an item
    /// fails where the node no longer has that block's state).
    func nonces(of sender: Address, at blocks: [UInt64]) async throws(ChainError) -> [Result<UInt64, ChainError>]
    /// The transactions of block `number`, nil beyond the head.
    func blockTransactions(_ number: UInt64) async throws(ChainError) -> [TransactionInfo]?
    /// Why the mined transaction `hash` reverted, replayed at its block ("reverted" when unknown).
    func revertReason(of hash: Hash32, block: UInt64) async -> String
    /// Whether every endpoint failed within the last `seconds` and none has answered since.
    func isUnreachable(within seconds: Double) -> Bool

    /// The ERC-20 balances of `owner` in each of `tokens` at `block`; nil where a token did not answer.
    func tokenBalances(_ tokens: [Address], of owner: Address, at block: UInt64) async throws -> [UInt256?]
    func tokenBalance(_ token: Address, of owner: Address) async throws -> UInt256
    /// An ERC-20 token's `symbol()` and `decimals()`, as its contract answers them (unchecked text).
    func tokenMetadata(_ token: Address) async throws -> (symbol: String, decimals: Int)
    /// What each of `tokens` says of itself (`name()`, `symbol()`, `decimals()`), read together
    /// in one call (Multicall3); nil for a contract that does not answer `decimals()` as a token.
    func tokenDescriptions(_ tokens: [Address]) async throws -> [TokenDescription?]
    /// The allowance `owner` has given each pair's spender at its token now (`allowance(owner,
    /// spender)`), read together in one call (Multicall3); nil where a token did not answer.
    func allowances(_ pairs: [(token: Address, spender: Address)], of owner: Address) async throws -> [UInt256?]
    /// A subscriber's state in our subscription contract at `contract`.
    func subscriptionState(_ contract: Address, of user: Address) async throws -> SubscriptionContract.State
    /// Whether sales of the subscription at `contract` are paused, and its price per period.
    func subscriptionTerms(_ contract: Address) async throws -> (paused: Bool, price: UInt256)
    /// Whether the contract account `contract` accepts `signature` over `hash` (EIP-1271); false
    /// for an account without code.
    func accepts(_ signature: [UInt8], of hash: Hash32, by contract: Address) async throws(ChainError) -> Bool
    /// What minting in our collection at `contract` costs.
    func mintFee(_ contract: Address) async throws -> UInt256
}

extension ChainReads {
    public func headAndBalance(of address: Address) async throws(ChainError) -> (block: UInt64, balance: UInt256) {
        let block = try await blockNumber()
        return (block, try await balance(of: address, at: .number(block)))
    }
}

/// What a token contract answers of itself: unchecked text (nil where it did not answer a
/// string), and its decimals.
public struct TokenDescription: Sendable, Equatable {
    public let name: String?
    public let symbol: String?
    public let decimals: Int

    public init(name: String?, symbol: String?, decimals: Int) {
        self.name = name
        self.symbol = symbol
        self.decimals = decimals
    }
}

/// Sends a signed transaction to the network.
public protocol Broadcaster: Sendable {
    func sendRawTransaction(_ raw: [UInt8]) async throws(ChainError) -> Hash32
}

/// The time now; tests give a clock they move by hand.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The system's clock.
public struct SystemTime: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}
