import Foundation
import GRDB
import Postgres
import SonicStore
import TestSupport
import Testing

/// The PostgreSQL schema against the SQLite one, read from both engines' catalogues: every table,
/// column (with a compatible type and the same NOT NULL), primary key and named index of one is
/// in the other, and both have applied the same migrations. A migration added to one engine only
/// fails here.
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresSchemaTests {
    /// Columns PostgreSQL has for what SQLite does in another way (FTS5's rowid and index).
    static let postgresOnly: Set<String> = ["knowledge.id", "knowledge.search"]
    /// SQLite declared types and the PostgreSQL ones that hold the same values.
    static let compatible: [String: Set<String>] = [
        "TEXT": ["text"], "BLOB": ["bytea"], "INTEGER": ["bigint"], "DOUBLE": ["double precision"], "REAL": ["double precision"],
    ]

    @Test func migrationsMatchSQLiteTableByTableAndApplyOnce() async throws {
        let (name, pool) = try await Self.freshDatabase("schema")
        defer { pool.stop() }

        let applied = try await PostgresMigrations.migrate(pool)
        #expect(applied == PostgresMigrations.all.map(\.name))
        // Again, and from two hosts at once: nothing more to do.
        async let again = PostgresMigrations.migrate(pool)
        async let alongside = PostgresMigrations.migrate(pool)
        let (first, second) = try await (again, alongside)
        #expect(first == [] && second == [])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabase.uniqueName("sqlite")).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Store(path: folder + "/sonic.sqlite")
        let sqlite = try DatabaseQueue(path: folder + "/sonic.sqlite")

        let sqliteMigrations = try await sqlite.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        let postgresMigrations = try await pool.query("SELECT name FROM schema_migrations").rows.compactMap { $0[0].string }
        #expect(Set(sqliteMigrations) == Set(postgresMigrations))

        let tables = try await Self.sqliteTables(sqlite)
        let postgresTables = try await pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
            .rows.compactMap { $0[0].string }
        #expect(Set(postgresTables) == Set(tables).union(["schema_migrations"]))

        for table in tables {
            let columns = try sqlite.read { try Row.fetchAll($0, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", arguments: [table]) }
            let postgres = try await pool.query(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
                [.text(table)]).rows
            let byName = Dictionary(uniqueKeysWithValues: postgres.map { ($0[0].string!, (type: $0[1].string!, nullable: $0[2].string == "YES")) })
            for column in columns {
                let name: String = column["name"], type: String = column["type"]
                guard let other = byName[name] else {
                    Issue.record("\(table).\(name) is not in the PostgreSQL schema")
                    continue
                }
                if let allowed = Self.compatible[type.uppercased()] {
                    #expect(allowed.contains(other.type), "\(table).\(name): SQLite \(type), PostgreSQL \(other.type)")
                }
                let notNull = (column["notnull"] as Int) == 1
                if notNull { #expect(!other.nullable, "\(table).\(name) is NOT NULL in SQLite only") }
                if !notNull && (column["pk"] as Int) == 0 { #expect(other.nullable, "\(table).\(name) is NOT NULL in PostgreSQL only") }
            }
            let sqliteNames = Set(columns.map { $0["name"] as String })
            for extra in byName.keys where !sqliteNames.contains(extra) {
                #expect(Self.postgresOnly.contains("\(table).\(extra)"), "\(table).\(extra) is in the PostgreSQL schema only")
            }
            let sqliteKey = columns.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }.map { $0["name"] as String }
            let postgresKey = try await pool.query("""
                SELECT k.column_name FROM information_schema.table_constraints c
                JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
                WHERE c.table_schema = 'public' AND c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position
                """, [.text(table)]).rows.compactMap { $0[0].string }
            if !sqliteKey.isEmpty || table != "knowledge" { #expect(sqliteKey == postgresKey, "\(table)'s primary key") }
        }

        let indexes = try await sqlite.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") }
        let postgresIndexes = Set(try await pool.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'").rows.compactMap { $0[0].string })
        #expect(!indexes.isEmpty)
        for index in indexes { #expect(postgresIndexes.contains(index), "index \(index) is not in the PostgreSQL schema") }
        let triggers = try await sqlite.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") }
        let postgresTriggers = Set(try await pool.query("SELECT trigger_name FROM information_schema.triggers").rows.compactMap { $0[0].string })
        for trigger in triggers { #expect(postgresTriggers.contains(trigger), "trigger \(trigger) is not in the PostgreSQL schema") }
        pool.stop()
        try await Self.drop(name)
    }

    /// The change log's trigger: a state change is numbered and notified at commit, as in SQLite.
    @Test func aStateChangeIsLoggedAndNotified() async throws {
        let (name, pool) = try await Self.freshDatabase("changes")
        defer { pool.stop() }
        try await PostgresMigrations.migrate(pool)
        let listener = try pool.listen(to: ["tracked_change"])
        defer { listener.stop() }
        let recorder = EventRecorder(listener)
        #expect(eventually { recorder.all.first == .listening })
        try await pool.query("INSERT INTO tracked_transaction (hash, state, created_at, updated_at) VALUES ($1, 'pending', 1, 1)", ["0x01"])
        try await pool.query("UPDATE tracked_transaction SET updated_at = 2 WHERE hash = $1", ["0x01"])
        try await pool.query("UPDATE tracked_transaction SET state = 'confirmed' WHERE hash = $1", ["0x01"])
        #expect(try await pool.query("SELECT seq, hash FROM tracked_change").rows.map { $0.values } == [[.int(1), .text("0x01")]])
        #expect(eventually { recorder.all.count == 2 })
        #expect(recorder.all.last == .notification(channel: "tracked_change", payload: "0x01"))
        listener.stop()
        pool.stop()
        try await Self.drop(name)
    }

    static func sqliteTables(_ database: DatabaseQueue) async throws -> [String] {
        try await database.read { db in
            let virtual = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
            return try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
                .filter { name in !virtual.contains { name.hasPrefix($0 + "_") } }
        }
    }

    /// A database of its own, empty, and a pool on it.
    static func freshDatabase(_ prefix: String) async throws -> (name: String, pool: PostgresPool) {
        let admin = try TestDatabase.pool(threadName: "pg-admin")
        defer { admin.stop() }
        let name = TestDatabase.uniqueName(prefix)
        try await admin.execute(script: "CREATE DATABASE \(name)")
        return (name, try PostgresPool(url: TestDatabase.url(database: name), threadName: "pg-\(prefix)"))
    }

    static func drop(_ database: String) async throws {
        let pool = try TestDatabase.pool(threadName: "pg-drop")
        defer { pool.stop() }
        try await pool.execute(script: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
    }
}
