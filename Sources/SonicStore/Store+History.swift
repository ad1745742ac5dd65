import Foundation
import GRDB

/// A block header as the indexer keeps it.
public struct IndexedBlock: Sendable, Equatable {
    public let number: UInt64
    public let hash: String
    public let parentHash: String
    public let timestamp: UInt64

    public init(number: UInt64, hash: String, parentHash: String, timestamp: UInt64) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.timestamp = timestamp
    }
}

/// A mined transaction as the indexer keeps it.
public struct IndexedTransaction: Sendable, Equatable {
    public let hash: String
    public let block: UInt64
    public let index: Int
    public let sender: String
    public let recipient: String?
    public let valueWei: String
    public let feeWei: String
    public let gasUsed: UInt64
    public let succeeded: Bool
    public let reason: String?

    public init(hash: String, block: UInt64, index: Int, sender: String, recipient: String?, valueWei: String, feeWei: String,
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
}

/// An ERC-721 transfer; a mint when `sender` is the zero address.
public struct NFTTransferRecord: Sendable, Equatable {
    public let contract: String
    public let tokenID: String
    public let block: UInt64
    public let logIndex: Int
    public let sender: String
    public let receiver: String
    public let tokenURI: String?
    public let hash: String
    public let time: UInt64

    public init(contract: String, tokenID: String, block: UInt64, logIndex: Int, sender: String, receiver: String, tokenURI: String?,
                hash: String, time: UInt64) {
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
}

/// An NFT an address holds now, with how it was minted.
public struct OwnedNFT: Sendable, Equatable {
    public let contract: String
    public let tokenID: String
    public let tokenURI: String?
    public let mintTransaction: String?
    public let mintedAt: UInt64?
    public let acquiredAt: UInt64
}

/// What the indexer read from a run of consecutive blocks; written in one transaction so the
/// database never holds half a block.
public struct IndexBatch: Sendable {
    public var blocks: [IndexedBlock] = []
    public var transactions: [IndexedTransaction] = []
    public var entries: [ActivityEntry] = []
    public var nftTransfers: [NFTTransferRecord] = []
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

extension Store {
    /// Writes a batch and moves the indexer's position to its last block, all or nothing.
    /// Tracked transactions mined in the batch become confirmed or failed.
    /// - Throws: `StoreError` (nothing is written then).
    public func apply(_ batch: IndexBatch, chainID: UInt64, at date: Date = Date()) throws(StoreError) {
        do {
            try pool.write { db in
                for block in batch.blocks {
                    try db.execute(sql: "INSERT INTO indexed_block (number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)",
                                   arguments: [Int64(block.number), block.hash, block.parentHash, Int64(block.timestamp)])
                }
                for transaction in batch.transactions {
                    try db.execute(sql: """
                        INSERT INTO indexed_transaction (hash, block, tx_index, sender, recipient, value_wei, fee_wei, status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [transaction.hash, Int64(transaction.block), transaction.index, transaction.sender, transaction.recipient,
                                         transaction.valueWei, transaction.feeWei, transaction.succeeded ? "confirmed" : "failed"])
                    try db.execute(sql: """
                        UPDATE tracked_transaction SET state = ?, block = ?, gas_used = ?, fee_wei = ?, reason = ?, updated_at = ?
                        WHERE hash = ? AND state IN ('pending', 'dropped')
                        """, arguments: [transaction.succeeded ? "confirmed" : "failed", Int64(transaction.block), Int64(transaction.gasUsed),
                                         transaction.feeWei, transaction.succeeded ? nil : (transaction.reason ?? "reverted"),
                                         date.timeIntervalSince1970, transaction.hash])
                }
                let insert = try db.cachedStatement(sql: ActivityEntry.insertSQL)
                for entry in batch.entries {
                    try insert.execute(arguments: entry.arguments(source: "node"))
                }
                for transfer in batch.nftTransfers {
                    try db.execute(sql: """
                        INSERT INTO nft_transfer (contract, token_id, block, log_index, sender, receiver, token_uri, hash, time)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [transfer.contract, transfer.tokenID, Int64(transfer.block), transfer.logIndex, transfer.sender,
                                         transfer.receiver, transfer.tokenURI, transfer.hash, Int64(transfer.time)])
                }
                guard let last = batch.blocks.last?.number else { return }
                if let keep = batch.keepHeaders, last > keep {
                    try db.execute(sql: "DELETE FROM indexed_block WHERE number < ?", arguments: [Int64(last - keep)])
                }
                try db.execute(sql: """
                    INSERT INTO sync_state (chain_id, head, chain_head, blocks_total, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(chain_id) DO UPDATE SET head = excluded.head, chain_head = excluded.chain_head,
                        blocks_total = sync_state.blocks_total + excluded.blocks_total, updated_at = excluded.updated_at
                    """, arguments: [Int64(chainID), Int64(last), Int64(batch.chainHead), batch.blocks.count, date.timeIntervalSince1970])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Forgets everything the indexer wrote above `block` (a reorganisation replaced it), or
    /// everything when `block` is nil: tracked transactions mined there are pending again.
    public func rollBack(above block: UInt64?, chainID: UInt64, at date: Date = Date()) throws(StoreError) {
        do {
            try pool.write { db in
                let above = block.map { Int64($0) } ?? -1
                try db.execute(sql: "DELETE FROM activity WHERE block > ?", arguments: [above])
                try db.execute(sql: "DELETE FROM nft_transfer WHERE block > ?", arguments: [above])
                try db.execute(sql: "DELETE FROM indexed_transaction WHERE block > ?", arguments: [above])
                try db.execute(sql: "DELETE FROM indexed_block WHERE number > ?", arguments: [above])
                try db.execute(sql: """
                    UPDATE tracked_transaction SET state = 'pending', block = NULL, gas_used = NULL, fee_wei = NULL, reason = NULL, updated_at = ?
                    WHERE block > ? AND state IN ('confirmed', 'failed')
                    """, arguments: [date.timeIntervalSince1970, above])
                if block == nil {
                    try db.execute(sql: "DELETE FROM sync_state WHERE chain_id = ?", arguments: [Int64(chainID)])
                } else {
                    try db.execute(sql: "UPDATE sync_state SET head = ?, updated_at = ? WHERE chain_id = ? AND head > ?",
                                   arguments: [above, date.timeIntervalSince1970, Int64(chainID), above])
                }
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The indexer's position and progress, or nil before it first ran.
    public func indexerState(chainID: UInt64) throws(StoreError) -> IndexerState? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT head, chain_head, blocks_total, updated_at FROM sync_state WHERE chain_id = ?",
                                 arguments: [Int64(chainID)])
                    .map { row in
                        IndexerState(indexed: UInt64(row["head"] as Int64), chainHead: (row["chain_head"] as Int64?).map { UInt64($0) },
                                     blocksTotal: UInt64(row["blocks_total"] as Int64), updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
                    }
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The header kept for block `number`, if any.
    public func indexedBlock(_ number: UInt64) throws(StoreError) -> IndexedBlock? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM indexed_block WHERE number = ?", arguments: [Int64(number)]).map { row in
                    IndexedBlock(number: UInt64(row["number"] as Int64), hash: row["hash"], parentHash: row["parent_hash"],
                                 timestamp: UInt64(row["timestamp"] as Int64))
                }
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// One page of an address's history, newest first.
    public func history(_ query: HistoryQuery) throws(StoreError) -> [ActivityEntry] {
        var conditions = ["address = ?"]
        var arguments: StatementArguments = [query.address]
        if let after = query.after {
            conditions.append("(block, tx_index, seq) < (?, ?, ?)")
            arguments += [Int64(after.block), after.txIndex, after.seq]
        }
        if let direction = query.direction {
            conditions.append("direction = ?")
            arguments += [direction.rawValue]
        }
        if let kind = query.kind {
            conditions.append("type = ?")
            arguments += [kind.rawValue]
        }
        if let token = query.token {
            conditions.append("(token_symbol = ? COLLATE NOCASE OR token_address = ?)")
            arguments += [token, token.lowercased()]
        }
        arguments += [query.limit]
        let sql = "SELECT \(ActivityEntry.columns) FROM activity WHERE \(conditions.joined(separator: " AND ")) ORDER BY block DESC, tx_index DESC, seq DESC LIMIT ?"
        do {
            return try pool.read { db in
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(ActivityEntry.init(row:))
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Entries written from another source (an explorer's backfill); ones already there are kept.
    /// - Returns: how many were new.
    @discardableResult
    public func insertBackfilled(_ entries: [ActivityEntry], source: String) throws(StoreError) -> Int {
        do {
            return try pool.write { db in
                let insert = try db.cachedStatement(sql: ActivityEntry.insertSQL.replacingOccurrences(of: "INSERT INTO", with: "INSERT OR IGNORE INTO"))
                var added = 0
                for entry in entries {
                    // The node's own copy of a transaction wins; skip what it already decoded.
                    let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM activity WHERE address = ? AND hash = ? AND source = 'node')",
                                                  arguments: [entry.address, entry.hash]) ?? false
                    guard !known else { continue }
                    try insert.execute(arguments: entry.arguments(source: source))
                    added += db.changesCount
                }
                return added
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The NFTs `owner` holds now (by the last transfer of each token), newest first.
    public func ownedNFTs(_ owner: String) throws(StoreError) -> [OwnedNFT] {
        do {
            return try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT t.contract, t.token_id, t.time AS acquired, m.token_uri, m.hash AS mint_hash, m.time AS minted
                    FROM nft_transfer t
                    LEFT JOIN nft_transfer m ON m.contract = t.contract AND m.token_id = t.token_id
                        AND m.sender = '0x0000000000000000000000000000000000000000'
                    WHERE t.receiver = ? AND NOT EXISTS (
                        SELECT 1 FROM nft_transfer later WHERE later.contract = t.contract AND later.token_id = t.token_id
                            AND (later.block, later.log_index) > (t.block, t.log_index))
                    ORDER BY t.block DESC, t.log_index DESC
                    """, arguments: [owner]).map { row in
                    OwnedNFT(contract: row["contract"], tokenID: row["token_id"], tokenURI: row["token_uri"], mintTransaction: row["mint_hash"],
                             mintedAt: (row["minted"] as Int64?).map { UInt64($0) }, acquiredAt: UInt64(row["acquired"] as Int64))
                }
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Adds `address` (lowercase) to the watched set; returns true when it was new.
    @discardableResult
    public func watch(_ address: String, source: String, at date: Date = Date()) throws(StoreError) -> Bool {
        do {
            return try pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO watched_address (address, source, added_at) VALUES (?, ?, ?)",
                               arguments: [address, source, date.timeIntervalSince1970])
                return db.changesCount > 0
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The watched addresses (lowercase), and which have not been backfilled yet.
    public func watchedAddresses() throws(StoreError) -> (all: Set<String>, notBackfilled: [String]) {
        do {
            return try pool.read { db in
                let rows = try Row.fetchAll(db, sql: "SELECT address, backfilled_at FROM watched_address ORDER BY added_at")
                return (Set(rows.map { $0["address"] as String }),
                        rows.filter { ($0["backfilled_at"] as Double?) == nil }.map { $0["address"] as String })
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Records that `address`'s older history was backfilled.
    public func markBackfilled(_ address: String, at date: Date = Date()) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "UPDATE watched_address SET backfilled_at = ? WHERE address = ?", arguments: [date.timeIntervalSince1970, address])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// How many entries of the change log of tracked transactions are kept (by the trigger of
    /// migration v7): a watcher that falls further behind than this misses changes (the
    /// watchers read it every few milliseconds).
    public static let trackedChangesKept = 100_000

    /// The number of the newest change of a tracked transaction's state (0 before any).
    public func lastTrackedChange() throws(StoreError) -> Int64 {
        do {
            return try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM tracked_change") ?? 0 }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The tracked transactions whose state changed (by any process) after change number `seq`,
    /// each once and in its current state, oldest change first; and the number of the last
    /// change read (`seq` when there was none).
    public func trackedChanges(after seq: Int64) throws(StoreError) -> (last: Int64, changes: [TrackedTransaction]) {
        do {
            return try pool.read { db in
                var last = seq
                var changes: [TrackedTransaction] = []
                var position: [String: Int] = [:]
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT \(TrackedTransaction.columns), seq FROM tracked_change JOIN tracked_transaction USING (hash)
                    WHERE seq > ? ORDER BY seq
                    """, arguments: [seq])
                while let row = try rows.next() {
                    let change = TrackedTransaction(row: row)
                    last = row[TrackedTransaction.columnCount]
                    if let index = position[change.hash] { changes[index] = change } else {
                        position[change.hash] = changes.count
                        changes.append(change)
                    }
                }
                return (last, changes)
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }
}
