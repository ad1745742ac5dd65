import Ethereum
import Foundation
import GRDB

extension Store {
    /// Writes a batch and moves the indexer's position to its last block, all or nothing.
    /// Tracked transactions mined in the batch become confirmed or failed.
    /// - Throws: `StoreError` (nothing is written then).
    public func apply(_ batch: IndexBatch, chainID: UInt64, at date: Date) throws(StoreError) {
        try write { db in
            for block in batch.blocks {
                try db.execute(sql: "INSERT INTO indexed_block (\(IndexedBlock.Columns.selection())) VALUES (?, ?, ?, ?)",
                               arguments: [Int64(block.number), block.hash, block.parentHash, Int64(block.timestamp)])
            }
            for transaction in batch.transactions {
                try db.execute(sql: """
                    INSERT INTO indexed_transaction (hash, block, tx_index, sender, recipient, value_wei, fee_wei, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [transaction.hash, Int64(transaction.block), transaction.index, transaction.sender, transaction.recipient,
                                     transaction.valueWei, transaction.feeWei, transaction.status])
                try db.execute(sql: """
                    UPDATE tracked_transaction SET state = ?, block = ?, gas_used = ?, fee_wei = ?, reason = ?, updated_at = ?
                    WHERE hash = ? AND state IN ('pending', 'dropped')
                    """, arguments: [transaction.succeeded ? TrackedTransaction.State.confirmed : .failed, Int64(transaction.block),
                                     Int64(transaction.gasUsed), transaction.feeWei, transaction.succeeded ? nil : (transaction.reason ?? "reverted"),
                                     date.timeIntervalSince1970, transaction.hash])
            }
            let insert = try db.cachedStatement(sql: ActivityEntry.insertSQL)
            for entry in batch.entries {
                try insert.execute(arguments: StatementArguments(entry.values(source: "node")))
            }
            let insertTransfer = try db.cachedStatement(sql: NFTTransferRecord.insertSQL)
            for transfer in batch.nftTransfers {
                try insertTransfer.execute(arguments: StatementArguments(transfer.values))
            }
            let insertApproval = try db.cachedStatement(sql: TokenApproval.insertSQL)
            for approval in batch.approvals {
                try insertApproval.execute(arguments: StatementArguments(approval.values))
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
    }

    /// Forgets everything the indexer wrote above `block` (a reorganisation replaced it), or
    /// everything when `block` is nil: tracked transactions mined there are pending again.
    public func rollBack(above block: UInt64?, chainID: UInt64, at date: Date) throws(StoreError) {
        try write { db in
            let above = block.map { Int64($0) } ?? -1
            try db.execute(sql: "DELETE FROM activity WHERE block > ?", arguments: [above])
            try db.execute(sql: "DELETE FROM nft_transfer WHERE block > ?", arguments: [above])
            try db.execute(sql: "DELETE FROM token_approval WHERE block > ?", arguments: [above])
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
    }

    /// The indexer's position and progress, or nil before it first ran.
    public func indexerState(chainID: UInt64) throws(StoreError) -> IndexerState? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT head, chain_head, blocks_total, updated_at FROM sync_state WHERE chain_id = ?",
                             arguments: [Int64(chainID)])
                .map { row in
                    IndexerState(indexed: UInt64(row["head"] as Int64), chainHead: (row["chain_head"] as Int64?).map { UInt64($0) },
                                 blocksTotal: UInt64(row["blocks_total"] as Int64), updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
                }
        }
    }

    /// The header kept for block `number`, if any.
    public func indexedBlock(_ number: UInt64) throws(StoreError) -> IndexedBlock? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(IndexedBlock.Columns.selection()) FROM indexed_block WHERE number = ?", arguments: [Int64(number)])
                .map { row throws(StoreError) in try IndexedBlock(row: row) }
        }
    }

    /// Entries written from another source (an explorer's backfill); ones already there are kept.
    /// - Returns: how many were new.
    @discardableResult
    public func insertBackfilled(_ entries: [ActivityEntry], source: String) throws(StoreError) -> Int {
        try write { db in
            let insert = try db.cachedStatement(sql: ActivityEntry.insertSQL.replacingOccurrences(of: "INSERT INTO", with: "INSERT OR IGNORE INTO"))
            var added = 0
            for entry in entries {
                // The node's own copy of a transaction wins; skip what it already decoded.
                let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM activity WHERE address = ? AND hash = ? AND source = 'node')",
                                              arguments: [entry.address, entry.hash]) ?? false
                guard !known else { continue }
                try insert.execute(arguments: StatementArguments(entry.values(source: source)))
                added += db.changesCount
            }
            return added
        }
    }

    /// Adds `address` to the watched set until `expiresAt` (nil: for good), or extends its watch;
    /// returns true when it was new. An address whose watch had lapsed is watched again, and
    /// the blocks since it lapsed become a gap for the indexer to fill.
    @discardableResult
    public func watch(_ address: Address, source: String, at date: Date, until expiresAt: Date?) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO watched_address (address, source, added_at, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [address, source, date.timeIntervalSince1970, expiresAt?.timeIntervalSince1970])
            guard db.changesCount == 0 else { return true }
            try db.execute(sql: """
                UPDATE watched_address SET
                    expires_at = CASE WHEN expires_at IS NULL OR ? IS NULL THEN NULL ELSE max(expires_at, ?) END,
                    gap_from = CASE WHEN lapsed_after IS NULL THEN gap_from ELSE min(coalesce(gap_from, lapsed_after + 1), lapsed_after + 1) END,
                    lapsed_after = NULL
                WHERE address = ?
                """, arguments: [expiresAt?.timeIntervalSince1970, expiresAt?.timeIntervalSince1970, address])
            return false
        }
    }

    /// Ends the watches whose time is up at `now`, recording `indexed` (the last block the
    /// indexer wrote) as the last block covered for them; returns how many ended.
    @discardableResult
    public func lapseWatches(at now: Date, indexed: UInt64) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: """
                UPDATE watched_address SET lapsed_after = ? WHERE expires_at IS NOT NULL AND expires_at <= ? AND lapsed_after IS NULL
                """, arguments: [Int64(indexed), now.timeIntervalSince1970])
            return db.changesCount
        }
    }

    /// The watched addresses whose watch has not lapsed, and which have not been backfilled yet.
    /// - Throws: `StoreError.corruptValue` when a stored address does not parse.
    public func watchedAddresses() throws(StoreError) -> (all: Set<Address>, notBackfilled: [Address]) {
        try read { db in
            var all = Set<Address>(), notBackfilled: [Address] = []
            for row in try Row.fetchAll(db, sql: "SELECT address, backfilled_at FROM watched_address WHERE lapsed_after IS NULL ORDER BY added_at") {
                let address: Address = try row.value(WatchedColumns.address)
                all.insert(address)
                if (row[WatchedColumns.backfilledAt.rawValue] as Double?) == nil { notBackfilled.append(address) }
            }
            return (all, notBackfilled)
        }
    }

    /// The watched addresses with blocks to re-read (watched again after a lapse), and the first such block.
    public func watchGaps() throws(StoreError) -> [(address: Address, from: UInt64)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT address, gap_from FROM watched_address WHERE gap_from IS NOT NULL AND lapsed_after IS NULL ORDER BY gap_from")
                .map { row throws(StoreError) in (try row.value(WatchedColumns.address), UInt64(max(0, row[1] as Int64))) }
        }
    }

    /// Writes what the blocks `from...through` held for one address watched again (what is
    /// there already is kept), and moves its gap past them (closed when `through` reaches
    /// `indexed`); all or nothing. If it was watched again meanwhile from an earlier block, the
    /// gap stays where that put it.
    public func fillGap(_ batch: IndexBatch, of address: Address, from: UInt64, through: UInt64, indexed: UInt64) throws(StoreError) {
        try write { db in
            for transaction in batch.transactions {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO indexed_transaction (hash, block, tx_index, sender, recipient, value_wei, fee_wei, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [transaction.hash, Int64(transaction.block), transaction.index, transaction.sender, transaction.recipient,
                                     transaction.valueWei, transaction.feeWei, transaction.status])
            }
            let insert = try db.cachedStatement(sql: ActivityEntry.insertSQL.replacingOccurrences(of: "INSERT INTO", with: "INSERT OR IGNORE INTO"))
            for entry in batch.entries { try insert.execute(arguments: StatementArguments(entry.values(source: "node"))) }
            let insertTransfer = try db.cachedStatement(sql: NFTTransferRecord.insertSQL.replacingOccurrences(of: "INSERT INTO", with: "INSERT OR IGNORE INTO"))
            for transfer in batch.nftTransfers { try insertTransfer.execute(arguments: StatementArguments(transfer.values)) }
            let insertApproval = try db.cachedStatement(sql: TokenApproval.insertSQL.replacingOccurrences(of: "INSERT INTO", with: "INSERT OR IGNORE INTO"))
            for approval in batch.approvals { try insertApproval.execute(arguments: StatementArguments(approval.values)) }
            try db.execute(sql: "UPDATE watched_address SET gap_from = ? WHERE address = ? AND gap_from = ?",
                           arguments: [through >= indexed ? nil : Int64(through + 1), address, Int64(from)])
        }
    }

    /// Records that `address`'s older history was backfilled.
    public func markBackfilled(_ address: Address, at date: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE watched_address SET backfilled_at = ? WHERE address = ?", arguments: [date.timeIntervalSince1970, address])
        }
    }

    /// What `watchedAddresses` reads of `watched_address`, in order.
    enum WatchedColumns: Int, TableColumns {
        case address, backfilledAt
        static let table = "watched_address"
    }
}
