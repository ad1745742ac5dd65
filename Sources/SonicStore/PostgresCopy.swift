import Foundation
import GRDB
import IPFS
import Postgres

/// Moves an install from SQLite to PostgreSQL: every table of `PostgresMigrations` is filled
/// from a consistent snapshot of the SQLite database, in one PostgreSQL transaction (all or
/// nothing), and each table's row count is compared before it commits.
///
/// The copy is driven by PostgreSQL's own schema (`information_schema`), so tables added by
/// later migrations are copied without changes here. Both databases must be at the same
/// migration; the PostgreSQL one must hold no rows yet. Triggers are off during the copy (the
/// change logs are copied as they are, not written again), and identity columns continue after
/// the copied numbers.
public enum PostgresCopy {
    /// What was copied: each table with its rows, in the order copied.
    public struct Report: Sendable, Equatable {
        public var tables: [(name: String, rows: Int)] = []
        public var seconds: Double = 0

        public var rows: Int { tables.reduce(0) { $0 + $1.rows } }

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.tables.map(\.name) == rhs.tables.map(\.name) && lhs.tables.map(\.rows) == rhs.tables.map(\.rows)
        }
    }

    /// A copy that cannot be made, with the reason in words an operator can act on.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Rows sent in one INSERT (PostgreSQL takes at most 65,535 parameters a statement).
    static let batchRows = 500

    /// Copies the SQLite database at `path` (opened read-only: it is neither created nor
    /// migrated) into the database of `pool`, migrating that one first.
    /// - Parameters:
    ///   - snapshotFolder: where the SQLite snapshot is written (removed afterwards).
    ///   - timeout: seconds the whole copy may take (one transaction) before it is rolled back.
    /// - Throws: `Refusal` when the file is missing, the databases are at different migrations
    ///   or hold different tables, the target holds rows, or a value does not fit its column;
    ///   `PostgresError` or GRDB's errors otherwise. Nothing is left in PostgreSQL after a
    ///   refusal for rows already there; after any other failure only the (empty) schema is.
    public static func copy(fromSQLiteAt path: String, to pool: PostgresPool, snapshotFolder: String = NSTemporaryDirectory(),
                            timeout: Double = 3_600, progress: @Sendable (String, Int) -> Void = { _, _ in }) async throws -> Report {
        let started = Date()
        guard FileManager.default.fileExists(atPath: path) else { throw Refusal("there is no SQLite database at \(path) (SONIC_DB_PATH)") }
        var readOnly = Configuration()
        readOnly.readonly = true
        let source = try DatabasePool(path: path, configuration: readOnly)
        let snapshotPath = (snapshotFolder as NSString).appendingPathComponent("sonic-copy-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: snapshotPath + suffix) } }
        let snapshot = try DatabaseQueue(path: snapshotPath)
        try source.backup(to: snapshot)
        try source.close()

        // Refused before anything is written: a database that holds rows (the wrong one?).
        for table in try await tables(pool) where table != "schema_migrations" {
            if let rows = try await pool.query("SELECT count(*) FROM \(quote(table))").scalar.int, rows > 0 {
                throw Refusal("the PostgreSQL database already holds data (\(rows) rows in \(table)): copy into a new, empty database")
            }
        }
        try await PostgresMigrations.migrate(pool)
        let sqliteMigrations = try await snapshot.read { db in try Migrations.migrator.appliedMigrations(db) }
        let postgresMigrations = try await pool.query("SELECT name FROM schema_migrations").rows.compactMap { $0[0].string }
        let onlySQLite = Set(sqliteMigrations).subtracting(postgresMigrations).sorted()
        let onlyPostgres = Set(postgresMigrations).subtracting(sqliteMigrations).sorted()
        guard onlySQLite.isEmpty, onlyPostgres.isEmpty else {
            throw Refusal("the databases are at different migrations (only in SQLite: \(onlySQLite.joined(separator: ", ")); "
                + "only in PostgreSQL: \(onlyPostgres.joined(separator: ", "))): run this version of sonic-fcgi once on the SQLite database first")
        }

        let postgresTables = try await tables(pool).filter { $0 != "schema_migrations" }
        let sqliteTables = try await snapshot.read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                  AND name NOT LIKE 'knowledge_%'
                """)
        }
        let missing = Set(sqliteTables).subtracting(postgresTables).sorted()
        guard missing.isEmpty else {
            throw Refusal("tables of the SQLite database that PostgreSQL's schema (the role's current_schema()) lacks: \(missing.joined(separator: ", "))")
        }

        var report = Report()
        try await pool.transaction(timeout: timeout) { transaction in
            let tables = postgresTables
            for table in tables {
                let quoted = quote(table)
                if let rows = try await transaction.query("SELECT count(*) FROM \(quoted)").scalar.int, rows > 0 {
                    throw Refusal("the PostgreSQL database already holds data (\(rows) rows in \(table)): copy into a new, empty database")
                }
                try await transaction.query("ALTER TABLE \(quoted) DISABLE TRIGGER USER")
            }
            for table in tables {
                let plan = try await Plan(table: table, transaction: transaction, snapshot: snapshot)
                let copied = try await plan.copy(snapshot: snapshot, transaction: transaction)
                let counted = try await transaction.query("SELECT count(*) FROM \(quote(table))").scalar.int ?? -1
                guard counted == Int64(copied), counted == Int64(plan.sourceRows) else {
                    throw Refusal("\(table): \(plan.sourceRows) rows in SQLite, \(counted) in PostgreSQL after the copy")
                }
                for column in plan.identityColumns {
                    try await transaction.query("""
                        SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(\(quote(column))) FROM \(quote(table))), 0) + 1, false)
                        """, [.text(table), .text(column)])
                }
                try await transaction.query("ALTER TABLE \(quote(table)) ENABLE TRIGGER USER")
                report.tables.append((table, copied))
                progress(table, copied)
            }
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// The base tables of the role's schema (`current_schema()`, where the migrations create them).
    static func tables(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
            """).rows.compactMap { $0[0].string }
    }

    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

