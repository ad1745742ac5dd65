import Ethereum
import Foundation
import GRDB

/// What an ERC-20 contract says of itself, read once and kept: its name, symbol and decimals,
/// already cleaned for showing (`KnownToken.shown`). It is only what the contract says: a
/// look-alike may copy any of it.
public struct TokenMetadata: Sendable, Equatable {
    public let address: Address
    public let name: String
    public let symbol: String
    public let decimals: Int
    public let readAt: Date

    public init(address: Address, name: String, symbol: String, decimals: Int, readAt: Date) {
        self.address = address
        self.name = name
        self.symbol = symbol
        self.decimals = decimals
        self.readAt = readAt
    }

    /// The columns of `token_metadata`, in order.
    enum Columns: Int, TableColumns {
        case address, name, symbol, decimals, readAt
        static let table = "token_metadata"
    }

    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        address = try row.value(Columns.address)
        name = try row.value(Columns.name)
        symbol = try row.value(Columns.symbol)
        decimals = try row.value(Columns.decimals)
        readAt = Date(timeIntervalSince1970: try row.value(Columns.readAt))
    }
}

/// An ERC-20 `Approval(owner, spender, value)` event: `owner` let `spender` move up to `value`
/// of the token at `token`. The latest one of a pair is the allowance it set (a transfer by the
/// spender lowers it without an event, so the current value is read from the token).
public struct TokenApproval: Sendable, Equatable {
    public let owner: Address
    public let token: Address
    public let spender: Address
    public let block: UInt64
    public let logIndex: Int
    public let valueWei: UInt256
    public let hash: Hash32
    public let time: UInt64

    public init(owner: Address, token: Address, spender: Address, block: UInt64, logIndex: Int, valueWei: UInt256, hash: Hash32, time: UInt64) {
        self.owner = owner
        self.token = token
        self.spender = spender
        self.block = block
        self.logIndex = logIndex
        self.valueWei = valueWei
        self.hash = hash
        self.time = time
    }

    /// The columns of `token_approval`, in order.
    enum Columns: Int, TableColumns {
        case owner, token, spender, block, logIndex, valueWei, hash, time
        static let table = "token_approval"
    }

    static let insertSQL = "INSERT INTO token_approval (\(Columns.selection())) VALUES (\(Array(repeating: "?", count: Columns.count).joined(separator: ", ")))"

    var values: [(any DatabaseValueConvertible)?] { [owner, token, spender, Int64(block), logIndex, valueWei, hash, Int64(time)] }

    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        owner = try row.value(Columns.owner)
        token = try row.value(Columns.token)
        spender = try row.value(Columns.spender)
        block = try row.value(Columns.block)
        logIndex = try row.value(Columns.logIndex)
        valueWei = try row.value(Columns.valueWei)
        hash = try row.value(Columns.hash)
        time = try row.value(Columns.time)
    }
}

/// Tokens: their metadata read once, the tokens each address received (from the indexed
/// history) or added by hand, and the allowances it gave (from the indexed `Approval` events).
public protocol TokenRepository: Repository {
    /// The kept metadata of each of `tokens` that has some.
    func tokenMetadata(_ tokens: [Address]) async throws(StoreError) -> [Address: TokenMetadata]
    func saveTokenMetadata(_ metadata: [TokenMetadata]) async throws(StoreError)
    /// ERC-20 contracts that moved tokens to or from `address` in its indexed history, most
    /// recently seen first, at most `limit`.
    func tokensSeen(by address: Address, limit: Int) async throws(StoreError) -> [Address]
    /// The tokens `address` added by hand, in the order added.
    func addedTokens(of address: Address) async throws(StoreError) -> [Address]
    /// Adds `token` to `address`'s tokens unless it has `limit` already (false then, nothing
    /// written); adding one already there changes nothing and is true.
    func addToken(_ token: Address, for address: Address, limit: Int, at date: Date) async throws(StoreError) -> Bool
    /// Removes `token` from `address`'s added tokens; false when it was not there.
    @discardableResult
    func removeToken(_ token: Address, for address: Address) async throws(StoreError) -> Bool
    /// The latest approval of each (token, spender) pair `owner` gave, newest first, at most `limit`.
    func latestApprovals(of owner: Address, limit: Int) async throws(StoreError) -> [TokenApproval]
}
