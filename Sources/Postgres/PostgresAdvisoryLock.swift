import Synchronization

/// A PostgreSQL session-level advisory lock (`pg_try_advisory_lock`), held on a connection of its
/// own for as long as this lives: "exactly one of us across hosts" (one indexer, one watcher).
/// The lock is the server's: it ends when `release` closes the connection, or when the
/// connection dies (the holder's host is gone, or its backend was killed), and then another may
/// take it. `isHeld` turns false as soon as this side sees the connection drop.
public final class PostgresAdvisoryLock: Sendable {
    public let key: Int64
    private let pool: PostgresPool
    /// Touched on the loop's thread only.
    private let connection: PostgresConnection
    private let held = Atomic(true)
    public let backendPID: Int32

    init(key: Int64, pool: PostgresPool, connection: PostgresConnection) {
        self.key = key
        self.pool = pool
        self.connection = connection
        backendPID = connection.backendPID
        connection.onBroken = { [weak self] _ in self?.held.store(false, ordering: .releasing) }
    }

    /// Whether the lock is still ours, as far as this side knows: false after `release` or once
    /// the connection was seen to drop.
    public var isHeld: Bool { held.load(ordering: .acquiring) }

    /// Gives the lock up (its connection is closed, so the server releases it at once).
    public func release() {
        held.store(false, ordering: .releasing)
        pool.loop.execute { [pool, connection] in pool.closeDedicated(connection) }
    }
}

extension PostgresPool {
    /// Takes the advisory lock `key` on a connection of its own if no other session holds it.
    /// - Returns: the held lock, or nil when another session holds it.
    /// - Throws: `.connection`, `.timeout` when the database cannot be asked.
    public func tryAdvisoryLock(_ key: Int64) async throws(PostgresError) -> PostgresAdvisoryLock? {
        let reply = PostgresReply<PostgresAdvisoryLock?>()
        let parameters = try Self.encode("", [.int(key)])
        let answer = await withCheckedContinuation { continuation in
            reply.wait(continuation)
            let accepted = loop.execute { [self] in
                openDedicated { [self] opened in
                    guard case .success(let connection) = opened else { return reply.finish(opened.map { _ in nil }) }
                    runDedicated("SELECT pg_try_advisory_lock($1)", parameters, simple: false, on: connection) { [self] outcome in
                        guard case .success(let result) = outcome, result.scalar == .bool(true) else {
                            closeDedicated(connection)
                            return reply.finish(outcome.map { _ in nil })
                        }
                        reply.finish(.success(PostgresAdvisoryLock(key: key, pool: self, connection: connection)))
                    }
                }
            }
            if !accepted { reply.finish(.failure(Self.stopped)) }
        }
        return try answer.get()
    }
}
