import Ethereum
import Foundation
import GRDB

extension Store {
    /// Every movement of S to or from `address` in blocks at or after `since` (Unix seconds),
    /// oldest first: the value of a confirmed transfer in or out, and the fee of every
    /// transaction it sent, failed ones included. Token and NFT entries move no S (their fee is
    /// on the transaction's own entry). Amounts stay integers: SQLite's sums would be floating
    /// point past 2^63, so the rows are summed by the caller in 256 bits.
    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    public func nativeMovements(of address: Address, since: UInt64) throws(StoreError) -> [NativeMovement] {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT time, direction, status, amount_wei, fee_wei FROM activity
                WHERE address = ? AND block > ? AND time >= ? AND token_address IS NULL AND nft_contract IS NULL
                  AND (amount_wei != '0' OR fee_wei IS NOT NULL)
                ORDER BY block, tx_index, seq
                """, arguments: [address, try Self.lastBlockBefore(since, of: address, db), Int64(clamping: since)])
            var movements: [NativeMovement] = []
            while let row = try rows.next() {
                let amount = try Self.wei(row, "amount_wei")
                let fee = try (row["fee_wei"] as String?).map { _ in try Self.wei(row, "fee_wei") } ?? .zero
                let moved = row["status"] as String == "confirmed"
                let direction = row["direction"] as String
                let received = moved && direction == "in" ? amount : .zero
                let sent = moved && direction == "out" ? amount : .zero
                movements.append(NativeMovement(time: UInt64(row["time"] as Int64), received: received,
                                                spent: sent.adding(fee) ?? .max))
            }
            return movements
        }
    }

    /// How many transactions `address` received and sent on each UTC day from `since` (Unix
    /// seconds), oldest first; days without any are left out. A transaction counts once however
    /// many entries (its token and NFT transfers) it has.
    public func dailyActivity(of address: Address, since: UInt64) throws(StoreError) -> [DailyActivity] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT time / 86400 AS day,
                       COUNT(DISTINCT CASE WHEN direction = 'in' THEN hash END) AS received,
                       COUNT(DISTINCT CASE WHEN direction != 'in' THEN hash END) AS sent
                FROM activity WHERE address = ? AND block > ? AND time >= ? GROUP BY day ORDER BY day
                """, arguments: [address, try Self.lastBlockBefore(since, of: address, db), Int64(clamping: since)])
                .map { DailyActivity(day: $0["day"], received: $0["received"], sent: $0["sent"]) }
        }
    }

    /// The last block of `address`'s history before `since` (-1 when none): blocks come in time
    /// order, so the window is the primary-key range after it, found by reading the history
    /// backwards only as far as the window goes.
    private static func lastBlockBefore(_ since: UInt64, of address: Address, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT block FROM activity WHERE address = ? AND time < ? ORDER BY block DESC LIMIT 1",
                           arguments: [address, Int64(clamping: since)]) ?? -1
    }

    private static func wei(_ row: Row, _ column: String) throws -> UInt256 {
        guard let text = row[column] as String?, let value = try? UInt256(parsing: text) else {
            throw StoreError.corruptValue(table: "activity", column: column, value: String(describing: row[column] as DatabaseValue),
                                          expected: "decimal digits of wei")
        }
        return value
    }
}
