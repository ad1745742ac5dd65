import GRDB

/// The columns a record type reads from its table, declared once: the case order is the order
/// they are selected in (rows are read by position, which is faster than by name), and each
/// case's name in snake case is the column's name.
protocol TableColumns: RawRepresentable<Int>, CaseIterable {
    /// The table, named in errors.
    static var table: String { get }
}

extension TableColumns {
    /// The column's name: the case's name in snake case (`txIndex` is `tx_index`).
    var name: String {
        var name = ""
        for character in "\(self)" {
            if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
        }
        return name
    }

    /// The columns in order, for a `SELECT` (prefixed with a table alias when given).
    static func selection(from alias: String? = nil) -> String {
        allCases.map { column in alias.map { "\($0).\(column.name)" } ?? column.name }.joined(separator: ", ")
    }

    static var count: Int { allCases.count }
}

/// A row a record is read from, by position: SQLite's (GRDB's `Row`) or PostgreSQL's
/// (`PostgresStoredRow`), so each record type decodes the same way from either engine.
protocol StoredRow {
    /// The value at `index` as SQLite would hold it (NULL, integer, real, text or blob).
    func storedValue(at index: Int) -> DatabaseValue
}

extension Row: StoredRow {
    func storedValue(at index: Int) -> DatabaseValue { self[index] }
}

extension StoredRow {
    /// The value of `column`, selected in `Columns` order or at `position`.
    /// - Throws: `StoreError.corruptValue` when it is NULL or does not convert.
    func value<Value: DatabaseValueConvertible, Columns: TableColumns>(_ column: Columns, at position: Int? = nil) throws(StoreError) -> Value {
        let stored = storedValue(at: position ?? column.rawValue)
        guard let value = Value.fromDatabaseValue(stored) else { throw Self.corrupt(column, stored, Value.self) }
        return value
    }

    /// The value of `column`, nil when it is NULL.
    /// - Throws: `StoreError.corruptValue` when it is not NULL and does not convert.
    func optional<Value: DatabaseValueConvertible, Columns: TableColumns>(_ column: Columns, at position: Int? = nil) throws(StoreError) -> Value? {
        let stored = storedValue(at: position ?? column.rawValue)
        if stored.isNull { return nil }
        guard let value = Value.fromDatabaseValue(stored) else { throw Self.corrupt(column, stored, Value.self) }
        return value
    }

    private static func corrupt<Columns: TableColumns>(_ column: Columns, _ stored: DatabaseValue, _ type: Any.Type) -> StoreError {
        .corruptValue(table: Columns.table, column: column.name, value: String(stored.description.prefix(80)), expected: "\(type)")
    }
}