extension PostgresCopy {
    /// One table: which PostgreSQL columns are filled from which SQLite columns, and how the
    /// SQLite rows are read in order (by rowid, or by primary key for WITHOUT ROWID tables).
    struct Plan {
        let table: String
        /// PostgreSQL's columns that take values (generated ones are computed by PostgreSQL).
        let columns: [(name: String, type: String)]
        /// The SQLite expression each column is read from (the column, or `rowid` for an
        /// identity column SQLite keeps as its rowid, such as the FTS5 knowledge table's).
        let sources: [String]
        let identityColumns: [String]
        /// Keyset order: `rowid`, or the primary key's columns.
        let order: [String]
        let sourceRows: Int

        init(table: String, transaction: PostgresTransaction, snapshot: DatabaseQueue) async throws {
            self.table = table
            let described = try await transaction.query("""
                SELECT column_name, data_type, is_identity, is_generated FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
                """, [.text(table)])
            let wanted = described.rows.filter { $0[3].string == "NEVER" }
            let (sqliteColumns, primaryKey, withoutRowID, rows) = try await snapshot.read { db -> ([String], [String], Bool, Int) in
                guard try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE name = ?", arguments: [table]) != nil else {
                    throw Refusal("the table \(table) is not in the SQLite database")
                }
                let info = try Row.fetchAll(db, sql: "SELECT name, pk FROM pragma_table_info(?)", arguments: [table])
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
                let key = info.filter { ($0["pk"] as Int? ?? 0) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(PostgresCopy.quote(table))") ?? 0
                return (info.map { $0["name"] as String }, key, sql.uppercased().contains("WITHOUT ROWID"), count)
            }
            var columns: [(String, String)] = []
            var sources: [String] = []
            var identity: [String] = []
            for row in wanted {
                guard let name = row[0].string, let type = row[1].string else { continue }
                let isIdentity = row[2].string == "YES"
                if isIdentity { identity.append(name) }
                if sqliteColumns.contains(name) {
                    sources.append(PostgresCopy.quote(name))
                } else if isIdentity && !withoutRowID {
                    sources.append("rowid")
                } else {
                    throw Refusal("\(table).\(name) has no column in the SQLite database to come from")
                }
                columns.append((name, type))
            }
            self.columns = columns
            self.sources = sources
            identityColumns = identity
            order = withoutRowID ? primaryKey.map(PostgresCopy.quote) : ["rowid"]
            sourceRows = rows
        }

