/// A database failure, with the path so an operator knows which file.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case migrationFailed(path: String, reason: String)
    case unavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the database \(path): \(reason)"
        case .migrationFailed(let path, let reason): "cannot migrate the database \(path): \(reason)"
        case .unavailable(let path, let reason): "the database \(path) is unavailable: \(reason)"
        }
    }
}
