import Synchronization

/// A PostgreSQL session-level advisory lock (`pg_try_advisory_lock`) on a connection of its own:
/// "exactly one of us across hosts" (one indexer, one watcher). The lock is the server's: it ends
/// when `release` closes the connection, or when the connection dies (the holder's host is gone,
/// or its backend was killed), and then another may take it. `isHeld` turns false as soon as this
/// side sees the connection drop.
///
/// A standby keeps one and calls `tryTake` again and again: its connection stays open between
/// tries (a new session per try would be a backend forked and ended each time, on every host),
/// and is opened again only after it dropped.
public final class PostgresAdvisoryLock: @unchecked Sendable {
    public let key: Int64
    private let pool: PostgresPool
    /// Touched on the loop's thread only (hence `@unchecked Sendable`): nil until the first try,
    /// and again once it dropped or was closed.
    private var connection: PostgresConnection?
    /// Loop thread only: raised by `release`, so a try under way then ends without the lock.
    private var generation = 0
    /// Loop thread only: a try is under way (tries run one at a time; another meanwhile is refused).
    private var trying = false
    private let held = Atomic(false)
    private let pid = Atomic<Int32>(0)

    init(key: Int64, pool: PostgresPool) {
        self.key = key
        self.pool = pool
    }

    /// Whether the lock is ours, as far as this side knows: true after a `tryTake` that took it,
    /// false after `release` or once its connection was seen to drop.
    public var isHeld: Bool { held.load(ordering: .acquiring) }

    /// The server process of the lock's connection (0 before one is open): `pg_terminate_backend`
    /// of it is what a holder's death looks like to the others.
    public var backendPID: Int32 { pid.load(ordering: .relaxed) }

    /// Tries to take the lock, on the connection kept from the last try when it is still open.
    /// One try at a time: a try while another is under way answers false.
    /// - Returns: true when it is ours now (or already was), false when another session holds it
    ///   (or `release` came during the try).
    /// - Throws: `.connection`, `.timeout` when the database cannot be asked (the connection is
    ///   closed then, and the next try opens another).
    public func tryTake() async throws(PostgresError) -> Bool {
        if isHeld { return true }
        let reply = PostgresReply<Bool>()
        let parameters = try PostgresPool.encode("", [.int(key)])
        let answer = await withCheckedContinuation { continuation in
            reply.wait(continuation)
            let accepted = pool.loop.execute { [self] in
                guard !trying else { return reply.finish(.success(false)) }
                trying = true
                let started = generation
                let finish = { [self] (outcome: Result<Bool, PostgresError>) in
                    trying = false
                    reply.finish(outcome)
                }
                withConnection { [self] opened in
                    guard case .success(let connection) = opened else { return finish(opened.map { _ in false }) }
                    // Released while it was opening: not ours to take any more.
                    guard generation == started else {
                        drop(connection)
                        return finish(.success(false))
                    }
                    pool.runDedicated("SELECT pg_try_advisory_lock($1)", parameters, simple: false, on: connection) { [self] outcome in
                        guard case .success(let result) = outcome else {
                            drop(connection)
                            return finish(outcome.map { _ in false })
                        }
                        guard generation == started else {
                            drop(connection)  // released meanwhile: a lock taken now goes with the connection
                            return finish(.success(false))
                        }
                        let taken = result.scalar == .bool(true)
                        if taken { held.store(true, ordering: .releasing) }
                        finish(.success(taken))
                    }
                }
            }
            if !accepted { reply.finish(.failure(PostgresPool.stopped)) }
        }
        return try answer.get()
    }

    /// Gives the lock up, or stops standing by: the connection is closed, so the server releases
    /// the lock at once. A later `tryTake` opens a new one.
    public func release() {
        held.store(false, ordering: .releasing)
        pool.loop.execute { [self] in
            generation += 1
            if let connection { drop(connection) }
        }
    }

    /// The open connection, or a new one (loop thread).
    private func withConnection(_ body: @escaping (Result<PostgresConnection, PostgresError>) -> Void) {
        if let connection, connection.phase == .idle { return body(.success(connection)) }
        if let connection { drop(connection) }
        pool.openDedicated { [self] opened in
            if case .success(let connection) = opened {
                self.connection = connection
                pid.store(connection.backendPID, ordering: .relaxed)
                connection.onBroken = { [weak self, weak connection] _ in
                    guard let self, let connection else { return }
                    held.store(false, ordering: .releasing)
                    if self.connection === connection { self.connection = nil }
                    pool.closeDedicated(connection)
                }
            }
            body(opened)
        }
    }

    /// Closes `connection` and forgets it (loop thread); the lock, if it was held, goes with it.
    private func drop(_ connection: PostgresConnection) {
        if self.connection === connection { self.connection = nil }
        held.store(false, ordering: .releasing)
        pool.closeDedicated(connection)
    }
}

extension PostgresPool {
    /// An advisory lock on `key`, not taken yet: `tryTake` it.
    public func advisoryLock(_ key: Int64) -> PostgresAdvisoryLock {
        PostgresAdvisoryLock(key: key, pool: self)
    }

    /// Takes the advisory lock `key` on a connection of its own if no other session holds it
    /// (a new session: a standby that tries again and again keeps an `advisoryLock` instead).
    /// - Returns: the held lock, or nil when another session holds it.
    /// - Throws: `.connection`, `.timeout` when the database cannot be asked.
    public func tryAdvisoryLock(_ key: Int64) async throws(PostgresError) -> PostgresAdvisoryLock? {
        let lock = advisoryLock(key)
        if try await lock.tryTake() { return lock }
        lock.release()
        return nil
    }
}
