import Foundation
import Postgres
@testable import SonicStore
import Synchronization
import TestSupport
import Testing

/// A role's store (`ActiveRole.store`) writes only while the role is this process's: a pass under
/// way when its lock was lost writes nothing once another process claimed the role, and the new
/// holder's claim waits for a transaction of the old holder's still under way, so the two never
/// write at once.
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct RoleFenceTests {
    static let role = ActiveRole.Role.alerts

    final class Step: Sendable {
        private let current = Mutex(0)
        var value: Int { current.withLock { $0 } }
        func set(_ value: Int) { current.withLock { $0 = value } }
    }

    /// Two hosts' stores on one fresh, migrated database.
    static func twoHosts(_ prefix: String) async throws -> (name: String, first: PostgresStore, second: PostgresStore) {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase(prefix)
        admin.stop()
        let url = TestDatabase.url(database: name)
        return (name, try await PostgresStore.open(url: url, threadName: "pg-\(prefix)-a"), try await PostgresStore.open(url: url, threadName: "pg-\(prefix)-b"))
    }

    /// Another process claims the role while this one has not seen its lock go (the moment
    /// between its lock connection's death and this side noticing): its role store's next write
    /// is refused by the database's check, and nothing is written; a plain read still answers.
    @Test func aRoleStoreWritesNothingOnceAnotherClaimedTheRole() async throws {
        let (name, first, second) = try await Self.twoHosts("fence")
        let active = ActiveRole(Self.role, store: first, retryEvery: 0.05)
        #expect(await active.isActive())
        let later = Date().addingTimeInterval(60)
        try await active.store.saveNonce("written-while-ours", expiresAt: later)

        _ = try await second.claim(Self.role.rawValue)
        #expect(active.holdsLock, "this side still believes it holds the role")
        do {
            try await active.store.saveNonce("written-after-the-claim", expiresAt: later)
            Issue.record("a write went through after another claimed the role")
        } catch {
            #expect(error.description.contains("no longer this process's"), "\(error)")
        }
        try await active.store.ping()
        #expect(try await first.consumeNonce("written-while-ours", at: Date()))
        #expect(try await !first.consumeNonce("written-after-the-claim", at: Date()), "nothing written")
        try await first.saveNonce("through the host's other store", expiresAt: later)  // not fenced

        active.stop()
        first.close()
        second.close()
        try await PostgresSchemaTests.drop(name)
    }

    /// The old holder's transaction is under way (it passed the check) when another claims the
    /// role: the claim waits until that transaction committed, and only then does the role move.
    @Test func aClaimWaitsForTheOldHoldersTransactionUnderWay() async throws {
        let (name, first, second) = try await Self.twoHosts("fencewait")
        let active = ActiveRole(Self.role, store: first, retryEvery: 0.05)
        #expect(await active.isActive())
        let step = Step()  // 1: inside the transaction; 2: may commit; 3: claimed
        let writing = Task {
            try await active.store.transaction { (db: PostgresStore.Transaction) async throws(StoreError) in
                step.set(1)
                while step.value < 2 { try? await Task.sleep(nanoseconds: 5_000_000) }
                try await db.execute("INSERT INTO auth_nonce (nonce, expires_at) VALUES (?, ?)", ["inside", Date().timeIntervalSince1970 + 60])
            }
        }
        #expect(eventually { step.value == 1 })
        let claiming = Task {
            let holder = try await second.claim(Self.role.rawValue)
            step.set(3)
            return holder
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(step.value == 1, "the claim waits while the old holder's transaction is open")
        step.set(2)
        try await writing.value
        #expect(try await claiming.value == 2, "the second holder of the role")
        #expect(try await first.consumeNonce("inside", at: Date()), "the old holder's transaction committed whole")
        await #expect(throws: StoreError.self) { try await active.store.saveNonce("after", expiresAt: Date().addingTimeInterval(60)) }

        active.stop()
        first.close()
        second.close()
        try await PostgresSchemaTests.drop(name)
    }

    /// Taking the role over claims it: the old holder's store is refused from then on, the new
    /// holder's works.
    @Test func aStandbyThatTakesTheRoleOverClaimsIt() async throws {
        let (name, first, second) = try await Self.twoHosts("fencetake")
        let old = ActiveRole(Self.role, store: first, retryEvery: 0.05), next = ActiveRole(Self.role, store: second, retryEvery: 0.05)
        #expect(await old.isActive())
        #expect(!(await next.isActive()))
        let admin = try PostgresPool(url: TestDatabase.url(database: name), threadName: "pg-fencetake")
        defer { admin.stop() }
        let pid = try #require(old.backendPID)
        #expect(try await admin.query("SELECT pg_terminate_backend($1::int, 5000)", [.int(Int64(pid))]).scalar == .bool(true))
        #expect(eventually { !old.holdsLock })
        var taken = false
        for _ in 0..<200 where !taken {
            taken = await next.isActive()
            if !taken { usleep(10_000) }
        }
        #expect(taken)
        #expect(try await admin.query("SELECT holder FROM role_fence WHERE role = $1", [.text(Self.role.rawValue)]).scalar == .int(2))
        let later = Date().addingTimeInterval(60)
        try await next.store.saveNonce("new holder", expiresAt: later)
        await #expect(throws: StoreError.self) { try await old.store.saveNonce("old holder", expiresAt: later) }

        old.stop()
        next.stop()
        first.close()
        second.close()
        try await PostgresSchemaTests.drop(name)
    }
}
