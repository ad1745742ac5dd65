/// A database failure, with the path so an operator knows which file, or the table and column
/// of a stored value that is not what the schema promises.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case migrationFailed(path: String, reason: String)
    case unavailable(path: String, reason: String)
    /// A row holds a value its column cannot hold (an unknown state, a malformed address, a NULL
    /// where one is required); `value` is the stored value as SQL, `expected` the type it should be.
    case corruptValue(table: String, column: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the database \(path): \(reason)"
        case .migrationFailed(let path, let reason): "cannot migrate the database \(path): \(reason)"
        case .unavailable(let path, let reason): "the database \(path) is unavailable: \(reason)"
        case .corruptValue(let table, let column, let value, let expected):
            "the database holds \(value) in \(table).\(column), which is not a valid \(expected)"
        }
    }
}
