import Foundation
import Postgres
import SonicStore
import Synchronization

/// On PostgreSQL, wakes this host's parked requests (long-polls on transactions, the live
/// dashboard's per-address feed) when any host commits a change, without polling the database:
/// it `LISTEN`s on the change logs' channels (`tracked_change`, `address_change`: the triggers
/// notify them at each commit) on one connection of its own, driven by the database pool's
/// event loop; its tasks run on the app's job threads and hold none of them while they wait.
///
/// A notification is a hint, not the news: what it leads to is one read of its change log
/// after the last entry read, the same read the polling threads make on SQLite
/// (`TransactionWatcher.wakeChanged`, `AddressFeed.wakeChanged`), which wakes the waiters of
/// each change with its committed state and forgets the cached reads of the addresses
/// concerned. A burst of notifications (the indexer writing a block) leads to one or two reads,
/// not one each. After a reconnect both logs are read from where this host last was, so what
/// was committed while the connection was away is not missed.
public final class ChangeListener: Sendable {
    /// The channels of the two change logs (`PostgresMigrations` v7 and v11).
    public static let trackedChannel = "tracked_change", addressChannel = "address_change"

    let store: PostgresStore
    let watcher: TransactionWatcher
    let feed: AddressFeed
    /// Where its two tasks run: the app's job threads.
    let executor: JobPoolExecutor
    private let running = Mutex<(listener: PostgresListener, tasks: [Task<Void, Never>])?>(nil)
    /// The logs to read at the next pass (set by the events, taken by the reader).
    private let due = Mutex(Due())
    private let kick: AsyncStream<Void>.Continuation
    private let kicks: AsyncStream<Void>
    /// Passes made over the logs (each reads one or both), for tests.
    private let passes = Atomic(0)

    struct Due {
        var tracked = false
        var addresses = false
        /// The first reads, which find where the logs end (nobody waits on older changes).
        var starting = false
    }

    /// - Parameter jobs: the threads its tasks run on (the app's `JobPool`; they wait for nothing there).
    public init(store: PostgresStore, watcher: TransactionWatcher, feed: AddressFeed, jobs: JobPool) {
        self.store = store
        self.watcher = watcher
        self.feed = feed
        executor = JobPoolExecutor(pool: jobs)
        // One pending kick is enough: a pass takes every log flagged until then.
        (kicks, kick) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Passes made over the change logs so far.
    public var passCount: Int { passes.load(ordering: .relaxed) }

    /// The server process of the listening connection, nil while it is away or before `start`
    /// (for tests: `pg_terminate_backend` of it is what a dropped connection looks like).
    public func backendPID() async -> Int32? {
        guard let listener = running.withLock({ $0?.listener }) else { return nil }
        let pid = await listener.backendPID()
        return pid == 0 ? nil : pid
    }

    /// Starts listening, and reading the logs as notifications come.
    public func start() {
        running.withLock { running in
            guard running == nil else { return }
            // The channel names are fixed and valid: `listen` cannot refuse them.
            guard let listener = try? store.listen(to: [Self.trackedChannel, Self.addressChannel]) else { return }
            let events = Task.detached(executorPreference: executor) { [self] in
                for await event in listener.events { note(event) }
            }
            let reader = Task.detached(executorPreference: executor) { [self] in
                var position = TransactionWatcher.ChangeFeed()
                for await _ in kicks { await pass(&position) }
            }
            running = (listener, [events, reader])
        }
    }

    /// Stops listening (its connection is closed) and reading.
    public func stop() {
        guard let (listener, tasks) = running.withLock({ running in defer { running = nil }; return running }) else { return }
        listener.stop()
        kick.finish()
        for task in tasks { task.cancel() }
    }

    private func note(_ event: PostgresListener.Event) {
        due.withLock { due in
            switch event {
            case .listening:
                // Listening now: the first reads find where the logs end (nobody waits on older changes).
                due.starting = true
                due.tracked = true
                due.addresses = true
            case .reconnected:
                due.tracked = true
                due.addresses = true
            case .notification(let channel, _):
                if channel == Self.trackedChannel { due.tracked = true } else { due.addresses = true }
            }
        }
        kick.yield()
    }

    /// Reads the logs flagged since the last pass and wakes their waiters.
    private func pass(_ position: inout TransactionWatcher.ChangeFeed) async {
        let now = due.withLock { due in defer { due = Due() }; return due }
        if now.tracked { await watcher.wakeChanged(&position) }
        if now.addresses { await feed.wakeChanged() }
        passes.add(1, ordering: .relaxed)
        // A first read that failed (the database away for a moment) left a log's end unknown: it
        // is read again shortly, before any notification could be taken for the first read.
        guard now.starting, position.last == nil || !feed.isPositioned else { return }
        due.withLock { due in
            due.starting = true
            due.tracked = true
            due.addresses = true
        }
        try? await Task.sleep(for: .milliseconds(100))
        kick.yield()
    }
}
