import AppTestSupport
import Ethereum
import Foundation
import Logging
import Postgres
import SonicApp
import SonicChain
import SonicConfig
@testable import SonicStore
import SonicSync
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
        // The server shows the claim waiting for the row lock the open transaction holds.
        let admin = try PostgresPool(url: TestDatabase.url(database: name), threadName: "pg-fencewait")
        defer { admin.stop() }
        var waiting = false
        for _ in 0..<500 where !waiting {
            waiting = try await admin.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO role_fence%'
                """).scalar == .int(1)
            if !waiting { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        #expect(waiting, "the claim waits on the old holder's row lock")
        #expect(step.value == 1, "and has not returned while the old holder's transaction is open")
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

    /// The transaction watcher writes through its role's store: a watcher that still believes it
    /// holds the role after another host claimed it records no state (the receipt is there).
    @Test func aWatcherWhoseRoleWasClaimedElsewhereRecordsNothing() async throws {
        let (name, first, second) = try await Self.twoHosts("fencewatch")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fencewatch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try Configuration(environment: [
            "SONIC_DATABASE_URL": TestDatabase.url(database: name), "SONIC_DB_PATH": folder + "/unused.sqlite", "SONIC_KNOWLEDGE_DIR": folder,
            "SONIC_CONTENT_DIR": folder + "/ipfs", "SONIC_RATE_LIMIT_PER_MINUTE": "0",
        ])
        let chain = FakeChain()
        let context = ChainContext(network: .devnet, deployments: nil, chain: chain, broadcaster: chain, feeTTL: 1)
        let app = App(configuration: configuration, client: RPCClient(endpoints: ["http://127.0.0.1:9"]), context: context, store: nil, postgres: first)
        let (sender, recipient) = (try Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), try Address("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"))
        let (held, settled) = (Hash32.keccak(Array("fenced watcher".utf8)), Hash32.keccak(Array("active watcher".utf8)))
        for hash in [held, settled] { try await first.track(TrackedTransaction(hash: hash, sender: sender, nonce: 0)) }
        #expect(await app.watcher.poll() == 0, "active now (its role claimed); nothing mined yet")

        chain.update { $0.receipts[settled] = FakeChain.receipt(settled, from: sender, to: recipient, block: 7) }
        #expect(await app.watcher.poll() == 1, "while the role is its own, it records")
        _ = try await second.claim(ActiveRole.Role.transactionWatcher.rawValue)
        chain.update { $0.receipts[held] = FakeChain.receipt(held, from: sender, to: recipient, block: 8) }
        #expect(await app.watcher.poll() == 0)
        #expect(try await first.trackedTransaction(held)?.state == .pending, "nothing recorded once another host claimed the role")
        #expect(try await first.trackedTransaction(settled)?.state == .confirmed)

        app.stop()
        second.close()
        try await PostgresSchemaTests.drop(name)
    }

    /// The indexer writes through its role's store: once another sonic-sync claimed the role, a
    /// batch of the one that still believes it holds it is refused.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"] != nil, "needs SONIC_TEST_RPC_URL: scripts/run-tests.sh swift starts the devnet"))
    func anIndexerWhoseRoleWasClaimedElsewhereWritesNoBatch() async throws {
        let (name, first, second) = try await Self.twoHosts("fenceindex")
        first.close()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fenceindex-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try Configuration(environment: [
            "SONIC_DATABASE_URL": TestDatabase.url(database: name), "SONIC_DB_PATH": folder + "/unused.sqlite",
            "SONIC_RPC_URLS": ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!, "SONIC_DEPLOYMENTS_DIR": folder, "SONIC_INDEX_ALL": "1",
        ])
        let sync = try SyncProcess(configuration: configuration, logger: Logger(label: "test"))
        _ = try sync.step()
        let before = try await second.indexerState(chainID: 31337)
        _ = try await second.claim(ActiveRole.Role.indexer.rawValue)
        // A new block, so the next batch has something to write.
        let rpc = RPCClient(endpoints: [ProcessInfo.processInfo.environment["SONIC_TEST_RPC_URL"]!])
        let _: String = try await rpc.call("evm_mine")
        do {
            _ = try sync.step()
            Issue.record("a batch was written after another sonic-sync claimed the indexer's role")
        } catch {
            #expect("\(error)".contains("no longer this process's"), "\(error)")
        }
        let after = try await second.indexerState(chainID: 31337)
        #expect(after?.indexed == before?.indexed && after?.updatedAt == before?.updatedAt, "the index did not move")
        sync.close()
        second.close()
        try await PostgresSchemaTests.drop(name)
    }
}
