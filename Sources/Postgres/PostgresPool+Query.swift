/// Statements on any free connection of the pool.
extension PostgresPool {
    /// The most parameters one statement may have (PostgreSQL's own limit).
    public static let maxParameters = 65_535
    /// The longest statement text accepted, in bytes.
    public static let maxStatementBytes = 1 << 20

    /// Runs one statement with `parameters` (`$1`, `$2`…) and returns its rows. Prepared once per
    /// connection and reused, so a repeated statement is parsed and planned once.
    /// - Throws: `.query` with the server's SQLSTATE; `.overloaded`, `.timeout`, `.cancelled`,
    ///   `.connection`; `.badInput` for a value that cannot be sent, naming its parameter.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> PostgresResult {
        let encoded = try Self.encode(sql, parameters)
        return try await perform(sql, encoded, simple: false)
    }

    /// Runs `script`, one or more statements separated by semicolons, without parameters
    /// (PostgreSQL's simple protocol): migrations, say. Returns the last statement's rows.
    @discardableResult
    public func execute(script: String) async throws(PostgresError) -> PostgresResult {
        _ = try Self.encode(script, [])
        return try await perform(script, [], simple: true)
    }

    static func encode(_ sql: String, _ parameters: [PostgresValue]) throws(PostgresError) -> [PostgresValue.Parameter] {
        guard sql.utf8.count <= maxStatementBytes else {
            throw PostgresError(.badInput, "statement is \(sql.utf8.count) bytes; at most \(maxStatementBytes) are accepted")
        }
        guard !sql.utf8.contains(0) else { throw PostgresError(.badInput, "statement holds a NUL character") }
        guard parameters.count <= maxParameters else {
            throw PostgresError(.badInput, "statement has \(parameters.count) parameters; at most \(maxParameters) are accepted")
        }
        var encoded: [PostgresValue.Parameter] = []
        encoded.reserveCapacity(parameters.count)
        for (index, value) in parameters.enumerated() { encoded.append(try value.parameter(index: index + 1)) }
        return encoded
    }

    private func perform(_ sql: String, _ parameters: [PostgresValue.Parameter], simple: Bool)
        async throws(PostgresError) -> PostgresResult
    {
        let reply = PostgresReply<PostgresResult>()
        let request = PostgresRequest(expires: PostgresRequest.expiry(within: queryTimeout)) { reply.finish(.failure($0)) }
        request.whenGranted = { [unowned self] connection in
            run(sql, parameters, simple: simple, on: connection, for: request) { outcome in
                self.done(request)
                reply.finish(outcome)
            }
        }
        let answer = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                reply.wait(continuation)
                submit(request)
            }
        } onCancel: {
            loop.execute { [self] in abandon(request, because: PostgresError(.cancelled, "the caller's task was cancelled")) }
        }
        return try answer.get()
    }

    /// Runs one statement on `connection`, held by `request` (loop thread). A statement that
    /// fails because its request was given up reports why (`.timeout`, `.cancelled`).
    func run(_ sql: String, _ parameters: [PostgresValue.Parameter], simple: Bool, on connection: PostgresConnection,
             for request: PostgresRequest, _ completion: @escaping (Result<PostgresResult, PostgresError>) -> Void) {
        if let abandoned = request.abandoned { return completion(.failure(abandoned)) }
        connection.run(PostgresOperation(sql: sql, parameters: parameters, simple: simple) { outcome in
            if case .failure = outcome, let abandoned = request.abandoned { return completion(.failure(abandoned)) }
            completion(outcome)
        })
    }
}
