import Ethereum
import Foundation
import Postgres
import SonicStore
import TestSupport
import Testing

/// On PostgreSQL the change logs are numbered in commit order, as SQLite's are: a change written
/// while another transaction holds an earlier, uncommitted one waits for it, so a reader that
/// moves its cursor past what it read never skips a change committed later with a lower number.
@Suite(.serialized, .onQueueExecutor, .enabled(if: TestDatabase.isAvailable, TestDatabase.skipMessage))
struct ChangeLogOrderTests {
    @Test func aLaterWriterWaitsForTheEarlierOnesCommit() async throws {
        let (name, admin) = try await PostgresSchemaTests.freshDatabase("order")
        admin.stop()
        let store = try await PostgresStore.open(url: TestDatabase.url(database: name), threadName: "pg-order")
        let writers = try PostgresPool(url: TestDatabase.url(database: name), maxConnections: 2, threadName: "pg-writers")
        defer { writers.stop(); store.close() }
        let (first, second) = (Hash32.keccak([1]), Hash32.keccak([2]))
        for hash in [first, second] { try await store.track(TrackedTransaction(hash: hash, sender: RepositoryContractTests.alice, nonce: 0)) }
        let cursor = try await store.lastTrackedChange()

        // The indexer's long transaction settles `first` and stays open…
        let release = AsyncStream<Void>.makeStream()
        let slow = Task(executorPreference: QueueExecutor.shared) {
            try await writers.transaction { db in
                _ = try await db.query("UPDATE tracked_transaction SET state = 'confirmed' WHERE hash = $1", [.text(first.description)])
                for await _ in release.stream { break }
            }
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        // …while the watcher settles `second`: it waits for the lock instead of taking a number.
        let quick = Task(executorPreference: QueueExecutor.shared) {
            try await writers.query("UPDATE tracked_transaction SET state = 'failed' WHERE hash = $1", [.text(second.description)])
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        let meanwhile = try await store.trackedChanges(after: cursor)
        #expect(meanwhile.changes.isEmpty, "nothing committed yet, so nothing to read (nor to skip)")

        release.continuation.yield()
        release.continuation.finish()
        try await slow.value
        _ = try await quick.value
        let read = try await store.trackedChanges(after: cursor)
        #expect(read.changes.map(\.hash) == [first, second], "in commit order, each once")
        try await PostgresSchemaTests.drop(name)
    }
}
