import Postgres
import Testing

@Suite(.onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresQueryTests {
    @Test func everyParameterTypeAndNullComeBackAsSent() async throws {
        let pool = try TestDatabase.pool()
        defer { pool.stop() }
        let amount = "115792089237316195423570985008687907853269984665640564039457584007913129639935"  // 2^256 - 1, exact
        let bytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x5C, 0x78]
        let row = try await pool.query(
            "SELECT $1::bigint AS i, $2::boolean AS b, $3::text AS t, $4::bytea AS y, $5::numeric AS n, $6::double precision AS d, $7::text AS z, $8::bigint AS zi",
            [.int(-9_223_372_036_854_775_808), .bool(true), .text("Grüße, 'quoted' \\ \u{1F600}"), .bytes(bytes), .numeric(amount),
             .double(1_733_300_000.25), .null, .null]
        ).rows[0]
        #expect(try row.value("i") == .int(Int64.min))
        #expect(try row.value("b") == .bool(true))
        #expect(try row.value("t") == .text("Grüße, 'quoted' \\ \u{1F600}"))
        #expect(try row.value("y") == .bytes(bytes))
        #expect(try row.value("n") == .numeric(amount))
        #expect(try row.value("d") == .double(1_733_300_000.25))
        #expect(try row.value("z") == .null)
        #expect(try row.value("zi") == .null)
        #expect(throws: PostgresError.self) { try row.value("missing") }
    }

    @Test func rowsOfATableAndTheCountOfACommand() async throws {
        let pool = try TestDatabase.pool()
        defer { pool.stop() }
        let table = TestDatabase.uniqueName("rows")
        try await pool.execute(script: "CREATE TABLE \(table) (id bigint PRIMARY KEY, amount_wei numeric NOT NULL, note text, raw bytea)")
        for id in 1...3 {
            try await pool.query("INSERT INTO \(table) VALUES ($1, $2, $3, $4)", [.int(Int64(id)), .numeric("\(id)000000000000000000"), id == 2 ? .null : .text("n\(id)"), .bytes([UInt8(id)])])
        }
        let updated = try await pool.query("UPDATE \(table) SET note = 'x' WHERE id >= $1", [.int(2)])
        #expect(updated.affectedRows == 2)
        let rows = try await pool.query("SELECT id, amount_wei, note, raw FROM \(table) ORDER BY id").rows
        #expect(rows.map { $0[0] } == [.int(1), .int(2), .int(3)])
        #expect(rows.map { $0[1] } == [.numeric("1000000000000000000"), .numeric("2000000000000000000"), .numeric("3000000000000000000")])
        #expect(rows.map { $0[2] } == [.text("n1"), .text("x"), .text("x")])
        #expect(rows[2][3] == .bytes([3]))
        #expect(try await pool.query("SELECT count(*) FROM \(table) WHERE note IS NULL").scalar == .int(0))
    }

    /// What cannot be sent is refused before anything is sent, naming the parameter.
    @Test func valuesThatCannotBeSentAreRefusedNamingTheParameter() async throws {
        let pool = try TestDatabase.pool()
        defer { pool.stop() }
        for (value, words) in [(PostgresValue.numeric("1e18"), "$2 \"1e18\" is not a decimal number"), (.numeric("1.5.0"), "$2 \"1.5.0\""),
                               (.numeric(""), "$2"), (.text("a\u{0}b"), "$2 holds a NUL"), (.double(.nan), "$2 is not a finite number")] {
            do {
                try await pool.query("SELECT $1::text, $2", [.text("fine"), value])
                Issue.record("\(value) was sent")
            } catch {
                #expect(error.kind == .badInput)
                #expect(error.message.contains(words), "\(error.message)")
            }
        }
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1", Array(repeating: .int(1), count: PostgresPool.maxParameters + 1)) }
    }
}
