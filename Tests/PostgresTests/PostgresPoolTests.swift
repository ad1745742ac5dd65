import Foundation
import Postgres
import RequestDeadline
import Synchronization
import TestSupport
import Testing

@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresPoolTests {
    /// 48 queries of 50 ms at once on 4 connections: they take turns (12 rounds), and while they
    /// wait the process has no more threads than before: none is held per query.
    @Test func manyConcurrentQueriesOnFewConnectionsHoldNoThreads() async throws {
        let pool = try TestDatabase.pool(maxConnections: 4, maxQueued: 64, threadName: "pg-many")
        defer { pool.stop() }
        try await pool.query("SELECT 1")
        let before = threadNames().count
        let most = Atomic(0)
        let sampling = Atomic(true)
        let sampler = Thread {
            while sampling.load(ordering: .relaxed) {
                most.store(max(most.load(ordering: .relaxed), threadNames().count), ordering: .relaxed)
                usleep(5_000)
            }
        }
        sampler.start()
        let start = DispatchTime.now().uptimeNanoseconds
        let calls = (0..<48).map { index in
            Task(executorPreference: QueueExecutor.shared) {
                try await pool.query("SELECT pg_sleep(0.05), $1::bigint", [.int(Int64(index))]).rows[0][1]
            }
        }
        var answers: [PostgresValue] = []
        for call in calls { answers.append(try await call.value) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        sampling.store(false, ordering: .relaxed)
        #expect(answers == (0..<48).map { .int(Int64($0)) })
        #expect(seconds >= 0.55, "48 × 50 ms on 4 connections took \(seconds) s: more than 4 at once?")
        #expect(seconds < 20)
        // A thread per waiting query would be at least 44 more, whatever else runs; other suites
        // running at the same time start threads of their own (up to 34 more were seen under the
        // whole suite, an app on PostgreSQL included), which never reach 44 by themselves here.
        #expect(most.load(ordering: .relaxed) - before < 44, "threads went from \(before) to \(most.load(ordering: .relaxed))")
        let counts = await pool.counts()
        #expect(counts.open == 4 && counts.queued == 0)
    }

    /// Two connections and a queue of one: a fourth call is refused at once; the others all finish.
    @Test func theBoundAndTheQueueShedTheRest() async throws {
        let pool = try TestDatabase.pool(maxConnections: 2, maxQueued: 1, threadName: "pg-bound")
        defer { pool.stop() }
        // Long enough statements that the third call is still queued when a busy machine (the
        // whole Swift suite at once) starts its task late; the wait below ends on the state.
        let calls = (0..<3).map { _ in Task(executorPreference: QueueExecutor.shared) { try await pool.query("SELECT pg_sleep(2)") } }
        var counts = await pool.counts()
        let giveUp = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
        while !(counts.open == 2 && counts.queued == 1) && DispatchTime.now().uptimeNanoseconds < giveUp {
            usleep(2_000)
            counts = await pool.counts()
        }
        #expect(counts.open == 2 && counts.queued == 1)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try await pool.query("SELECT 1")
            Issue.record("a call beyond the bound and the queue was not refused")
        } catch {
            #expect(error.kind == .overloaded)
            #expect(error.message.contains("2 database connections are busy"))
            #expect(DispatchTime.now().uptimeNanoseconds - start < 400_000_000, "refused at once")
        }
        for call in calls { _ = try await call.value }
        #expect(try await pool.query("SELECT 1").scalar == .int(1))
    }

    /// A statement past the task's deadline is given up: the caller gets `.timeout` on time, its
    /// connection is closed (the server stops the query), and the pool goes on serving.
    @Test func aDeadlineGivesUp() async throws {
        let pool = try TestDatabase.pool(maxConnections: 1, threadName: "pg-deadline")
        defer { pool.stop() }
        let start = DispatchTime.now().uptimeNanoseconds
        await #expect(throws: PostgresError.self) {
            try await Deadline.$current.withValue(.after(seconds: 0.2)) { try await pool.query("SELECT pg_sleep(5)") }
        }
        let waited = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(waited >= 0.19 && waited < 3, "gave up after \(waited) s, not after the statement's 5 s")
        do {
            try await Deadline.$current.withValue(.after(seconds: 0.1)) { try await pool.query("SELECT pg_sleep(5)") }
        } catch let error as PostgresError {
            #expect(error.kind == .timeout)
        }
        // A deadline already passed: not sent at all.
        await #expect(throws: PostgresError.self) {
            try await Deadline.$current.withValue(.after(seconds: 0)) { try await pool.query("SELECT 1") }
        }
        #expect(try await pool.query("SELECT 7").scalar == .int(7))
        // The given-up statements are not running on the server any more.
        var running = PostgresValue.null
        for _ in 0..<200 where running != .int(0) {
            running = try await pool.query("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'").scalar
            usleep(5_000)
        }
        #expect(running == .int(0))
    }

    /// Waiting in the queue counts against the time: a call that runs out there is never sent.
    @Test func timeInTheQueueCounts() async throws {
        let pool = try TestDatabase.pool(maxConnections: 1, maxQueued: 4, queryTimeout: 3, threadName: "pg-queue")
        defer { pool.stop() }
        let long = Task(executorPreference: QueueExecutor.shared) { try await pool.query("SELECT pg_sleep(1)") }
        usleep(100_000)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try await Deadline.$current.withValue(.after(seconds: 0.1)) { try await pool.query("SELECT 1") }
            Issue.record("answered although the only connection was busy past the deadline")
        } catch let error as PostgresError {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("waiting for a connection"))
        }
        #expect(DispatchTime.now().uptimeNanoseconds - start < 800_000_000, "not after the 1 s statement ahead of it")
        _ = try await long.value
    }

    @Test func aCancelledTaskGivesItsCallUp() async throws {
        let pool = try TestDatabase.pool(maxConnections: 1, threadName: "pg-cancel")
        defer { pool.stop() }
        let call = Task(executorPreference: QueueExecutor.shared) { try await pool.query("SELECT pg_sleep(5)") }
        usleep(100_000)
        let start = DispatchTime.now().uptimeNanoseconds
        call.cancel()
        do {
            _ = try await call.value
            Issue.record("a cancelled call answered")
        } catch let error as PostgresError {
            #expect(error.kind == .cancelled)
        }
        #expect(DispatchTime.now().uptimeNanoseconds - start < 3_000_000_000)
        #expect(try await pool.query("SELECT 3").scalar == .int(3))
    }

    /// Stopping answers every call, running or queued, and ends the pool's thread.
    @Test func stopEndsCallsAndItsThread() async throws {
        let pool = try TestDatabase.pool(maxConnections: 1, threadName: "pg-stopped")
        try await pool.query("SELECT 1")
        #expect(threadNames().contains("pg-stopped"))
        let calls = (0..<3).map { _ in Task(executorPreference: QueueExecutor.shared) { try await pool.query("SELECT pg_sleep(5)") } }
        var counts = await pool.counts()
        for _ in 0..<500 where counts.queued < 2 {
            usleep(2_000)
            counts = await pool.counts()
        }
        let start = DispatchTime.now().uptimeNanoseconds
        pool.stop()
        for call in calls {
            do {
                _ = try await call.value
                Issue.record("a call answered after stop")
            } catch let error as PostgresError {
                #expect(error.kind == .cancelled)
            }
        }
        #expect(DispatchTime.now().uptimeNanoseconds - start < 3_000_000_000)
        #expect(eventually { !threadNames().contains("pg-stopped") })
        await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
    }
}
