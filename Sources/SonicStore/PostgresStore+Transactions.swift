import Ethereum
import Foundation
import GRDB

/// Tracked transactions on PostgreSQL: the statements of `Store`'s, with the change log kept by
/// the trigger of migration v7 (which also sends `NOTIFY tracked_change` with the hash).
///
/// The change log's numbers are given at insert, not at commit: with two writers (the watcher and
/// the indexer) change 8 may be committed, and read, before change 7. `trackedChanges` reads by
/// number like SQLite's; the hosts' wake-ups across the cluster come from `LISTEN tracked_change`,
/// which is sent at commit, with a catch-up read after a reconnect.
extension PostgresStore: TransactionRepository {
    public func track(_ transaction: TrackedTransaction) async throws(StoreError) {
        try await execute(Self.insertTracked, Self.trackedValues(transaction))
    }

    public func trackUnknown(_ transaction: TrackedTransaction, limit: Int) async throws(StoreError) -> Bool {
        try await self.transaction { (db: Transaction) async throws(StoreError) in
            if try await !db.rows("SELECT 1 FROM tracked_transaction WHERE hash = ?", [transaction.hash]).isEmpty { return true }
            // One client's unknown hashes are counted under a lock on the client, so two hosts
            // cannot both let its last one in.
            try await db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [transaction.unknownClient])
            let held: Int64 = try await db.rows("SELECT count(*) FROM tracked_transaction WHERE unknown_client = ? AND state = ?",
                                                [transaction.unknownClient, TrackedTransaction.State.pending]).first?[0] ?? 0
            guard held < limit else { return false }
            try await db.execute(Self.insertTracked, Self.trackedValues(transaction))
            return true
        }
    }

    private static let insertTracked = """
        INSERT INTO tracked_transaction (hash, sender, nonce, state, created_at, updated_at, unknown_client) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (hash) DO NOTHING
        """

    private static func trackedValues(_ transaction: TrackedTransaction) -> [(any DatabaseValueConvertible)?] {
        [transaction.hash, transaction.sender, transaction.nonce.map { Int64($0) }, transaction.state,
         transaction.createdAt.timeIntervalSince1970, transaction.updatedAt.timeIntervalSince1970, transaction.unknownClient]
    }

    public func markKnown(_ hash: Hash32, sender: Address, nonce: UInt64) async throws(StoreError) {
        try await execute(Store.markKnownSQL, [sender, Int64(clamping: nonce), hash])
    }

    public func update(_ transaction: TrackedTransaction) async throws(StoreError) {
        try await execute(Store.updateSQL, Store.updateValues(transaction))
    }

    public func trackedTransaction(_ hash: Hash32) async throws(StoreError) -> TrackedTransaction? {
        try await rows("SELECT \(TrackedTransaction.Columns.selection()) FROM tracked_transaction WHERE hash = ?", [hash])
            .first.map { row throws(StoreError) in try TrackedTransaction(row: row) }
    }

    public func pendingTransactions(after position: TrackedTransaction.Position?, limit: Int) async throws(StoreError) -> [TrackedTransaction] {
        let selection = "SELECT \(TrackedTransaction.Columns.selection()) FROM tracked_transaction WHERE state = ?"
        let found: [PostgresStoredRow]
        if let position {
            let seconds = position.createdAt.timeIntervalSince1970
            found = try await rows(selection + " AND (created_at > ? OR (created_at = ? AND hash COLLATE \"C\" > ?)) ORDER BY created_at, hash COLLATE \"C\" LIMIT ?",
                                   [TrackedTransaction.State.pending, seconds, seconds, position.hash, limit])
        } else {
            found = try await rows(selection + " ORDER BY created_at, hash COLLATE \"C\" LIMIT ?", [TrackedTransaction.State.pending, limit])
        }
        var all: [TrackedTransaction] = []
        for row in found { all.append(try TrackedTransaction(row: row)) }
        return all
    }

    public func lastTrackedChange() async throws(StoreError) -> Int64 {
        try await rows("SELECT coalesce(max(seq), 0) FROM tracked_change").first?[0] ?? 0
    }

    public func trackedChanges(after seq: Int64) async throws(StoreError) -> (last: Int64, changes: [TrackedTransaction]) {
        let found = try await rows("""
            SELECT \(TrackedTransaction.Columns.selection(from: "t")), c.seq FROM tracked_change c JOIN tracked_transaction t ON t.hash = c.hash
            WHERE c.seq > ? ORDER BY c.seq
            """, [seq])
        var last = seq
        var changes: [TrackedTransaction] = []
        var position: [Hash32: Int] = [:]
        for row in found {
            let change = try TrackedTransaction(row: row)
            last = row[TrackedTransaction.Columns.count] ?? last
            if let index = position[change.hash] { changes[index] = change } else {
                position[change.hash] = changes.count
                changes.append(change)
            }
        }
        return (last, changes)
    }

    public func trackedCounts() async throws(StoreError) -> [TrackedTransaction.State: Int] {
        var counts: [TrackedTransaction.State: Int] = [:]
        for row in try await rows("SELECT state, count(*) FROM tracked_transaction GROUP BY state") {
            counts[try row.value(TrackedTransaction.Columns.state, at: 0)] = Int(row[1] ?? Int64(0))
        }
        return counts
    }
}
