import Postgres
import Testing

private struct Refusal: Error {}

@Suite(.onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresTransactionTests {
    @Test func aTransactionCommitsAllOrRollsBackAll() async throws {
        let pool = try TestDatabase.pool(maxConnections: 2)
        defer { pool.stop() }
        let table = TestDatabase.uniqueName("ledger")
        try await pool.execute(script: "CREATE TABLE \(table) (id bigint PRIMARY KEY, amount_wei numeric NOT NULL)")

        let written = try await pool.transaction { transaction in
            try await transaction.query("INSERT INTO \(table) VALUES (1, $1)", [.numeric("10")])
            try await transaction.query("INSERT INTO \(table) VALUES (2, $1)", [.numeric("20")])
            return try await transaction.query("SELECT count(*) FROM \(table)").scalar
        }
        #expect(written == .int(2))

        // A thrown error: nothing of it stays.
        await #expect(throws: Refusal.self) {
            try await pool.transaction { transaction in
                try await transaction.query("INSERT INTO \(table) VALUES (3, $1)", [.numeric("30")])
                throw Refusal()
            }
        }
        // A failed statement (a duplicate key): the first insert goes too.
        do {
            try await pool.transaction { transaction in
                try await transaction.query("UPDATE \(table) SET amount_wei = amount_wei + 1 WHERE id = 1")
                try await transaction.query("INSERT INTO \(table) VALUES (2, 0)")
            }
            Issue.record("a duplicate key was committed")
        } catch let error as PostgresError {
            #expect(error.isUniqueViolation)
        }
        let rows = try await pool.query("SELECT id, amount_wei FROM \(table) ORDER BY id").rows
        #expect(rows.map { $0.values } == [[.int(1), .numeric("10")], [.int(2), .numeric("20")]])
        // Uncommitted writes are not seen by another connection.
        try await pool.transaction { transaction in
            try await transaction.query("DELETE FROM \(table)")
            #expect(try await pool.query("SELECT count(*) FROM \(table)").scalar == .int(2))
        }
        #expect(try await pool.query("SELECT count(*) FROM \(table)").scalar == .int(0))
    }
}
