/// The rows a statement returned (none for a command), with the column names, and how many rows
/// a command touched.
public struct PostgresResult: Sendable {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// `INSERT`/`UPDATE`/`DELETE`: the rows affected (`PQcmdTuples`); 0 otherwise.
    public let affectedRows: Int

    public init(columns: [String], rows: [PostgresRow], affectedRows: Int) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
    }

    /// The first row's first value, or `.null` when there is no row: `SELECT count(*) …`.
    public var scalar: PostgresValue { rows.first?.values.first ?? .null }
}

/// One row: its values in the order of the result's columns.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let values: [PostgresValue]

    public subscript(index: Int) -> PostgresValue { values[index] }

    /// The value of the column named `name`.
    /// - Throws: `.unexpectedResult` naming the column when the result has none of that name.
    public func value(_ name: String) throws(PostgresError) -> PostgresValue {
        guard let index = columns.firstIndex(of: name) else {
            throw PostgresError(.unexpectedResult, "no column \"\(name)\" in the result (columns: \(columns.joined(separator: ", ")))")
        }
        return values[index]
    }
}
