/// What went wrong talking to PostgreSQL. The message never holds the URL's password: text from
/// the server or libpq is scrubbed of it (`PostgresURL.scrub`) before it is kept.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The server could not be reached, refused us, or dropped the connection.
        case connection
        /// The server refused a statement: `sqlState` says why.
        case query
        /// Every connection was busy and the queue was full: shed at once.
        case overloaded
        /// The call's time (its timeout or the task's `Deadline`) ran out.
        case timeout
        /// The caller's task was cancelled, or the pool was stopped.
        case cancelled
        /// A value that cannot be sent or a URL that cannot be used; nothing was sent.
        case badInput
        /// A result that does not have the shape the caller asked for.
        case unexpectedResult
    }

    public let kind: Kind
    /// The five-character SQLSTATE of a server error (`23505` a unique violation, `42601` a syntax error).
    public let sqlState: String?
    public let message: String

    public init(_ kind: Kind, sqlState: String? = nil, _ message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        "PostgreSQL \(kind.rawValue) error" + (sqlState.map { " \($0)" } ?? "") + ": " + message
    }

    public static let uniqueViolation = "23505"
    public static let syntaxError = "42601"
    public static let undefinedTable = "42P01"

    public var isUniqueViolation: Bool { sqlState == Self.uniqueViolation }
}
