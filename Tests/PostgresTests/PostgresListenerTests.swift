import Postgres
import TestSupport
import Testing

@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresListenerTests {
    /// NOTIFY reaches the listener; after the server kills its connection it comes back, says
    /// so, and NOTIFY reaches it again.
    @Test func notificationsArriveAndArriveAgainAfterTheConnectionIsKilled() async throws {
        let pool = try TestDatabase.pool(threadName: "pg-listen")
        defer { pool.stop() }
        let channel = TestDatabase.uniqueName("changes")
        let listener = try pool.listen(to: [channel])
        defer { listener.stop() }
        let recorder = EventRecorder(listener)
        #expect(eventually { recorder.all.first == .listening })

        try await pool.query("SELECT pg_notify($1, $2)", [.text(channel), .text("0xaa")])
        _ = try await pool.transaction { transaction in
            try await transaction.query("SELECT pg_notify($1, $2)", [.text(channel), .text("0xbb")])
        }
        #expect(eventually { recorder.count(of: .notification(channel: channel, payload: "0xbb")) == 1 })
        #expect(recorder.all == [.listening, .notification(channel: channel, payload: "0xaa"), .notification(channel: channel, payload: "0xbb")])

        let first = await listener.backendPID()
        #expect(first != 0)
        #expect(try await pool.query("SELECT pg_terminate_backend($1::int)", [.int(Int64(first))]).scalar == .bool(true))
        #expect(eventually { recorder.count(of: .reconnected) == 1 })
        #expect(await listener.backendPID() != first)

        try await pool.query("SELECT pg_notify($1, $2)", [.text(channel), .text("0xcc")])
        #expect(eventually { recorder.count(of: .notification(channel: channel, payload: "0xcc")) == 1 })
    }

    /// A notification inside a rolled-back transaction is never sent; other channels are not heard.
    @Test func onlyCommittedNotificationsOfItsChannels() async throws {
        let pool = try TestDatabase.pool(threadName: "pg-listen2")
        defer { pool.stop() }
        let channel = TestDatabase.uniqueName("mine"), other = TestDatabase.uniqueName("other")
        let listener = try pool.listen(to: [channel])
        defer { listener.stop() }
        let recorder = EventRecorder(listener)
        #expect(eventually { recorder.all.first == .listening })
        struct Abort: Error {}
        _ = try? await pool.transaction { transaction in
            try await transaction.query("SELECT pg_notify($1, 'rolled back')", [.text(channel)])
            throw Abort()
        }
        try await pool.query("SELECT pg_notify($1, 'elsewhere')", [.text(other)])
        try await pool.query("SELECT pg_notify($1, 'last')", [.text(channel)])
        #expect(eventually { recorder.all.count == 2 })
        #expect(recorder.all == [.listening, .notification(channel: channel, payload: "last")])
    }

    @Test func channelNamesAreChecked() throws {
        let pool = try TestDatabase.pool(threadName: "pg-listen3")
        defer { pool.stop() }
        for bad in ["", "1abc", "has space", "quote\"d", "UPPER", String(repeating: "a", count: 64)] {
            #expect(throws: PostgresError.self) { _ = try pool.listen(to: [bad]) }
        }
    }
}
