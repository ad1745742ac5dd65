import CLibPQ

/// One statement on its way through a connection: its SQL and parameters, what came back so
/// far, and who waits for it. Touched on the loop's thread only.
final class PostgresOperation {
    let sql: String
    let parameters: [PostgresValue.Parameter]
    /// Sent with the simple protocol (`PQsendQuery`): several statements, no parameters.
    let simple: Bool
    /// The name of the statement being prepared, before it is executed.
    var preparing: String?
    private(set) var result: PostgresResult?
    private(set) var error: PostgresError?
    private var completion: ((Result<PostgresResult, PostgresError>) -> Void)?

    init(sql: String, parameters: [PostgresValue.Parameter], simple: Bool,
         completion: @escaping (Result<PostgresResult, PostgresError>) -> Void) {
        self.sql = sql
        self.parameters = parameters
        self.simple = simple
        self.completion = completion
    }

    /// Calls the completion once, with `result`; later calls do nothing.
    func finish(_ outcome: Result<PostgresResult, PostgresError>) {
        let completion = self.completion
        self.completion = nil
        completion?(outcome)
    }

    /// Finishes with what the statement's results said: its first error, or its last rows.
    func complete() {
        if let error { return finish(.failure(error)) }
        finish(.success(result ?? PostgresResult(columns: [], rows: [], affectedRows: 0)))
    }

    func prepare(on connection: OpaquePointer, as name: String) -> Int32 {
        let types = parameters.map { $0.type }
        return PQsendPrepare(connection, name, sql, Int32(parameters.count), types)
    }

    /// Sends the statement with its parameters: the prepared one named `prepared`, or unnamed.
    func send(to connection: OpaquePointer, prepared: String?) -> Int32 {
        let lengths = parameters.map { Int32($0.bytes?.count ?? 0) }
        let formats = parameters.map { Int32($0.binary ? 1 : 0) }
        let types = parameters.map { $0.type }
        // libpq copies the values into its output buffer during the call. Text values are read
        // up to their NUL (their lengths are ignored), binary ones by their lengths.
        let buffers: [UnsafeMutablePointer<CChar>?] = parameters.map { parameter in
            guard let bytes = parameter.bytes else { return nil }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count) }
            }
            buffer[bytes.count] = 0
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let values = buffers.map { UnsafePointer($0) }
        if let prepared {
            return PQsendQueryPrepared(connection, prepared, Int32(parameters.count), values, lengths, formats, 0)
        }
        return PQsendQueryParams(connection, sql, Int32(parameters.count), types, values, lengths, formats, 0)
    }

    /// Takes one `PGresult` of the statement: rows, a command's count, or an error.
    func take(_ result: OpaquePointer, url: PostgresURL) {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            guard preparing == nil, error == nil else { return }
            do { self.result = try Self.rows(of: result) } catch { self.error = error }
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            guard error == nil else { return }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let detail = PQresultErrorField(result, Int32(UInt8(ascii: "D"))).map { String(cString: $0) }
            let message = [primary ?? String(cString: PQresultErrorMessage(result)), detail].compactMap { $0 }.joined(separator: ": ")
            error = PostgresError(.query, sqlState: state, url.scrub(message))
        default:
            if error == nil { error = PostgresError(.unexpectedResult, "a result of a kind this client does not read (COPY?)") }
        }
    }

    private static func rows(of result: OpaquePointer) throws(PostgresError) -> PostgresResult {
        let fields = Int(PQnfields(result))
        let columns = (0..<fields).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<fields).map { UInt32(PQftype(result, Int32($0))) }
        var rows: [PostgresRow] = []
        let count = Int(PQntuples(result))
        rows.reserveCapacity(count)
        for row in 0..<count {
            var values: [PostgresValue] = []
            values.reserveCapacity(fields)
            for field in 0..<fields {
                if PQgetisnull(result, Int32(row), Int32(field)) == 1 {
                    values.append(.null)
                    continue
                }
                let length = Int(PQgetlength(result, Int32(row), Int32(field)))
                let bytes = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(field))!).assumingMemoryBound(to: UInt8.self)
                values.append(try PostgresValue.decode(UnsafeBufferPointer(start: bytes, count: length), type: types[field]))
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresResult(columns: columns, rows: rows, affectedRows: affected)
    }
}
