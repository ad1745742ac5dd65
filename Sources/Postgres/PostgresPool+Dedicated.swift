import Dispatch

/// Connections held for one purpose, outside the pool's bound: a listener's, a lock's.
extension PostgresPool {
    /// Opens a connection of its own (loop thread); `completion` gets it once ready, or the error.
    /// It is closed by `stop`, or by `closeDedicated`.
    func openDedicated(_ completion: @escaping (Result<PostgresConnection, PostgresError>) -> Void) {
        let connection = PostgresConnection(loop: loop, url: url)
        dedicated[ObjectIdentifier(connection)] = connection
        let timer = loop.schedule(at: DispatchTime.now().uptimeNanoseconds + UInt64(connectTimeout * 1e9)) { [weak connection] in
            connection?.close(because: connection?.connectTimedOut)
        }
        connection.connect { [self] error in
            loop.cancelTimer(timer)
            if let error {
                dedicated[ObjectIdentifier(connection)] = nil
                return completion(.failure(error))
            }
            completion(.success(connection))
        }
    }

    /// Closes a dedicated connection (loop thread).
    func closeDedicated(_ connection: PostgresConnection) {
        dedicated[ObjectIdentifier(connection)] = nil
        connection.close()
    }

    /// Runs one statement on a dedicated connection (loop thread), bounded by `queryTimeout`:
    /// past it the connection is closed and the statement fails with `.timeout`.
    func runDedicated(_ sql: String, _ parameters: [PostgresValue.Parameter], simple: Bool, on connection: PostgresConnection,
                      _ completion: @escaping (Result<PostgresResult, PostgresError>) -> Void) {
        var timedOut = false
        let timer = loop.schedule(at: PostgresRequest.expiry(within: queryTimeout)) { [weak connection] in
            timedOut = true
            connection?.close()
        }
        connection.run(PostgresOperation(sql: sql, parameters: parameters, simple: simple) { [self] outcome in
            loop.cancelTimer(timer)
            completion(timedOut ? .failure(PostgresRequest.timedOut("the database answered")) : outcome)
        })
    }
}
