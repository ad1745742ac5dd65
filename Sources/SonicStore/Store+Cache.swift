import Foundation
import GRDB

extension Store {
    /// The cached value under `key` and when it was stored, or nil.
    public func cached(_ key: String) throws(StoreError) -> (value: [UInt8], storedAt: Date)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT value, stored_at FROM cache WHERE key = ?", arguments: [key]).map { row in
                (value: Array(row["value"] as Data), storedAt: Date(timeIntervalSince1970: row["stored_at"]))
            }
        }
    }

    /// Stores `value` under `key`, replacing what was there.
    public func cache(_ key: String, _ value: [UInt8], at date: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO cache (key, value, stored_at) VALUES (?, ?, ?)",
                           arguments: [key, Data(value), date.timeIntervalSince1970])
        }
    }

    /// Removes cached values whose key starts with `prefix` (a confirmed transfer changes balances).
    public func invalidate(prefix: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM cache WHERE key >= ? AND key < ?", arguments: [prefix, prefix + "\u{10FFFF}"])
        }
    }
}
