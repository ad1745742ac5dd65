import Foundation
import Postgres
import TestSupport
import Testing

@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct PostgresAdvisoryLockTests {
    /// One holder across pools (hosts): the others are refused until it releases, or until its
    /// connection dies.
    @Test func heldByOneRefusedToOthersUntilReleasedOrItsConnectionDies() async throws {
        let first = try TestDatabase.pool(threadName: "pg-lock-a"), second = try TestDatabase.pool(threadName: "pg-lock-b")
        defer { first.stop(); second.stop() }
        let key = Int64.random(in: 1...Int64.max)

        let held = try #require(try await first.tryAdvisoryLock(key))
        #expect(held.isHeld)
        #expect(try await second.tryAdvisoryLock(key) == nil)
        #expect(try await first.tryAdvisoryLock(key) == nil, "another connection of the same pool is another session")
        #expect(try await second.tryAdvisoryLock(key &+ 1) != nil, "another key is free")

        held.release()
        #expect(!held.isHeld)
        var taken: PostgresAdvisoryLock?
        for _ in 0..<200 where taken == nil {
            taken = try await second.tryAdvisoryLock(key)
            if taken == nil { usleep(5_000) }
        }
        let holder = try #require(taken)
        #expect(try await first.tryAdvisoryLock(key) == nil)

        // The holder's host dies: its backend is killed. The lock goes with it.
        let killed = try await first.query("SELECT pg_terminate_backend($1::int)", [.int(Int64(holder.backendPID))])
        #expect(killed.scalar == .bool(true))
        #expect(eventually { !holder.isHeld })
        var successor: PostgresAdvisoryLock?
        for _ in 0..<200 where successor == nil {
            successor = try await first.tryAdvisoryLock(key)
            if successor == nil { usleep(5_000) }
        }
        #expect(successor?.isHeld == true)
    }

    /// A standby tries again and again on one connection (one server session, not one per try),
    /// takes the lock on it once the holder lets go, and opens another only after it dropped.
    @Test func aStandbyKeepsItsConnectionBetweenTries() async throws {
        let first = try TestDatabase.pool(threadName: "pg-lock-c"), second = try TestDatabase.pool(threadName: "pg-lock-d")
        defer { first.stop(); second.stop() }
        let key = Int64.random(in: 1...Int64.max)
        let holder = try #require(try await first.tryAdvisoryLock(key))

        let standby = second.advisoryLock(key)
        #expect(standby.backendPID == 0 && !standby.isHeld, "nothing opened before the first try")
        #expect(try await standby.tryTake() == false)
        let session = standby.backendPID
        #expect(session != 0)
        for _ in 0..<10 { #expect(try await standby.tryTake() == false) }
        #expect(standby.backendPID == session, "the same session for every try")
        let sessions = try await first.query("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int", [.int(Int64(session))])
        #expect(sessions.scalar == .int(1), "and it is still open on the server")

        holder.release()
        var taken = false
        for _ in 0..<200 where !taken {
            taken = try await standby.tryTake()
            if !taken { usleep(5_000) }
        }
        #expect(taken && standby.isHeld && standby.backendPID == session, "taken on the connection it waited on")

        // Its connection dies: the lock is gone, and the next try opens a new session.
        #expect(try await first.query("SELECT pg_terminate_backend($1::int)", [.int(Int64(session))]).scalar == .bool(true))
        #expect(eventually { !standby.isHeld })
        #expect(try await standby.tryTake())
        #expect(standby.backendPID != session && standby.backendPID != 0)
        standby.release()
        #expect(!standby.isHeld)
        #expect(try await first.tryAdvisoryLock(key) != nil, "released")
    }
}
