import Ethereum
import Foundation
import GRDB

/// One thing that happened to one address, as its history shows it: a transfer in or out,
/// a token transfer, a mint, a purchase, a contract call. Amounts are exact integers in the
/// token's base unit (wei for S).
public struct ActivityEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, DatabaseValueConvertible {
        case transfer, tokenTransfer = "token_transfer", nftMint = "nft_mint", nftTransfer = "nft_transfer"
        case subscription, contractCall = "contract_call", contractCreation = "contract_creation"
        /// An ERC-20 allowance given: the amount is what `counterparty` (the spender) may move.
        case tokenApproval = "token_approval"
        /// S staked through the SFC (`Delegated`): the transaction's own value, out.
        case stake
        /// Stake set aside for withdrawal (`Undelegated`): no S moves yet (direction `self`).
        case unstake
        /// Unstaked S paid back by the SFC (`Withdrawn`), in.
        case stakeWithdrawal = "stake_withdrawal"
        /// Staking rewards paid by the SFC (`ClaimedRewards`), in.
        case rewardsClaim = "rewards_claim"
        /// Rewards added to the stake (`RestakedRewards`): no S moves (direction `self`).
        case rewardsRestake = "rewards_restake"
        /// S wrapped into wS (`Deposit`): the transaction's value, out.
        case wrap
        /// wS unwrapped into S (`Withdrawal`): the S paid back by wS, in.
        case unwrap
        /// S a contract paid to this address inside the transaction (a router paying a swap's S), in.
        case contractPayout = "contract_payout"
    }

    public enum Direction: String, Sendable, CaseIterable, DatabaseValueConvertible {
        case incoming = "in", outgoing = "out", own = "self"
    }

    /// How the transaction ended.
    public enum Status: String, Sendable, CaseIterable, DatabaseValueConvertible {
        case confirmed, failed
    }

    /// The address whose history this entry belongs to.
    public var address: Address
    public var block: UInt64
    public var txIndex: Int
    /// Order inside the transaction: -1 for the transaction itself, else the log index.
    public var seq: Int
    public var hash: Hash32
    /// Unix seconds of the block.
    public var time: UInt64
    public var kind: Kind
    public var direction: Direction
    public var counterparty: Address?
    public var amountWei: UInt256
    public var tokenSymbol: String
    /// nil for the native coin.
    public var tokenAddress: Address?
    public var tokenDecimals: Int
    public var nftContract: Address?
    public var tokenID: UInt256?
    /// What this address paid for the transaction; only on the sender's entry.
    public var feeWei: UInt256?
    public var status: Status
    public var reason: String?
    public var method: String?
    /// The validator a staking entry is about (stake, unstake, withdrawal, rewards).
    public var validator: UInt64?
    /// The withdrawal request an unstake opened or a withdrawal closed (the SFC's `wrID`).
    public var requestID: UInt64?

    public init(address: Address, block: UInt64, txIndex: Int, seq: Int, hash: Hash32, time: UInt64, kind: Kind, direction: Direction,
                counterparty: Address?, amountWei: UInt256, tokenSymbol: String, tokenAddress: Address? = nil, tokenDecimals: Int,
                nftContract: Address? = nil, tokenID: UInt256? = nil, feeWei: UInt256? = nil, status: Status, reason: String? = nil,
                method: String? = nil, validator: UInt64? = nil, requestID: UInt64? = nil) {
        self.address = address
        self.block = block
        self.txIndex = txIndex
        self.seq = seq
        self.hash = hash
        self.time = time
        self.kind = kind
        self.direction = direction
        self.counterparty = counterparty
        self.amountWei = amountWei
        self.tokenSymbol = tokenSymbol
        self.tokenAddress = tokenAddress
        self.tokenDecimals = tokenDecimals
        self.nftContract = nftContract
        self.tokenID = tokenID
        self.feeWei = feeWei
        self.status = status
        self.reason = reason
        self.method = method
        self.validator = validator
        self.requestID = requestID
    }

    /// Where this entry sits in the history; pages continue after a position.
    public var position: HistoryPosition { HistoryPosition(block: block, txIndex: txIndex, seq: seq) }

    /// The columns of `activity` an entry reads and writes, in that order.
    enum Columns: Int, TableColumns {
        case address, block, txIndex, seq, hash, time, type, direction, counterparty, amountWei, tokenSymbol, tokenAddress, tokenDecimals
        case nftContract, tokenId, feeWei, status, reason, method, validator, requestId
        static let table = "activity"
    }

    /// Reads a row selected with `Columns.selection()`, by position.
    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        address = try row.value(Columns.address)
        block = try row.value(Columns.block)
        txIndex = try row.value(Columns.txIndex)
        seq = try row.value(Columns.seq)
        hash = try row.value(Columns.hash)
        time = try row.value(Columns.time)
        kind = try row.value(Columns.type)
        direction = try row.value(Columns.direction)
        counterparty = try row.optional(Columns.counterparty)
        amountWei = try row.value(Columns.amountWei)
        tokenSymbol = try row.value(Columns.tokenSymbol)
        tokenAddress = try row.optional(Columns.tokenAddress)
        tokenDecimals = try row.value(Columns.tokenDecimals)
        nftContract = try row.optional(Columns.nftContract)
        tokenID = try row.optional(Columns.tokenId)
        feeWei = try row.optional(Columns.feeWei)
        status = try row.value(Columns.status)
        reason = try row.optional(Columns.reason)
        method = try row.optional(Columns.method)
        validator = try row.optional(Columns.validator)
        requestID = try row.optional(Columns.requestId)
    }

    static let insertSQL = "INSERT INTO activity (\(Columns.selection()), source) VALUES (\(Array(repeating: "?", count: Columns.count + 1).joined(separator: ", ")))"

    /// The values of `Columns`, in order, then the source.
    func values(source: String) -> [(any DatabaseValueConvertible)?] {
        [address, Int64(block), txIndex, seq, hash, Int64(time), kind, direction, counterparty, amountWei, tokenSymbol,
         tokenAddress, tokenDecimals, nftContract, tokenID, feeWei, status, reason, method, validator.map { Int64($0) },
         requestID.map { Int64($0) }, source]
    }
}

