import Foundation
import Postgres
import Synchronization

/// One active process of a kind across the hosts sharing a PostgreSQL database (the transaction
/// watcher, the alert runner): it holds a session-level advisory lock of the role's own, on a
/// connection of its own. The others stand by: each time they ask `isActive()` (at most once
/// every `retryEvery` seconds) they try to take the lock, on a connection kept open between
/// tries, and take it once its holder is gone (stopped, or its connection died: the server
/// releases the lock then).
///
/// Asked by one thread of the role's own, before each pass. A pass that began while the lock was
/// held may still run after its connection dropped; its writes go through `store`, which the
/// database refuses once another process claimed the role (`role_fence`), so two never write at
/// once.
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
    /// The database for the role's work: each write checks first (in its transaction) that the
    /// role is still this process's, so a pass under way when the lock was lost writes nothing
    /// once another took over. Plain reads are not checked.
    public let store: PostgresStore
    private let database: PostgresStore
    private let fence: RoleFence
    let retryEvery: Double
    let onChange: @Sendable (Bool) -> Void
    /// The role's lock: held while this process is the active one; while it stands by, its
    /// connection stays open between tries.
    private let lock: PostgresAdvisoryLock
    private let state = Mutex(State())

    struct State {
        /// Whether this process was the active one when last asked (to tell when that ended).
        var active = false
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
        self.retryEvery = retryEvery
        self.onChange = onChange
        lock = held ?? store.advisoryLock(role.key)
        database = store
        fence = RoleFence(role: role.rawValue, lock: lock)
        self.store = store.fenced(by: fence)
    }

    /// Whether this process is the active one: it holds the lock, or took it now. A database
    /// that cannot be asked makes it stand by (the holder's lock went with the connection anyway).
    public func isActive(now: Date = Date()) async -> Bool {
        let holds = lock.isHeld
        let (held, due, lost): (Bool, Bool, Bool) = state.withLock { state in
            if state.stopped { return (false, false, false) }
            if holds, state.active { return (true, false, false) }
            var lost = false
            if state.active {
                state.active = false
                state.lastTry = .distantPast  // a lost lock is tried again at once (the server restarted, say)
                lost = true
            }
            // A lock taken before (sonic-sync's at start) is claimed at once.
            guard holds || now.timeIntervalSince(state.lastTry) >= retryEvery else { return (false, false, lost) }
            state.lastTry = now
            return (false, true, lost)
        }
        if lost { onChange(false) }
        if held { return true }
        guard due, (try? await lock.tryTake()) == true else { return false }
        // The role's number goes up before its first pass: from now on the old holder's writes fail.
        guard let holder = try? await database.claim(role.rawValue) else {
            lock.release()
            return false
        }
        fence.claimed(holder)
        let kept = state.withLock { state in
            guard !state.stopped else { return false }
            state.active = true
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
    public var holdsLock: Bool { lock.isHeld }

    /// The server process of the lock's connection while it is held (for tests and operators:
    /// `pg_terminate_backend` of it is what a holder's death looks like to the others).
    public var backendPID: Int32? { lock.isHeld ? lock.backendPID : nil }

    /// Gives the role up (a standby takes over at its next try) and stops asking; a standby's
    /// connection is closed.
    public func stop() {
        let wasActive = state.withLock { state in
            state.stopped = true
            defer { state.active = false }
            return state.active
        }
        lock.release()
        if wasActive { onChange(false) }
    }
}

/// A role's holder number as this process knows it (`role_fence.holder` when it claimed the
/// role), while the role's lock is held; what a role's store checks before each statement.
final class RoleFence: Sendable {
    let role: String
    private let lock: PostgresAdvisoryLock
    private let claimedHolder = Atomic<Int64>(0)

    init(role: String, lock: PostgresAdvisoryLock) {
        self.role = role
        self.lock = lock
    }

    /// The number this process claimed, nil before that or once the lock is seen lost.
    var holder: Int64? {
        let holder = claimedHolder.load(ordering: .acquiring)
        return holder > 0 && lock.isHeld ? holder : nil
    }

    func claimed(_ holder: Int64) { claimedHolder.store(holder, ordering: .releasing) }
}
