import Ethereum
import Foundation
import GRDB

/// A transaction the dashboard follows until it is final.
public struct TrackedTransaction: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable, DatabaseValueConvertible {
        /// Known to the node or just sent, not mined yet.
        case pending
        /// Mined and succeeded.
        case confirmed
        /// Mined and reverted.
        case failed
        /// Gone from the node and never mined within the allowed time.
        case dropped
        /// Its sender's nonce was taken by another transaction of the sender that was mined (a
        /// wallet's speed-up): `replacedBy` names it, and is tracked in its turn.
        case replaced
        /// The same, by a transaction that sends nothing to the sender itself (a wallet's cancel).
        case cancelled
    }

    public var hash: Hash32
    public var sender: Address?
    public var nonce: UInt64?
    public var state: State
    public var block: UInt64?
    public var gasUsed: UInt64?
    public var feeWei: UInt256?
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The client (`ip:…`) that asked us to track this hash while the node did not know it; nil
    /// once the node knows it, and for what was broadcast through us. Such a hash is kept only
    /// briefly, and each client may have only a few.
    public var unknownClient: String?
    /// The transaction of the same sender and nonce that was mined instead (`replaced`,
    /// `cancelled`); nil otherwise, and when the node could not say which it was.
    public var replacedBy: Hash32?

    public init(hash: Hash32, sender: Address?, nonce: UInt64?, state: State = .pending, block: UInt64? = nil, gasUsed: UInt64? = nil,
                feeWei: UInt256? = nil, reason: String? = nil, createdAt: Date = Date(), updatedAt: Date = Date(), unknownClient: String? = nil,
                replacedBy: Hash32? = nil) {
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
        self.unknownClient = unknownClient
        self.replacedBy = replacedBy
    }

    public var isFinal: Bool { state != .pending }

    /// Where a transaction stands in the watcher's walk over the pending ones.
    public struct Position: Sendable, Equatable {
        public let createdAt: Date
        public let hash: Hash32
    }

    public var position: Position { Position(createdAt: createdAt, hash: hash) }

    /// The columns of `tracked_transaction` a record reads, in that order: select these, not `*`.
    enum Columns: Int, TableColumns {
        case hash, sender, nonce, state, block, gasUsed, feeWei, reason, createdAt, updatedAt, unknownClient, replacedBy
        static let table = "tracked_transaction"
    }

    /// Reads a row selected with `Columns.selection()`, by position: a wake of 10,000 waiting
    /// requests decodes 10,000 rows, and looking columns up by name was most of that time.
    /// - Throws: `StoreError.corruptValue` naming the column that does not convert.
    init(row: some StoredRow) throws(StoreError) {
        hash = try row.value(Columns.hash)
        sender = try row.optional(Columns.sender)
        nonce = try row.optional(Columns.nonce)
        state = try row.value(Columns.state)
        block = try row.optional(Columns.block)
        gasUsed = try row.optional(Columns.gasUsed)
        feeWei = try row.optional(Columns.feeWei)
        reason = try row.optional(Columns.reason)
        createdAt = Date(timeIntervalSince1970: try row.value(Columns.createdAt))
        updatedAt = Date(timeIntervalSince1970: try row.value(Columns.updatedAt))
        unknownClient = try row.optional(Columns.unknownClient)
        replacedBy = try row.optional(Columns.replacedBy)
    }

    /// Every row `sql` selects (`SELECT \(columns) …`), decoded as the cursor steps, without
    /// copying each row first.
    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments) throws -> [TrackedTransaction] {
        var all: [TrackedTransaction] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() { all.append(try TrackedTransaction(row: row)) }
        return all
    }
}

extension Store {
    /// Starts tracking `transaction`; tracking a known hash again keeps its current state, and
    /// writes nothing (every long-poll tracks its hash: most are known already, and a write
    /// would queue each of them behind the database's one writer).
    public func track(_ transaction: TrackedTransaction) throws(StoreError) {
        guard try !isTracked(transaction.hash) else { return }
        try write { db in try Self.insert(transaction, db) }
    }

    /// Starts tracking a hash the node does not know yet for `client` (`transaction.unknownClient`),
    /// unless that client already has `limit` such hashes pending: then nothing is written and
    /// the answer is false. A hash already tracked is true and unchanged.
    public func trackUnknown(_ transaction: TrackedTransaction, limit: Int) throws(StoreError) -> Bool {
        guard try !isTracked(transaction.hash) else { return true }
        return try write { db in
            let held = try Int.fetchOne(db, sql: "SELECT count(*) FROM tracked_transaction WHERE unknown_client = ? AND state = ?",
                                        arguments: [transaction.unknownClient, TrackedTransaction.State.pending]) ?? 0
            guard held < limit else { return false }
            try Self.insert(transaction, db)
            return true
        }
    }

    /// Records that the node knows a tracked hash (one a client asked us to track is kept as long
    /// as any other now), and its sender and nonce where they were not known (tracked by hash).
    public func markKnown(_ hash: Hash32, sender: Address, nonce: UInt64) throws(StoreError) {
        try write { db in try db.execute(sql: Self.markKnownSQL, arguments: [sender, Int64(clamping: nonce), hash]) }
    }

