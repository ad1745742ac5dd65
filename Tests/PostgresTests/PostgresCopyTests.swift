import Ethereum
import Foundation
import IPFS
import Postgres
import SonicStore
import TestSupport
import Testing

/// `sonic-sync copy-to-postgres`: a SQLite database with rows in every area is copied into a new
/// PostgreSQL database exactly, the change logs keep their numbers and go on after them, the
/// triggers work again afterwards, and a database that holds rows is refused whole.
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresCopyTests {
    static let alice = try! Address("0x00000000000000000000000000000000000a11ce")
    static let bob = try! Address("0x0000000000000000000000000000000000000b0b")

    /// A store with a session, a cached blob, knowledge, a settled tracked transaction (which
    /// logs changes through triggers) and indexed activity.
    static func filledStore(in folder: String) throws -> Store {
        let store = try Store(path: folder + "/sonic.sqlite")
        try store.createSession(tokenHash: "hash-of-a-token", address: alice, csrfToken: "csrf", expiresAt: Date(timeIntervalSince1970: 2_000_000_000))
        try store.cache("balance:alice", [0, 1, 2, 255, 0], at: Date(timeIntervalSince1970: 1_700_000_000.25))
        try store.loadKnowledge([(slug: "staking", title: "Staking on Sonic", body: "Delegate S to a validator through the SFC.")])
        for nonce in 0..<3 as Range<UInt64> {
            let hash = Hash32.keccak(Array("sent-\(nonce)".utf8))
            try store.track(TrackedTransaction(hash: hash, sender: alice, nonce: nonce))
            var settled = try #require(try store.trackedTransaction(hash))
            settled.state = .confirmed
            settled.block = 10 + nonce
            try store.update(settled)
        }
        let entries = (1...700).map { (block: UInt64) in
            ActivityEntry(address: bob, block: block, txIndex: 0, seq: 0, hash: .keccak([UInt8(block % 256), UInt8(block / 256)]), time: 1_700_000_000,
                          kind: .transfer, direction: .incoming, counterparty: alice, amountWei: try! UInt256(parsing: "\(block)000000000000000000"),
                          tokenSymbol: "S", tokenDecimals: 18, feeWei: 21, status: .confirmed)
        }
        _ = try store.insertBackfilled(entries, source: "node")
        return store
    }

    static func scratchFolder(_ prefix: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabase.uniqueName(prefix)).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func everyRowArrivesAndTheLogsGoOnAfterThem() async throws {
        let folder = try Self.scratchFolder("copy")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Self.filledStore(in: folder)
        let (name, pool) = try await PostgresSchemaTests.freshDatabase("copy")
        defer { pool.stop() }

        let report = try await PostgresCopy.copy(fromSQLiteAt: store.path, to: pool, snapshotFolder: folder)
        let copied = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.name, $0.rows) })
        #expect(copied["activity"] == 700, "700 rows: more than one batch of 500")
        #expect(copied["session"] == 1 && copied["cache"] == 1 && copied["knowledge"] == 1 && copied["tracked_transaction"] == 3)
        #expect(copied["tracked_change"] == 3, "the change log as it was, not written again by the triggers")
        #expect(copied["address_change"] == 703, "700 activity rows and 3 settled transactions of the sender")

        // Values arrive exactly, typed.
        let cached = try await pool.query("SELECT value, stored_at FROM cache WHERE key = 'balance:alice'").rows[0]
        #expect(cached[0].bytes == [0, 1, 2, 255, 0] && cached[1].double == 1_700_000_000.25)
        let amount = try await pool.query("SELECT amount_wei FROM activity WHERE block = 700").scalar.string
        #expect(amount == "700000000000000000000")
        let found = try await pool.query("SELECT slug FROM knowledge WHERE search @@ to_tsquery('simple', 'validator')").scalar.string
        #expect(found == "staking", "the search column is computed by PostgreSQL from the copied text")

        // The change log goes on after the copied numbers, through the triggers again.
        let lastBefore = try await pool.query("SELECT max(seq) FROM tracked_change").scalar.int
        let hash = Hash32.keccak(Array("sent-0".utf8))
        try await pool.query("UPDATE tracked_transaction SET state = 'failed' WHERE hash = $1", [.text(hash.description)])
        let logged = try await pool.query("SELECT seq, hash FROM tracked_change ORDER BY seq DESC LIMIT 1").rows[0]
        #expect(logged[0].int == (lastBefore ?? 0) + 1 && logged[1].string == hash.description)

        // A second copy into a database that holds rows is refused, and changes nothing.
        await #expect(throws: PostgresCopy.Refusal.self) { try await PostgresCopy.copy(fromSQLiteAt: store.path, to: pool, snapshotFolder: folder) }
        #expect(try await pool.query("SELECT count(*) FROM activity").scalar.int == 700)
        // A wrong SONIC_DB_PATH is refused, and no file is made there.
        let missing = folder + "/missing.sqlite"
        await #expect(throws: PostgresCopy.Refusal.self) { try await PostgresCopy.copy(fromSQLiteAt: missing, to: pool, snapshotFolder: folder) }
        #expect(!FileManager.default.fileExists(atPath: missing))
        pool.stop()
        try await PostgresSchemaTests.drop(name)
    }

    /// docs/operations.md's backup and restore, tried once: `pg_dump --format=custom` of a copied
    /// database, `pg_restore` into a new one, and every table holds the same rows, with the
    /// triggers and identity numbers working in the restored database.
    /// A SQLite install's content folder moves into the database: every file under its own CID
    /// (both versions), byte for byte; a second run keeps what is there.
    @Test func theContentFolderArrivesUnderTheSameCIDs() async throws {
        let (name, pool) = try await PostgresSchemaTests.freshDatabase("content")
        defer { pool.stop() }
        try await PostgresMigrations.migrate(pool)
        let folder = try Self.scratchFolder("content")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try ContentStore(directory: folder)
        let large = (0..<600_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 7) }
        let first = try source.add(large, contentType: "image/png", cidVersion: 0)
        let second = try source.add(Array("{\"name\":\"x\"}".utf8), contentType: "application/json", cidVersion: 1)

        let store = PostgresStore(pool: pool)
        let copied = try await PostgresCopy.copyContent(fromFolder: folder, to: store)
        #expect(copied.files == 2 && copied.bytes == large.count + 12)
        let target = DatabaseContentStore(repository: store)
        let read = try await target.read(first)
        #expect(read?.bytes == large && read?.object.contentType == "image/png")
        #expect(try await target.read(second)?.bytes == Array("{\"name\":\"x\"}".utf8))
        let again = try await PostgresCopy.copyContent(fromFolder: folder, to: store)
        #expect(again.files == 2)
        #expect(try await pool.query("SELECT count(*) FROM content_object").scalar.int == 2)
        try await PostgresSchemaTests.drop(name)
    }

    @Test func aDumpRestoresIntoANewDatabaseAsItWas() async throws {
        let folder = try Self.scratchFolder("dump")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (source, pool) = try await PostgresSchemaTests.freshDatabase("dumped")
        defer { pool.stop() }
        let report = try await PostgresCopy.copy(fromSQLiteAt: try Self.filledStore(in: folder).path, to: pool, snapshotFolder: folder)

        let dump = folder + "/sonic.dump"
        try Self.run("pg_dump", ["--format=custom", "--no-owner", "--file=\(dump)", "--dbname=\(TestDatabase.url(database: source))"])
        let (restored, restoredPool) = try await PostgresSchemaTests.freshDatabase("restored")
        defer { restoredPool.stop() }
        try Self.run("pg_restore", ["--no-owner", "--exit-on-error", "--dbname=\(TestDatabase.url(database: restored))", dump])

        for (table, rows) in report.tables {
            let count = try await restoredPool.query("SELECT count(*) FROM \"\(table)\"").scalar.int
            #expect(count == Int64(rows), "\(table): \(rows) rows dumped, \(count ?? -1) restored")
        }
        let applied = try await restoredPool.query("SELECT count(*) FROM schema_migrations").scalar.int
        #expect(applied == Int64(PostgresMigrations.all.count))
        #expect(try await PostgresMigrations.migrate(restoredPool) == [], "the restored schema is current")
        let hash = Hash32.keccak(Array("sent-1".utf8))
        try await restoredPool.query("UPDATE tracked_transaction SET state = 'failed' WHERE hash = $1", [.text(hash.description)])
        let logged = try await restoredPool.query("SELECT seq, hash FROM tracked_change ORDER BY seq DESC LIMIT 1").rows[0]
        #expect(logged[0].int == 4 && logged[1].string == hash.description)
        pool.stop()
        restoredPool.stop()
        try await PostgresSchemaTests.drop(source)
        try await PostgresSchemaTests.drop(restored)
    }

    /// Runs one of PostgreSQL's programs (from PG_BIN, as the test run sets it, or Debian's
    /// folder for PostgreSQL 15) and fails with its output when it fails.
    static func run(_ program: String, _ arguments: [String]) throws {
        let folder = ProcessInfo.processInfo.environment["PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: folder + "/" + program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 { Issue.record("\(program) failed (\(process.terminationStatus)): \(text)") }
    }
}