/// A place in an address's history, newest first: (block, transaction index, seq) descending.
public struct HistoryPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let block: UInt64
    public let txIndex: Int
    public let seq: Int

    public init(block: UInt64, txIndex: Int, seq: Int) {
        self.block = block
        self.txIndex = txIndex
        self.seq = seq
    }

    /// The text form used as a page cursor: `block.txIndex.seq`.
    public var description: String { "\(block).\(txIndex).\(seq)" }

    /// Parses the cursor form; nil when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let block = UInt64(parts[0]), block <= UInt64(Int64.max), let txIndex = Int(parts[1]), txIndex >= 0,
              let seq = Int(parts[2]), seq >= -1
        else { return nil }
        self.init(block: block, txIndex: txIndex, seq: seq)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.block, lhs.txIndex, lhs.seq) < (rhs.block, rhs.txIndex, rhs.seq)
    }
}

/// Which entries of a history to read.
public struct HistoryQuery: Sendable, Equatable {
    /// Entries of one token: by its symbol (any case) or by its contract's address.
    public enum Token: Sendable, Equatable {
        case symbol(String)
        case address(Address)
    }

    public var address: Address
    public var limit: Int
    /// Entries strictly older than this position.
    public var after: HistoryPosition?
    public var direction: ActivityEntry.Direction?
    public var kind: ActivityEntry.Kind?
    public var token: Token?

    public init(address: Address, limit: Int = 25, after: HistoryPosition? = nil, direction: ActivityEntry.Direction? = nil,
                kind: ActivityEntry.Kind? = nil, token: Token? = nil) {
        self.address = address
        self.limit = limit
        self.after = after
        self.direction = direction
        self.kind = kind
        self.token = token
    }
}
