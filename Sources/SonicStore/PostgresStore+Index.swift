import Ethereum
import Foundation
import GRDB

/// The indexed chain on PostgreSQL: what the indexer writes (batches, rollbacks, watched
/// addresses, backfills) and what readers see (history pages, owned NFTs, balances over time).
/// The statements are `Store`'s, in PostgreSQL's words where SQLite's differ (`ON CONFLICT DO
/// NOTHING` for `INSERT OR IGNORE`, `greatest`/`least` for the scalar `max`/`min`, typed NULL
/// parameters).
extension PostgresStore: HistoryRepository, IndexRepository {
    public func apply(_ batch: IndexBatch, chainID: UInt64, at date: Date) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            for block in batch.blocks {
                try await db.execute("INSERT INTO indexed_block (\(IndexedBlock.Columns.selection())) VALUES (?, ?, ?, ?)",
                                     [Int64(block.number), block.hash, block.parentHash, Int64(block.timestamp)])
            }
            for transaction in batch.transactions {
                try await db.execute(Self.insertIndexedTransaction, Self.values(transaction))
                try await db.execute("""
                    UPDATE tracked_transaction SET state = ?, block = ?, gas_used = ?, fee_wei = ?, reason = ?, updated_at = ?
                    WHERE hash = ? AND state IN ('pending', 'dropped')
                    """, [transaction.succeeded ? TrackedTransaction.State.confirmed : .failed, Int64(transaction.block),
                          Int64(transaction.gasUsed), transaction.feeWei, transaction.succeeded ? nil : (transaction.reason ?? "reverted"),
                          date.timeIntervalSince1970, transaction.hash])
            }
            try await Self.insertRows(of: batch, source: "node", ignoringKnown: false, db)
            guard let last = batch.blocks.last?.number else { return }
            if let keep = batch.keepHeaders, last > keep {
                try await db.execute("DELETE FROM indexed_block WHERE number < ?", [Int64(last - keep)])
            }
            try await db.execute("""
                INSERT INTO sync_state (chain_id, head, chain_head, blocks_total, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (chain_id) DO UPDATE SET head = excluded.head, chain_head = excluded.chain_head,
                    blocks_total = sync_state.blocks_total + excluded.blocks_total, updated_at = excluded.updated_at
                """, [Int64(chainID), Int64(last), Int64(batch.chainHead), batch.blocks.count, date.timeIntervalSince1970])
        }
    }

    private static let insertIndexedTransaction = """
        INSERT INTO indexed_transaction (hash, block, tx_index, sender, recipient, value_wei, fee_wei, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """

    private static func values(_ transaction: IndexedTransaction) -> [(any DatabaseValueConvertible)?] {
        [transaction.hash, Int64(transaction.block), transaction.index, transaction.sender, transaction.recipient,
         transaction.valueWei, transaction.feeWei, transaction.status]
    }

    /// The batch's activity, NFT transfers and approvals; with `ignoringKnown`, rows already
    /// there are kept as they are.
    private static func insertRows(of batch: IndexBatch, source: String, ignoringKnown: Bool, _ db: Transaction) async throws(StoreError) {
        let ignore = ignoringKnown ? " ON CONFLICT DO NOTHING" : ""
        for entry in batch.entries { try await db.execute(ActivityEntry.insertSQL + ignore, entry.values(source: source)) }
        for transfer in batch.nftTransfers { try await db.execute(NFTTransferRecord.insertSQL + ignore, transfer.values) }
        for approval in batch.approvals { try await db.execute(TokenApproval.insertSQL + ignore, approval.values) }
    }

    public func rollBack(above block: UInt64?, chainID: UInt64, at date: Date) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            let above = block.map { Int64($0) } ?? -1
            for table in ["activity", "nft_transfer", "token_approval", "indexed_transaction"] {
                try await db.execute("DELETE FROM \(table) WHERE block > ?", [above])
            }
            try await db.execute("DELETE FROM indexed_block WHERE number > ?", [above])
            try await db.execute("""
                UPDATE tracked_transaction SET state = 'pending', block = NULL, gas_used = NULL, fee_wei = NULL, reason = NULL, updated_at = ?
                WHERE block > ? AND state IN ('confirmed', 'failed')
                """, [date.timeIntervalSince1970, above])
            if block == nil {
                try await db.execute("DELETE FROM sync_state WHERE chain_id = ?", [Int64(chainID)])
            } else {
                try await db.execute("UPDATE sync_state SET head = ?, updated_at = ? WHERE chain_id = ? AND head > ?",
                                     [above, date.timeIntervalSince1970, Int64(chainID), above])
            }
        }
    }

    public func indexerState(chainID: UInt64) async throws(StoreError) -> IndexerState? {
        guard let row = try await rows("SELECT head, chain_head, blocks_total, updated_at FROM sync_state WHERE chain_id = ?", [Int64(chainID)]).first,
              let head: Int64 = row[0], let total: Int64 = row[2], let updated: Double = row[3] else { return nil }
        return IndexerState(indexed: UInt64(head), chainHead: (row[1] as Int64?).map { UInt64($0) }, blocksTotal: UInt64(total),
                            updatedAt: Date(timeIntervalSince1970: updated))
    }

    public func indexedBlock(_ number: UInt64) async throws(StoreError) -> IndexedBlock? {
        try await rows("SELECT \(IndexedBlock.Columns.selection()) FROM indexed_block WHERE number = ?", [Int64(number)])
            .first.map { row throws(StoreError) in try IndexedBlock(row: row) }
    }

    @discardableResult
    public func insertBackfilled(_ entries: [ActivityEntry], source: String) async throws(StoreError) -> Int {
        try await transaction { (db: Transaction) async throws(StoreError) in
            var added = 0
            for entry in entries {
                // The node's own copy of a transaction wins; skip what it already decoded.
                let known = try await db.rows("SELECT 1 FROM activity WHERE address = ? AND hash = ? AND source = 'node' LIMIT 1",
                                              [entry.address, entry.hash])
                guard known.isEmpty else { continue }
                added += try await db.execute(ActivityEntry.insertSQL + " ON CONFLICT DO NOTHING", entry.values(source: source))
            }
            return added
        }
    }

    @discardableResult
    public func watch(_ address: Address, source: String, at date: Date, until expiresAt: Date?) async throws(StoreError) -> Bool {
        try await transaction { (db: Transaction) async throws(StoreError) in
            let added = try await db.execute("""
                INSERT INTO watched_address (address, source, added_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, [address, source, date.timeIntervalSince1970, expiresAt?.timeIntervalSince1970])
            guard added == 0 else { return true }
            try await db.execute("""
                UPDATE watched_address SET
                    expires_at = CASE WHEN expires_at IS NULL OR ?::double precision IS NULL THEN NULL ELSE greatest(expires_at, ?::double precision) END,
                    gap_from = CASE WHEN lapsed_after IS NULL THEN gap_from ELSE least(coalesce(gap_from, lapsed_after + 1), lapsed_after + 1) END,
                    lapsed_after = NULL
                WHERE address = ?
                """, [expiresAt?.timeIntervalSince1970, expiresAt?.timeIntervalSince1970, address])
            return false
        }
    }

    @discardableResult
    public func lapseWatches(at now: Date, indexed: UInt64) async throws(StoreError) -> Int {
        try await execute("""
            UPDATE watched_address SET lapsed_after = ? WHERE expires_at IS NOT NULL AND expires_at <= ? AND lapsed_after IS NULL
            """, [Int64(indexed), now.timeIntervalSince1970])
    }

    public func watchedAddresses() async throws(StoreError) -> (all: Set<Address>, notBackfilled: [Address]) {
        var all = Set<Address>(), notBackfilled: [Address] = []
        for row in try await rows("SELECT address, backfilled_at FROM watched_address WHERE lapsed_after IS NULL ORDER BY added_at") {
            let address: Address = try row.value(Store.WatchedColumns.address)
            all.insert(address)
            if (row[Store.WatchedColumns.backfilledAt.rawValue] as Double?) == nil { notBackfilled.append(address) }
        }
        return (all, notBackfilled)
    }

    public func watchGaps() async throws(StoreError) -> [(address: Address, from: UInt64)] {
        var gaps: [(address: Address, from: UInt64)] = []
        for row in try await rows("SELECT address, gap_from FROM watched_address WHERE gap_from IS NOT NULL AND lapsed_after IS NULL ORDER BY gap_from") {
            gaps.append((try row.value(Store.WatchedColumns.address), UInt64(max(0, row[1] ?? Int64(0)))))
        }
        return gaps
    }

    public func fillGap(_ batch: IndexBatch, of address: Address, from: UInt64, through: UInt64, indexed: UInt64) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            for transaction in batch.transactions {
                try await db.execute(Self.insertIndexedTransaction + " ON CONFLICT DO NOTHING", Self.values(transaction))
            }
            try await Self.insertRows(of: batch, source: "node", ignoringKnown: true, db)
            try await db.execute("UPDATE watched_address SET gap_from = ? WHERE address = ? AND gap_from = ?",
                                 [through >= indexed ? nil : Int64(through + 1), address, Int64(from)])
        }
    }

    public func markBackfilled(_ address: Address, at date: Date) async throws(StoreError) {
        try await execute("UPDATE watched_address SET backfilled_at = ? WHERE address = ?", [date.timeIntervalSince1970, address])
    }

    @discardableResult
    public func trim(conversationsBefore conversations: Date, cacheBefore cache: Date, trackedBefore tracked: Date) async throws(StoreError) -> Trimmed {
        try await transaction { (db: Transaction) async throws(StoreError) in
            var trimmed = Trimmed()
            trimmed.conversations = try await db.execute("DELETE FROM conversation WHERE updated_at < ?", [conversations.timeIntervalSince1970])
            trimmed.cached = try await db.execute("DELETE FROM cache WHERE stored_at < ?", [cache.timeIntervalSince1970])
            trimmed.trackedTransactions = try await db.execute("DELETE FROM tracked_transaction WHERE state != 'pending' AND updated_at < ?",
                                                               [tracked.timeIntervalSince1970])
            trimmed.alertEvents = try await db.execute("DELETE FROM alert_event WHERE delivery != 'pending' AND created_at < ?",
                                                       [tracked.timeIntervalSince1970])
            return trimmed
        }
    }

    // MARK: What readers see

    public func history(_ query: HistoryQuery) async throws(StoreError) -> [ActivityEntry] {
        var conditions = ["address = ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [query.address]
        if let after = query.after {
            conditions.append("(block, tx_index, seq) < (?, ?, ?)")
            arguments += [Int64(after.block), after.txIndex, after.seq]
        }
        if let direction = query.direction {
            conditions.append("direction = ?")
            arguments.append(direction)
        }
        if let kind = query.kind {
            conditions.append("type = ?")
            arguments.append(kind)
        }
        switch query.token {
        case .symbol(let symbol)?:
            conditions.append("lower(token_symbol) = lower(?)")
            arguments.append(symbol)
        case .address(let token)?:
            conditions.append("token_address = ?")
            arguments.append(token)
        case nil:
            break
        }
        arguments.append(query.limit)
        var entries: [ActivityEntry] = []
        for row in try await rows("""
            SELECT \(ActivityEntry.Columns.selection()) FROM activity WHERE \(conditions.joined(separator: " AND "))
            ORDER BY block DESC, tx_index DESC, seq DESC LIMIT ?
            """, arguments) {
            entries.append(try ActivityEntry(row: row))
        }
        return entries
    }

    public func ownedNFTs(_ owner: Address) async throws(StoreError) -> [OwnedNFT] {
        var owned: [OwnedNFT] = []
        for row in try await rows(OwnedNFT.selectSQL, [owner]) {
            owned.append(try OwnedNFT(row: row))
        }
        return owned
    }

    public func nativeMovements(of address: Address, since: UInt64) async throws(StoreError) -> [NativeMovement] {
        let after = try await lastBlockBefore(since, of: address)
        var movements: [NativeMovement] = []
        for row in try await rows("""
            SELECT time, direction, status, amount_wei, fee_wei FROM activity
            WHERE address = ? AND block > ? AND time >= ? AND token_address IS NULL AND nft_contract IS NULL
              AND (amount_wei != '0' OR fee_wei IS NOT NULL)
            ORDER BY block, tx_index, seq
            """, [address, after, Int64(clamping: since)]) {
            let amount: UInt256 = try row.value(MovementColumns.amountWei)
            let fee: UInt256 = try row.optional(MovementColumns.feeWei) ?? .zero
            let moved = (row[MovementColumns.status.rawValue] as String?) == "confirmed"
            let direction: String? = row[MovementColumns.direction.rawValue]
            let received = moved && direction == "in" ? amount : .zero
            let sent = moved && direction == "out" ? amount : .zero
            movements.append(NativeMovement(time: UInt64(max(0, row[MovementColumns.time.rawValue] ?? Int64(0))), received: received,
                                            spent: sent.adding(fee) ?? .max))
        }
        return movements
    }

    public func dailyActivity(of address: Address, since: UInt64) async throws(StoreError) -> [DailyActivity] {
        let after = try await lastBlockBefore(since, of: address)
        return try await rows("""
            SELECT time / 86400 AS day,
                   COUNT(DISTINCT CASE WHEN direction = 'in' THEN hash END) AS received,
                   COUNT(DISTINCT CASE WHEN direction != 'in' THEN hash END) AS sent
            FROM activity WHERE address = ? AND block > ? AND time >= ? GROUP BY day ORDER BY day
            """, [address, after, Int64(clamping: since)])
            .map { DailyActivity(day: $0[0] ?? 0, received: $0[1] ?? 0, sent: $0[2] ?? 0) }
    }

    /// `Store`'s window start: the last block of `address`'s history before `since` (-1 when none).
    private func lastBlockBefore(_ since: UInt64, of address: Address) async throws(StoreError) -> Int64 {
        try await rows("SELECT block FROM activity WHERE address = ? AND time < ? ORDER BY block DESC LIMIT 1",
                       [address, Int64(clamping: since)]).first?[0] ?? -1
    }

    /// What `nativeMovements` reads, in order.
    enum MovementColumns: Int, TableColumns {
        case time, direction, status, amountWei, feeWei
        static let table = "activity"
    }
}
