import Ethereum
import Foundation
import GRDB
import Postgres

/// The repositories on PostgreSQL, for several app hosts sharing one database: the same tables
/// (`PostgresMigrations`), the same record types and decoding as `Store` (each record reads a
/// `StoredRow`), and calls that hold no thread while the database answers (`PostgresPool`).
///
/// SQL is written with `?` placeholders as for SQLite and numbered (`$1`, `$2`, …) on the way;
/// values are bound as the records store them in SQLite (an address as lower-case hex text, an
/// amount as decimal text), so both engines hold the same values.
public final class PostgresStore: Sendable {
    let pool: PostgresPool
    /// For a role's store (`ActiveRole.store`): every statement but a plain read runs in a
    /// transaction that first checks the role is still this process's; nil for everything else.
    let fence: RoleFence?

    /// Uses `pool`'s database, which must be migrated (`open` does that).
    public init(pool: PostgresPool) {
        self.pool = pool
        fence = nil
    }

    private init(pool: PostgresPool, fence: RoleFence) {
        self.pool = pool
        self.fence = fence
    }

    /// The same database (the same pool: `close` either and both are closed) for a role's
    /// work: each write (and each transaction) fails with `.unavailable` once another process
    /// took the role.
    func fenced(by fence: RoleFence) -> PostgresStore {
        PostgresStore(pool: pool, fence: fence)
    }

    /// Makes this process the holder of `role` in `role_fence` (call it right after taking the
    /// role's lock): a number above every earlier holder's, which `fenced` stores check. It
    /// waits for a transaction of the old holder's still under way (it holds the row FOR SHARE).
    func claim(_ role: String) async throws(StoreError) -> Int64 {
        let row = try await rows("""
            INSERT INTO role_fence (role, holder) VALUES (?, 1)
            ON CONFLICT (role) DO UPDATE SET holder = role_fence.holder + 1 RETURNING holder
            """, [role]).first
        guard let holder: Int64 = row?[0] else { throw .unavailable(path: "PostgreSQL", reason: "role_fence returned no holder for \(role)") }
        return holder
    }

    /// Opens a pool on `url`, applies pending migrations and returns the store.
    /// - Throws: `StoreError.cannotOpen` or `.migrationFailed` naming the database (never its password).
    public static func open(url: String, maxConnections: Int = 8, maxQueued: Int = 64, queryTimeout: Double = 5,
                            threadName: String = "pg-store") async throws(StoreError) -> PostgresStore {
        let pool: PostgresPool
        do { pool = try PostgresPool(url: url, maxConnections: maxConnections, maxQueued: maxQueued, queryTimeout: queryTimeout, threadName: threadName) } catch {
            throw .cannotOpen(path: "PostgreSQL", reason: error.message)
        }
        do { try await PostgresMigrations.migrate(pool) } catch {
            pool.stop()
            throw .migrationFailed(path: pool.url.redacted, reason: (error as? PostgresError)?.message ?? "\(error)")
        }
        return PostgresStore(pool: pool)
    }

    /// Closes the pool's connections and ends its thread.
    public func close() { pool.stop() }

    /// The session-level advisory lock `key`, on a connection of its own once tried
    /// (`tryTake`): one active process of a kind across hosts.
    public func advisoryLock(_ key: Int64) -> PostgresAdvisoryLock {
        pool.advisoryLock(key)
    }

    /// Listens to `channels` (the change logs' `tracked_change` and `address_change`, which the
    /// triggers notify at each commit) on a connection of its own; `stop()` it when done.
    public func listen(to channels: [String]) throws(PostgresError) -> PostgresListener {
        try pool.listen(to: channels)
    }

