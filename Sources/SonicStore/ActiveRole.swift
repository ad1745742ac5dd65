import Foundation
import Postgres
import Synchronization

/// One active process of a kind across the hosts sharing a PostgreSQL database (the transaction
/// watcher, the alert runner): it holds a session-level advisory lock of the role's own, on a
/// connection of its own. The others stand by: each time they ask `isActive()` (at most once
/// every `retryEvery` seconds) they try to take the lock, and take it once its holder is gone
/// (stopped, or its connection died: the server releases the lock then).
///
/// Asked by one thread of the role's own, before each pass: a pass that began while the lock
/// was held may still finish after its connection dropped, so for the length of one pass two
/// processes may act at once (the watcher would record the same final state twice).
/// A holder that loses its connection (the server restarted) tries to take the lock again at
/// once: after a restart whoever asks first is the active one.
public final class ActiveRole: Sendable {
    /// The roles and their lock keys.
    public enum Role: String, Sendable, CaseIterable {
        case indexer
        case transactionWatcher = "transaction watcher"
        case alerts = "alert runner"

        public var key: Int64 {
            switch self {
            case .indexer: 0x536F_6E69_6353_796E  // "SonicSyn"
            case .transactionWatcher: 0x536F_6E69_6357_6174  // "SonicWat"
            case .alerts: 0x536F_6E69_6341_6C65  // "SonicAle"
            }
        }
    }

    public let role: Role
    let store: PostgresStore
    let retryEvery: Double
    let onChange: @Sendable (Bool) -> Void
    private let state = Mutex(State())

    struct State {
        var lock: PostgresAdvisoryLock?
        var lastTry = Date.distantPast
        var stopped = false
    }

    /// - Parameters:
    ///   - retryEvery: seconds between tries to take the lock while standing by.
    ///   - onChange: told true when this process becomes the active one, false when it stops being it.
    ///   - held: the role's lock when this process took it already (sonic-sync waits for it at start).
    public init(_ role: Role, store: PostgresStore, held: PostgresAdvisoryLock? = nil, retryEvery: Double = 1,
                onChange: @escaping @Sendable (Bool) -> Void = { _ in }) {
        self.role = role
        self.store = store
        self.retryEvery = retryEvery
        self.onChange = onChange
        state.withLock { $0.lock = held }
    }

    /// Whether this process is the active one: it holds the lock, or took it now. A database
    /// that cannot be asked makes it stand by (the holder's lock went with the connection anyway).
    public func isActive(now: Date = Date()) async -> Bool {
        let (held, due, lost): (Bool, Bool, Bool) = state.withLock { state in
            if let lock = state.lock {
                if lock.isHeld, !state.stopped { return (true, false, false) }
                state.lock = nil
                state.lastTry = .distantPast  // a lost lock is tried again at once (the server restarted, say)
                return (false, !state.stopped, true)
            }
            guard !state.stopped, now.timeIntervalSince(state.lastTry) >= retryEvery else { return (false, false, false) }
            state.lastTry = now
            return (false, true, false)
        }
        if lost { onChange(false) }
        if held { return true }
        guard due, let lock = try? await store.tryLock(role.key) else { return false }
        let kept = state.withLock { state in
            guard !state.stopped else { return false }
            state.lock = lock
            return true
        }
        guard kept else {
            lock.release()
            return false
        }
        onChange(true)
        return true
    }

    /// Whether this process holds the role's lock now, as far as it knows (without asking the database).
    public var holdsLock: Bool { state.withLock { $0.lock?.isHeld ?? false } }

    /// The server process of the lock's connection while it is held (for tests and operators:
    /// `pg_terminate_backend` of it is what a holder's death looks like to the others).
    public var backendPID: Int32? { state.withLock { state in state.lock.flatMap { $0.isHeld ? $0.backendPID : nil } } }

    /// Gives the role up (a standby takes over at its next try) and stops asking.
    public func stop() {
        let lock = state.withLock { state in
            state.stopped = true
            defer { state.lock = nil }
            return state.lock
        }
        guard let lock else { return }
        lock.release()
        onChange(false)
    }
}