    static let markKnownSQL = """
        UPDATE tracked_transaction SET unknown_client = NULL, sender = COALESCE(sender, ?), nonce = COALESCE(nonce, ?) WHERE hash = ?
        """

    private func isTracked(_ hash: Hash32) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM tracked_transaction WHERE hash = ?", arguments: [hash]) ?? false }
    }

    private static func insert(_ transaction: TrackedTransaction, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO tracked_transaction (hash, sender, nonce, state, created_at, updated_at, unknown_client) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(hash) DO NOTHING
            """, arguments: [transaction.hash, transaction.sender, transaction.nonce.map { Int64($0) }, transaction.state,
                             transaction.createdAt.timeIntervalSince1970, transaction.updatedAt.timeIntervalSince1970, transaction.unknownClient])
    }

    /// Records a new state (with its details) for a tracked transaction.
    public func update(_ transaction: TrackedTransaction) throws(StoreError) {
        try write { db in try db.execute(sql: Self.updateSQL, arguments: StatementArguments(Self.updateValues(transaction))) }
    }

    static let updateSQL = """
        UPDATE tracked_transaction SET state = ?, block = ?, gas_used = ?, fee_wei = ?, reason = ?, updated_at = ?, replaced_by = ? WHERE hash = ?
        """

    static func updateValues(_ transaction: TrackedTransaction) -> [(any DatabaseValueConvertible)?] {
        [transaction.state, transaction.block.map { Int64($0) }, transaction.gasUsed.map { Int64($0) }, transaction.feeWei, transaction.reason,
         transaction.updatedAt.timeIntervalSince1970, transaction.replacedBy, transaction.hash]
    }

    /// The tracked transaction `hash`, nil when it is not tracked.
    public func trackedTransaction(_ hash: Hash32) throws(StoreError) -> TrackedTransaction? {
        try read { db in
            try TrackedTransaction.fetchAll(db, sql: "SELECT \(TrackedTransaction.Columns.selection()) FROM tracked_transaction WHERE hash = ?",
                                            arguments: [hash]).first
        }
    }

    /// Up to `limit` tracked transactions still pending, in (creation time, hash) order, starting
    /// after `position` (from the first when nil): the watcher walks them a page per tick and
    /// starts over at the end, so every one is looked at however many there are.
    public func pendingTransactions(after position: TrackedTransaction.Position?, limit: Int) throws(StoreError) -> [TrackedTransaction] {
        let selection = "SELECT \(TrackedTransaction.Columns.selection()) FROM tracked_transaction WHERE state = ?"
        return try read { db in
            guard let position else {
                return try TrackedTransaction.fetchAll(db, sql: selection + " ORDER BY created_at, hash LIMIT ?",
                                                       arguments: [TrackedTransaction.State.pending, limit])
            }
            let seconds = position.createdAt.timeIntervalSince1970
            return try TrackedTransaction.fetchAll(db, sql: selection + """
                 AND (created_at > ? OR (created_at = ? AND hash > ?)) ORDER BY created_at, hash LIMIT ?
                """, arguments: [TrackedTransaction.State.pending, seconds, seconds, position.hash, limit])
        }
    }

    /// How many tracked transactions are in each state (states with none are absent).
    /// - Throws: `StoreError.corruptValue` when a row holds an unknown state.
    public func trackedCounts() throws(StoreError) -> [TrackedTransaction.State: Int] {
        try read { db in
            var counts: [TrackedTransaction.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM tracked_transaction GROUP BY state") {
                counts[try row.value(TrackedTransaction.Columns.state, at: 0)] = row[1]
            }
            return counts
        }
    }
}

extension Store {
    /// How many entries of the change log of tracked transactions are kept (by the trigger of
    /// migration v7): a watcher that falls further behind than this misses changes (the
    /// watchers read it every few milliseconds).
    public static let trackedChangesKept = 100_000

    /// The number of the newest change of a tracked transaction's state (0 before any).
    public func lastTrackedChange() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM tracked_change") ?? 0 }
    }

    /// The tracked transactions whose state changed (by any process) after change number `seq`,
    /// each once and in its current state, oldest change first; and the number of the last
    /// change read (`seq` when there was none).
    public func trackedChanges(after seq: Int64) throws(StoreError) -> (last: Int64, changes: [TrackedTransaction]) {
        try read { db in
            var last = seq
            var changes: [TrackedTransaction] = []
            var position: [Hash32: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(TrackedTransaction.Columns.selection()), seq FROM tracked_change JOIN tracked_transaction USING (hash)
                WHERE seq > ? ORDER BY seq
                """, arguments: [seq])
            while let row = try rows.next() {
                let change = try TrackedTransaction(row: row)
                last = row[TrackedTransaction.Columns.count]
                if let index = position[change.hash] { changes[index] = change } else {
                    position[change.hash] = changes.count
                    changes.append(change)
                }
            }
            return (last, changes)
        }
    }
}