        /// Reads the SQLite rows in batches and inserts each batch as one statement.
        /// - Returns: the rows inserted.
        func copy(snapshot: DatabaseQueue, transaction: PostgresTransaction) async throws -> Int {
            let batch = max(1, min(PostgresCopy.batchRows, 60_000 / max(1, columns.count)))
            let select = "SELECT \((order + sources).joined(separator: ", ")) FROM \(PostgresCopy.quote(table))"
            let orderBy = " ORDER BY \(order.joined(separator: ", ")) LIMIT \(batch)"
            let keyTuple = "(\(order.joined(separator: ", ")))"
            let placeholders = "(\(order.map { _ in "?" }.joined(separator: ", ")))"
            let insert = "INSERT INTO \(PostgresCopy.quote(table)) (\(columns.map { PostgresCopy.quote($0.name) }.joined(separator: ", "))) OVERRIDING SYSTEM VALUE VALUES "
            var next: [DatabaseValue]? = nil
            var copied = 0
            while true {
                let after = next
                let rows = try snapshot.read { db in
                    if let after {
                        return try Row.fetchAll(db, sql: select + " WHERE \(keyTuple) > \(placeholders)" + orderBy, arguments: StatementArguments(after))
                    }
                    return try Row.fetchAll(db, sql: select + orderBy)
                }
                guard let last = rows.last else { return copied }
                next = (0..<order.count).map { last[$0] as DatabaseValue }
                var parameters: [PostgresValue] = []
                parameters.reserveCapacity(rows.count * columns.count)
                var tuples: [String] = []
                for row in rows {
                    var slots: [String] = []
                    for (index, column) in columns.enumerated() {
                        parameters.append(try value(row[order.count + index] as DatabaseValue, column: column))
                        slots.append("$\(parameters.count)")
                    }
                    tuples.append("(" + slots.joined(separator: ", ") + ")")
                }
                try await transaction.query(insert + tuples.joined(separator: ", "), parameters)
                copied += rows.count
            }
        }

        /// SQLite's value as the PostgreSQL column's type; SQLite's typing is loose (an integer
        /// may sit in a TEXT column), PostgreSQL's is not.
        func value(_ value: DatabaseValue, column: (name: String, type: String)) throws -> PostgresValue {
            let refuse = { (what: String) in Refusal("\(table).\(column.name): \(what) does not fit PostgreSQL's \(column.type)") }
            switch (value.storage, column.type) {
            case (.null, _): return .null
            case (.int64(let number), "bigint"), (.int64(let number), "integer"), (.int64(let number), "smallint"): return .int(number)
            case (.string(let text), "bigint"):
                guard let number = Int64(text) else { throw refuse("the text \"\(text.prefix(40))\"") }
                return .int(number)
            case (.double(let number), "double precision"), (.double(let number), "real"): return .double(number)
            case (.int64(let number), "double precision"), (.int64(let number), "real"): return .double(Double(number))
            case (.int64(let number), "boolean"): return .bool(number != 0)
            case (.string(let text), "text"): return .text(text)
            case (.int64(let number), "text"): return .text(String(number))
            case (.blob(let data), "bytea"): return .bytes([UInt8](data))
            case (.string(let text), "bytea"): return .bytes(Array(text.utf8))
            case (.blob(let data), "text"):
                guard let text = String(data: data, encoding: .utf8) else { throw refuse("a blob of \(data.count) bytes that is not UTF-8") }
                return .text(text)
            case (.string(let text), "numeric"): return .numeric(text)
            case (.int64(let number), "numeric"): return .numeric(String(number))
            default: throw refuse("the SQLite value \(value)")
            }
        }
    }
}

extension PostgresCopy {
    /// Copies the uploads kept in a content folder (`SONIC_CONTENT_DIR` of a SQLite install)
    /// into the database, where hosts sharing it keep them: each file is read (its blocks
    /// checked), imported again as it was first (the same CID version, so the same CID) and
    /// stored with its blocks; files there already are kept. Safe to run again.
    /// - Returns: the files and their bytes.
    /// - Throws: `Refusal` for a file that does not come out under its own CID; the store's or
    ///   the folder's errors otherwise (files copied before stay).
    public static func copyContent(fromFolder folder: String, to store: PostgresStore) async throws -> (files: Int, bytes: Int) {
        let source = try ContentStore(directory: folder)
        let target = DatabaseContentStore(repository: store)
        var copied = (files: 0, bytes: 0)
        for root in source.roots().sorted() {
            guard let cid = CID(root), let (object, bytes) = try source.read(cid) else { continue }
            let again = try await target.add(bytes[...], contentType: object.contentType, cidVersion: cid.version)
            guard again == cid else { throw Refusal("\(root) in \(folder) comes out as \(again) when imported again; it was not copied") }
            copied.files += 1
            copied.bytes += bytes.count
        }
        return copied
    }
}
