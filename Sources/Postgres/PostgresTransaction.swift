/// A transaction on one connection of the pool, held from `BEGIN` to `COMMIT` or `ROLLBACK`
/// (`PostgresPool.transaction`). Its statements run in order on that connection.
public final class PostgresTransaction: @unchecked Sendable {
    private let pool: PostgresPool
    /// Touched on the loop's thread only.
    private let connection: PostgresConnection
    private let request: PostgresRequest

    init(pool: PostgresPool, connection: PostgresConnection, request: PostgresRequest) {
        self.pool = pool
        self.connection = connection
        self.request = request
    }

    /// Runs one statement inside the transaction.
    /// - Throws: as `PostgresPool.query`; after an error the transaction is rolled back when the
    ///   closure returns, whatever it does.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> PostgresResult {
        let encoded = try PostgresPool.encode(sql, parameters)
        return try await run(sql, encoded, simple: false)
    }

    /// Runs `script` (statements separated by semicolons, no parameters) inside the transaction.
    @discardableResult
    public func execute(script: String) async throws(PostgresError) -> PostgresResult {
        _ = try PostgresPool.encode(script, [])
        return try await run(script, [], simple: true)
    }

    /// The server process of its connection (`pg_backend_pid()`).
    public func backendPID() async -> Int32 {
        await withCheckedContinuation { continuation in
            let accepted = pool.loop.execute { [self] in continuation.resume(returning: connection.backendPID) }
            if !accepted { continuation.resume(returning: 0) }
        }
    }

    @discardableResult
    func run(_ sql: String, _ parameters: [PostgresValue.Parameter], simple: Bool) async throws(PostgresError) -> PostgresResult {
        let reply = PostgresReply<PostgresResult>()
        let answer = await withCheckedContinuation { continuation in
            reply.wait(continuation)
            let accepted = pool.loop.execute { [self] in
                pool.run(sql, parameters, simple: simple, on: connection, for: request) { reply.finish($0) }
            }
            if !accepted { reply.finish(.failure(PostgresPool.stopped)) }
        }
        return try answer.get()
    }

    /// Hands the connection back to the pool, or closes it when its state is unknown.
    func end(discarding: Bool = false) {
        pool.loop.execute { [self] in
            request.discard = discarding
            pool.done(request)
        }
    }
}

extension PostgresPool {
    /// Runs `body` inside `BEGIN` … `COMMIT` on one connection, and returns what it returned.
    /// When `body` throws, or `COMMIT` fails, the transaction is rolled back and the error
    /// rethrown. The whole transaction, waiting for a connection included, is bounded by
    /// `timeout` (by default `queryTimeout`) and the task's `Deadline`.
    public func transaction<Value>(timeout: Double? = nil, _ body: (PostgresTransaction) async throws -> Value) async throws -> Value {
        let transaction = try await lease(timeout: timeout ?? queryTimeout)
        do {
            try await transaction.run("BEGIN", [], simple: true)
            let value = try await body(transaction)
            try await transaction.run("COMMIT", [], simple: true)
            transaction.end()
            return value
        } catch {
            let rolledBack = (try? await transaction.run("ROLLBACK", [], simple: true)) != nil
            transaction.end(discarding: !rolledBack)
            throw error
        }
    }

    private func lease(timeout: Double) async throws(PostgresError) -> PostgresTransaction {
        let reply = PostgresReply<PostgresTransaction>()
        let request = PostgresRequest(expires: PostgresRequest.expiry(within: timeout)) { reply.finish(.failure($0)) }
        request.whenGranted = { [unowned self] connection in
            reply.finish(.success(PostgresTransaction(pool: self, connection: connection, request: request)))
        }
        let answer = await withCheckedContinuation { continuation in
            reply.wait(continuation)
            submit(request)
        }
        return try answer.get()
    }
}