    /// The rows `sql` selects. A read (`SELECT …`) is not fenced in a role's store: it changes
    /// nothing, and what the pass does with it is written through the fenced calls.
    func rows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) async throws(StoreError) -> [PostgresStoredRow] {
        if fence != nil, !sql.hasPrefix("SELECT") { return try await transaction { (db: Transaction) async throws(StoreError) in try await db.rows(sql, arguments) } }
        return try await run(sql, arguments).rows.map(PostgresStoredRow.init)
    }

    /// Runs a command; returns the rows it touched.
    @discardableResult
    func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) async throws(StoreError) -> Int {
        if fence != nil { return try await transaction { (db: Transaction) async throws(StoreError) in try await db.execute(sql, arguments) } }
        return try await run(sql, arguments).affectedRows
    }

    private func run(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) async throws(StoreError) -> PostgresResult {
        do { return try await pool.query(Self.numbered(sql), arguments.map(Self.parameter)) } catch { throw storeError(error) }
    }

    /// Runs `body` in one transaction (all or nothing); in a role's store, only while the role
    /// is this process's (checked first, holding the role's row until the commit).
    func transaction<Value>(_ body: (Transaction) async throws(StoreError) -> Value) async throws(StoreError) -> Value {
        do {
            return try await pool.transaction { [fence] connection in
                let db = Transaction(connection: connection)
                if let fence { try await db.check(fence) }
                return try await body(db)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw storeError(error)
        }
    }

    /// The statements of one transaction, with `PostgresStore`'s placeholders and values.
    struct Transaction {
        let connection: PostgresTransaction

        /// Throws unless `fence`'s number is still the role's holder; the row stays locked
        /// (FOR SHARE) until the commit, so a new holder's `claim` waits for this transaction.
        func check(_ fence: RoleFence) async throws(StoreError) {
            let notOurs = StoreError.unavailable(path: "PostgreSQL", reason: "the \(fence.role) role is no longer this process's (another took it over)")
            guard let mine = fence.holder else { throw notOurs }
            let holder: Int64? = try await rows("SELECT holder FROM role_fence WHERE role = ? FOR SHARE", [fence.role]).first?[0]
            guard holder == mine else { throw notOurs }
        }

        func rows(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) async throws(StoreError) -> [PostgresStoredRow] {
            do { return try await connection.query(PostgresStore.numbered(sql), arguments.map(PostgresStore.parameter)).rows.map(PostgresStoredRow.init) } catch {
                throw PostgresStore.storeError(error, database: "PostgreSQL")
            }
        }

        @discardableResult
        func execute(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?] = []) async throws(StoreError) -> Int {
            do { return try await connection.query(PostgresStore.numbered(sql), arguments.map(PostgresStore.parameter)).affectedRows } catch {
                throw PostgresStore.storeError(error, database: "PostgreSQL")
            }
        }
    }

    private func storeError(_ error: any Error) -> StoreError { Self.storeError(error, database: pool.url.redacted) }

    static func storeError(_ error: any Error, database: String) -> StoreError {
        .unavailable(path: database, reason: (error as? PostgresError)?.message ?? "\(error)")
    }

    /// `sql` with its `?` placeholders numbered `$1`, `$2`, … (our statements hold no `?` in a
    /// string literal).
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var next = 0
        for character in sql {
            if character == "?" {
                next += 1
                result += "$\(next)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A value as SQLite stores it, bound for PostgreSQL.
    static func parameter(_ value: (any DatabaseValueConvertible)?) -> PostgresValue {
        guard let value else { return .null }
        switch value.databaseValue.storage {
        case .null: return .null
        case .int64(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .text(text)
        case .blob(let data): return .bytes([UInt8](data))
        }
    }
}

/// A PostgreSQL row as the record types read it: each value as SQLite would hold it.
struct PostgresStoredRow: StoredRow {
    let row: PostgresRow

    func storedValue(at index: Int) -> DatabaseValue {
        guard index < row.values.count else { return .null }
        switch row.values[index] {
        case .null: return .null
        case .int(let number): return number.databaseValue
        case .bool(let flag): return (flag ? 1 : 0).databaseValue
        case .text(let text), .numeric(let text): return text.databaseValue
        case .bytes(let bytes): return Data(bytes).databaseValue
        case .double(let number): return number.databaseValue
        }
    }

    subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value? { Value.fromDatabaseValue(storedValue(at: index)) }
}

// MARK: - Sign-in, cache, conversations, knowledge, health

extension PostgresStore: SessionRepository, CacheRepository, ConversationRepository, KnowledgeRepository, DatabaseHealth {
    public func saveNonce(_ nonce: String, expiresAt: Date) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            try await db.execute("DELETE FROM auth_nonce WHERE expires_at < ?", [Date().timeIntervalSince1970])
            try await db.execute("INSERT INTO auth_nonce (nonce, expires_at) VALUES (?, ?)", [nonce, expiresAt.timeIntervalSince1970])
        }
    }

    public func consumeNonce(_ nonce: String, at now: Date) async throws(StoreError) -> Bool {
        try await execute("DELETE FROM auth_nonce WHERE nonce = ? AND expires_at >= ?", [nonce, now.timeIntervalSince1970]) == 1
    }

    public func createSession(tokenHash: String, address: Address, csrfToken: String, expiresAt: Date) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            try await db.execute("DELETE FROM session WHERE expires_at < ?", [Date().timeIntervalSince1970])
            try await db.execute("INSERT INTO session (token_hash, address, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                                 [tokenHash, address, csrfToken, Date().timeIntervalSince1970, expiresAt.timeIntervalSince1970])
        }
    }

    public func session(tokenHash: String, at now: Date) async throws(StoreError) -> Session? {
        try await rows("SELECT \(Session.Columns.selection()) FROM session WHERE token_hash = ? AND expires_at >= ?",
                       [tokenHash, now.timeIntervalSince1970]).first.map { row throws(StoreError) in try Session(row: row) }
    }

    public func deleteSession(tokenHash: String) async throws(StoreError) {
        try await execute("DELETE FROM session WHERE token_hash = ?", [tokenHash])
    }

    public func cached(_ key: String) async throws(StoreError) -> (value: [UInt8], storedAt: Date)? {
        guard let row = try await rows("SELECT value, stored_at FROM cache WHERE key = ?", [key]).first,
              let value: Data = row[0], let storedAt: Double = row[1] else { return nil }
        return (Array(value), Date(timeIntervalSince1970: storedAt))
    }

    public func cache(_ key: String, _ value: [UInt8], at date: Date) async throws(StoreError) {
        try await execute("""
            INSERT INTO cache (key, value, stored_at) VALUES (?, ?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, stored_at = excluded.stored_at
            """, [key, Data(value), date.timeIntervalSince1970])
    }

    public func invalidate(prefix: String) async throws(StoreError) {
        // starts_with, not a range: the order of text depends on the database's collation.
        try await execute("DELETE FROM cache WHERE starts_with(key, ?)", [prefix])
    }

    public func conversationState(_ id: String, address: String?) async throws(StoreError) -> String? {
        guard let row = try await rows("SELECT address, state FROM conversation WHERE id = ?", [id]).first else { return nil }
        let owner: String? = row[0]
        return owner == address ? row[1] : nil
    }

    public func saveConversation(_ id: String, address: String?, state: String) async throws(StoreError) {
        try await execute("""
            INSERT INTO conversation (id, address, state, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET address = excluded.address, state = excluded.state, updated_at = excluded.updated_at
            """, [id, address, state, Date().timeIntervalSince1970])
    }

    public func loadKnowledge(_ articles: [(slug: String, title: String, body: String)]) async throws(StoreError) {
        try await transaction { (db: Transaction) async throws(StoreError) in
            // Hosts starting together load it one after another: each replaces it whole.
            try await db.execute("LOCK TABLE knowledge IN EXCLUSIVE MODE")
            try await db.execute("DELETE FROM knowledge")
            for article in articles {
                try await db.execute("INSERT INTO knowledge (slug, title, body) VALUES (?, ?, ?)", [article.slug, article.title, article.body])
            }
        }
    }

    /// The best articles for `words`, by `ts_rank` over the title (weight A) and the body: each
    /// word as a prefix, any of them, as SQLite's FTS5 query does.
    public func searchKnowledge(_ words: [String], limit: Int) async throws(StoreError) -> [KnowledgeHit] {
        let terms = words.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } }.filter { $0.count >= 2 }.map { "\($0):*" }
        guard !terms.isEmpty else { return [] }
        return try await rows("""
            SELECT slug, title, body FROM knowledge, to_tsquery('simple', ?) AS query
            WHERE search @@ query ORDER BY ts_rank(search, query) DESC, id LIMIT ?
            """, [terms.joined(separator: " | "), limit]).map { row in
            KnowledgeHit(slug: row[0] ?? "", title: row[1] ?? "", body: row[2] ?? "")
        }
    }

    public func ping() async throws(StoreError) {
        _ = try await rows("SELECT 1")
    }
}
