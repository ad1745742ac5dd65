import Ethereum
import SonicChain

/// What the indexer reads from a node: the head, blocks with their transactions, receipts,
/// logs and token names. `RPCClient` reads them over JSON-RPC; tests give a chain of their own.
public protocol IndexerSource: Sendable {
    func chainID() throws(ChainError) -> UInt64
    func blockNumber() throws(ChainError) -> UInt64
    /// One block's header (its transactions as hashes), or nil past the head.
    func header(_ number: UInt64) throws(ChainError) -> Block?
    /// The blocks of `range` with whole transactions, each found, missing (nil) or failed.
    func blocks(_ range: ClosedRange<UInt64>) throws(ChainError) -> [Result<Block?, ChainError>]
    func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>]
    /// Why a mined transaction reverted, replayed at its block.
    func revertReason(of transaction: TransactionInfo, block: UInt64) -> String
    func logs(_ filter: LogFilter) throws(ChainError) -> [Log]
    /// An ERC-20 token's symbol and decimals, nil where it does not answer.
    func tokenSymbol(_ token: Address) -> String?
    func tokenDecimals(_ token: Address) -> Int?
    /// An ERC-20 token's name (unchecked text), nil where it does not answer.
    func tokenName(_ token: Address) -> String?
}

extension IndexerSource {
    public func tokenName(_ token: Address) -> String? { nil }
}

/// The indexer's reads over JSON-RPC. The indexer runs on a thread of its own, so each read
/// runs there to its end (`ThreadExecutor`), whatever transport the client has.
public struct RPCIndexerSource: IndexerSource {
    public let client: RPCClient

    public init(client: RPCClient) { self.client = client }

    public func chainID() throws(ChainError) -> UInt64 { try ThreadExecutor.run { [client] () async throws(ChainError) in try await client.chainID() } }
    public func blockNumber() throws(ChainError) -> UInt64 { try ThreadExecutor.run { [client] () async throws(ChainError) in try await client.blockNumber() } }

    public func header(_ number: UInt64) throws(ChainError) -> Block? {
        try ThreadExecutor.run { [client] () async throws(ChainError) in try await client.block(.number(number)) }
    }

    public func blocks(_ range: ClosedRange<UInt64>) throws(ChainError) -> [Result<Block?, ChainError>] {
        try ThreadExecutor.run { [client] () async throws(ChainError) in
            try await client.batch("eth_getBlockByNumber", range.map { [.string(Hex.quantity($0)), .bool(true)] }, as: Block?.self)
        }
    }

    public func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>] {
        try ThreadExecutor.run { [client] () async throws(ChainError) in
            try await client.batch("eth_getTransactionReceipt", hashes.map { [.string($0.description)] }, as: Receipt?.self)
        }
    }

    public func revertReason(of transaction: TransactionInfo, block: UInt64) -> String {
        ThreadExecutor.run { [client] in await client.revertReason(of: transaction, block: block) }
    }

    public func logs(_ filter: LogFilter) throws(ChainError) -> [Log] {
        try ThreadExecutor.run { [client] () async throws(ChainError) in try await client.logs(filter) }
    }

    public func tokenSymbol(_ token: Address) -> String? {
        ThreadExecutor.run { [client] in try? await ERC20(address: token, client: client).symbol() }
    }

    public func tokenName(_ token: Address) -> String? {
        ThreadExecutor.run { [client] in try? await ERC20(address: token, client: client).name() }
    }

    public func tokenDecimals(_ token: Address) -> Int? {
        ThreadExecutor.run { [client] in try? await ERC20(address: token, client: client).decimals() }
    }
}
