import Foundation
import GRDB

/// The indexer's position per chain.
public struct SyncState: Sendable, Equatable {
    public let chainID: UInt64
    public let head: UInt64
    public let updatedAt: Date
}

extension Store {
    /// Records that the indexer has seen `head` on `chainID`.
    public func saveSyncState(chainID: UInt64, head: UInt64, at date: Date = Date()) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO sync_state (chain_id, head, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT(chain_id) DO UPDATE SET head = excluded.head, updated_at = excluded.updated_at
                        """,
                    arguments: [Int64(chainID), Int64(head), date.timeIntervalSince1970])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// The indexer's last recorded position on `chainID`, or nil if it has not run.
    public func syncState(chainID: UInt64) throws(StoreError) -> SyncState? {
        do {
            return try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT head, updated_at FROM sync_state WHERE chain_id = ?", arguments: [Int64(chainID)])
                    .map { row in
                        SyncState(chainID: chainID, head: UInt64(row["head"] as Int64),
                                  updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
                    }
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }
}
