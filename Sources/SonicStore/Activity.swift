import Foundation
import GRDB

/// One thing that happened to one address, as its history shows it: a transfer in or out,
/// a token transfer, a mint, a purchase, a contract call. Amounts are exact integer strings in
/// the token's base unit (wei for S).
public struct ActivityEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case transfer, tokenTransfer = "token_transfer", nftMint = "nft_mint", nftTransfer = "nft_transfer"
        case subscription, contractCall = "contract_call", contractCreation = "contract_creation"
    }

    public enum Direction: String, Sendable, CaseIterable {
        case incoming = "in", outgoing = "out", own = "self"
    }

    /// Lowercase `0x…` address whose history this entry belongs to.
    public var address: String
    public var block: UInt64
    public var txIndex: Int
    /// Order inside the transaction: -1 for the transaction itself, else the log index.
    public var seq: Int
    public var hash: String
    /// Unix seconds of the block.
    public var time: UInt64
    public var kind: Kind
    public var direction: Direction
    public var counterparty: String?
    public var amountWei: String
    public var tokenSymbol: String
    /// nil for the native coin.
    public var tokenAddress: String?
    public var tokenDecimals: Int
    public var nftContract: String?
    public var tokenID: String?
    /// What this address paid for the transaction; only on the sender's entry.
    public var feeWei: String?
    /// `confirmed` or `failed`.
    public var status: String
    public var reason: String?
    public var method: String?

    public init(address: String, block: UInt64, txIndex: Int, seq: Int, hash: String, time: UInt64, kind: Kind, direction: Direction,
                counterparty: String?, amountWei: String, tokenSymbol: String, tokenAddress: String? = nil, tokenDecimals: Int,
                nftContract: String? = nil, tokenID: String? = nil, feeWei: String? = nil, status: String, reason: String? = nil,
                method: String? = nil) {
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
    }

    /// Where this entry sits in the history; pages continue after a position.
    public var position: HistoryPosition { HistoryPosition(block: block, txIndex: txIndex, seq: seq) }

    /// The columns `init(row:)` reads, in its order (by position: faster than by name).
    static let columns = """
        address, block, tx_index, seq, hash, time, type, direction, counterparty, amount_wei, token_symbol, token_address,
        token_decimals, nft_contract, token_id, fee_wei, status, reason, method
        """

    init(row: Row) {
        address = row[0]
        block = UInt64(row[1] as Int64)
        txIndex = row[2]
        seq = row[3]
        hash = row[4]
        time = UInt64(row[5] as Int64)
        kind = Kind(rawValue: row[6]) ?? .contractCall
        direction = Direction(rawValue: row[7]) ?? .incoming
        counterparty = row[8]
        amountWei = row[9]
        tokenSymbol = row[10]
        tokenAddress = row[11]
        tokenDecimals = row[12]
        nftContract = row[13]
        tokenID = row[14]
        feeWei = row[15]
        status = row[16]
        reason = row[17]
        method = row[18]
    }

    static let insertSQL = """
        INSERT INTO activity (address, block, tx_index, seq, hash, time, type, direction, counterparty, amount_wei, token_symbol,
            token_address, token_decimals, nft_contract, token_id, fee_wei, status, reason, method, source)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    func arguments(source: String) -> StatementArguments {
        [address, Int64(block), txIndex, seq, hash, Int64(time), kind.rawValue, direction.rawValue, counterparty, amountWei, tokenSymbol,
         tokenAddress, tokenDecimals, nftContract, tokenID, feeWei, status, reason, method, source]
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
    public var address: String
    public var limit: Int
    /// Entries strictly older than this position.
    public var after: HistoryPosition?
    public var direction: ActivityEntry.Direction?
    public var kind: ActivityEntry.Kind?
    /// A symbol (case-insensitive) or a lowercase token address.
    public var token: String?

    public init(address: String, limit: Int = 25, after: HistoryPosition? = nil, direction: ActivityEntry.Direction? = nil,
                kind: ActivityEntry.Kind? = nil, token: String? = nil) {
        self.address = address
        self.limit = limit
        self.after = after
        self.direction = direction
        self.kind = kind
        self.token = token
    }
}
