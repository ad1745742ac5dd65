import Foundation
import GRDB

/// A transaction the dashboard follows until it is final.
public struct TrackedTransaction: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Known to the node or just sent, not mined yet.
        case pending
        /// Mined and succeeded.
        case confirmed
        /// Mined and reverted.
        case failed
        /// Gone from the node and never mined within the allowed time.
        case dropped
    }

    public var hash: String
    public var sender: String?
    public var nonce: UInt64?
    public var state: State
    public var block: UInt64?
    public var gasUsed: UInt64?
    public var feeWei: String?
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(hash: String, sender: String?, nonce: UInt64?, state: State = .pending, block: UInt64? = nil, gasUsed: UInt64? = nil,
                feeWei: String? = nil, reason: String? = nil, createdAt: Date = Date(), updatedAt: Date = Date()) {
        self.hash = hash
        self.sender = sender
        self.nonce = nonce
        self.state = state
        self.block = block
        self.gasUsed = gasUsed
        self.feeWei = feeWei
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isFinal: Bool { state != .pending }

    /// The columns `init(row:)` reads, in its order: select these, not `*`.
    static let columns = "hash, sender, nonce, state, block, gas_used, fee_wei, reason, created_at, updated_at"
    static let columnCount = 10

    /// Reads a row selected with `columns`, by position: a wake of 10,000 waiting requests
    /// decodes 10,000 rows, and looking columns up by name was most of that time.
    init(row: Row) {
        hash = row[0]
        sender = row[1]
        nonce = (row[2] as Int64?).map { UInt64($0) }
        state = State(rawValue: row[3]) ?? .pending
        block = (row[4] as Int64?).map { UInt64($0) }
        gasUsed = (row[5] as Int64?).map { UInt64($0) }
        feeWei = row[6]
        reason = row[7]
        createdAt = Date(timeIntervalSince1970: row[8])
        updatedAt = Date(timeIntervalSince1970: row[9])
    }

    /// Every row `sql` selects (`SELECT \(columns) …`), decoded as the cursor steps, without
    /// copying each row first.
    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments) throws -> [TrackedTransaction] {
        var all: [TrackedTransaction] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() { all.append(TrackedTransaction(row: row)) }
        return all
    }
}

extension Store {
    /// Starts tracking `transaction`; tracking a known hash again keeps its current state, and
    /// writes nothing (every long-poll tracks its hash: most are known already, and a write
    /// would queue each of them behind the database's one writer).
    public func track(_ transaction: TrackedTransaction) throws(StoreError) {
        do {
            let known = try pool.read { db in
                try Bool.fetchOne(db, sql: "SELECT 1 FROM tracked_transaction WHERE hash = ?", arguments: [transaction.hash]) ?? false
            }
            guard !known else { return }
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO tracked_transaction (hash, sender, nonce, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(hash) DO NOTHING
                    """, arguments: [transaction.hash, transaction.sender, transaction.nonce.map { Int64($0) }, transaction.state.rawValue,
                                     transaction.createdAt.timeIntervalSince1970, transaction.updatedAt.timeIntervalSince1970])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Records a new state (with its details) for a tracked transaction.
    public func update(_ transaction: TrackedTransaction) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: """
                    UPDATE tracked_transaction SET state = ?, block = ?, gas_used = ?, fee_wei = ?, reason = ?, updated_at = ? WHERE hash = ?
                    """, arguments: [transaction.state.rawValue, transaction.block.map { Int64($0) }, transaction.gasUsed.map { Int64($0) },
                                     transaction.feeWei, transaction.reason, transaction.updatedAt.timeIntervalSince1970, transaction.hash])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    public func trackedTransaction(_ hash: String) throws(StoreError) -> TrackedTransaction? {
        do {
            return try pool.read { db in
                try TrackedTransaction.fetchAll(db, sql: "SELECT \(TrackedTransaction.columns) FROM tracked_transaction WHERE hash = ?",
                                                arguments: [hash]).first
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }

    /// Tracked transactions still pending, oldest first.
    public func pendingTransactions(limit: Int = 500) throws(StoreError) -> [TrackedTransaction] {
        do {
            return try pool.read { db in
                try TrackedTransaction.fetchAll(db, sql: "SELECT \(TrackedTransaction.columns) FROM tracked_transaction WHERE state = 'pending' ORDER BY created_at LIMIT ?",
                                                arguments: [limit])
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }
}

extension Store {
    /// How many tracked transactions are in each state.
    public func trackedCounts() throws(StoreError) -> [String: Int] {
        do {
            return try pool.read { db in
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM tracked_transaction GROUP BY state") {
                    counts[row["state"]] = row["n"]
                }
                return counts
            }
        } catch {
            throw .unavailable(path: path, reason: Self.reason(error))
        }
    }
}
