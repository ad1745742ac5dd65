import Ethereum
import Foundation
import GRDB

/// A block header as the indexer keeps it.
public struct IndexedBlock: Sendable, Equatable {
    public let number: UInt64
    public let hash: Hash32
    public let parentHash: Hash32
    public let timestamp: UInt64

    public init(number: UInt64, hash: Hash32, parentHash: Hash32, timestamp: UInt64) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.timestamp = timestamp
    }

    /// The columns of `indexed_block`, in the order a record reads them.
    enum Columns: Int, TableColumns {
        case number, hash, parentHash, timestamp
        static let table = "indexed_block"
    }

    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        number = try row.value(Columns.number)
        hash = try row.value(Columns.hash)
        parentHash = try row.value(Columns.parentHash)
        timestamp = try row.value(Columns.timestamp)
    }
}

/// A mined transaction as the indexer keeps it.
public struct IndexedTransaction: Sendable, Equatable {
    public let hash: Hash32
    public let block: UInt64
    public let index: Int
    public let sender: Address
    public let recipient: Address?
    public let valueWei: UInt256
    public let feeWei: UInt256
    public let gasUsed: UInt64
    public let succeeded: Bool
    public let reason: String?

    public init(hash: Hash32, block: UInt64, index: Int, sender: Address, recipient: Address?, valueWei: UInt256, feeWei: UInt256,
                gasUsed: UInt64, succeeded: Bool, reason: String?) {
        self.hash = hash
        self.block = block
        self.index = index
        self.sender = sender
        self.recipient = recipient
        self.valueWei = valueWei
        self.feeWei = feeWei
        self.gasUsed = gasUsed
        self.succeeded = succeeded
        self.reason = reason
    }

    /// How it ended, as its history entries and a tracked transaction say it.
    public var status: ActivityEntry.Status { succeeded ? .confirmed : .failed }
}

/// An ERC-721 transfer; a mint when `sender` is the zero address.
public struct NFTTransferRecord: Sendable, Equatable {
    public let contract: Address
    public let tokenID: UInt256
    public let block: UInt64
    public let logIndex: Int
    public let sender: Address
    public let receiver: Address
    public let tokenURI: String?
    public let hash: Hash32
    public let time: UInt64

    public init(contract: Address, tokenID: UInt256, block: UInt64, logIndex: Int, sender: Address, receiver: Address, tokenURI: String?,
                hash: Hash32, time: UInt64) {
        self.contract = contract
        self.tokenID = tokenID
        self.block = block
        self.logIndex = logIndex
        self.sender = sender
        self.receiver = receiver
        self.tokenURI = tokenURI
        self.hash = hash
        self.time = time
    }

    /// The columns of `nft_transfer`, in the order a record writes them.
    enum Columns: Int, TableColumns {
        case contract, tokenId, block, logIndex, sender, receiver, tokenUri, hash, time
        static let table = "nft_transfer"
    }

    static let insertSQL = "INSERT INTO nft_transfer (\(Columns.selection())) VALUES (\(Array(repeating: "?", count: Columns.count).joined(separator: ", ")))"

    /// The values of `Columns`, in order.
    var values: [(any DatabaseValueConvertible)?] {
        [contract, tokenID, Int64(block), logIndex, sender, receiver, tokenURI, hash, Int64(time)]
    }
}

/// An NFT an address holds now, with how it was minted.
public struct OwnedNFT: Sendable, Equatable {
    public let contract: Address
    public let tokenID: UInt256
    public let tokenURI: String?
    public let mintTransaction: Hash32?
    public let mintedAt: UInt64?
    public let acquiredAt: UInt64

    public init(contract: Address, tokenID: UInt256, tokenURI: String?, mintTransaction: Hash32?, mintedAt: UInt64?, acquiredAt: UInt64) {
        self.contract = contract
        self.tokenID = tokenID
        self.tokenURI = tokenURI
        self.mintTransaction = mintTransaction
        self.mintedAt = mintedAt
        self.acquiredAt = acquiredAt
    }

    /// What `Store.ownedNFTs` selects, in order (read from `nft_transfer`, the last transfer and the mint).
    enum Columns: Int, TableColumns {
        case contract, tokenId, acquired, tokenUri, mintHash, minted
        static let table = "nft_transfer"
    }

    /// What `owner` (the one argument) holds now, by the last transfer of each token, newest first,
    /// with how it was minted: in `Columns` order, the same statement on both engines.
    static let selectSQL = """
        SELECT t.contract, t.token_id, t.time AS acquired, m.token_uri, m.hash AS mint_hash, m.time AS minted
        FROM nft_transfer t
        LEFT JOIN nft_transfer m ON m.contract = t.contract AND m.token_id = t.token_id
            AND m.sender = '0x0000000000000000000000000000000000000000'
        WHERE t.receiver = ? AND NOT EXISTS (
            SELECT 1 FROM nft_transfer later WHERE later.contract = t.contract AND later.token_id = t.token_id
                AND (later.block, later.log_index) > (t.block, t.log_index))
        ORDER BY t.block DESC, t.log_index DESC
        """

    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        contract = try row.value(Columns.contract)
        tokenID = try row.value(Columns.tokenId)
        acquiredAt = try row.value(Columns.acquired)
        tokenURI = try row.optional(Columns.tokenUri)
        mintTransaction = try row.optional(Columns.mintHash)
        mintedAt = try row.optional(Columns.minted)
    }
}

/// What the indexer read from a run of consecutive blocks; written in one transaction so the
/// database never holds half a block.
public struct IndexBatch: Sendable {
    public var blocks: [IndexedBlock] = []
    public var transactions: [IndexedTransaction] = []
    public var entries: [ActivityEntry] = []
    public var nftTransfers: [NFTTransferRecord] = []
    /// ERC-20 allowances given (`Approval` events).
    public var approvals: [TokenApproval] = []
    /// The node's head when the batch was read.
    public var chainHead: UInt64
    /// Drop headers older than this many blocks below the last one (nil keeps them all).
    public var keepHeaders: UInt64?

    public init(chainHead: UInt64, keepHeaders: UInt64? = nil) {
        self.chainHead = chainHead
        self.keepHeaders = keepHeaders
    }
}

/// The indexer's position and progress on one network.
public struct IndexerState: Sendable, Equatable {
    /// The last block written.
    public let indexed: UInt64
    public let chainHead: UInt64?
    public let blocksTotal: UInt64
    public let updatedAt: Date

    public var lag: UInt64? { chainHead.map { head in head - min(head, indexed) } }
}
