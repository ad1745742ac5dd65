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
}
