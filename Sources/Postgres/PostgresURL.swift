import Foundation

/// A `postgres://user:password@host:port/database?options` URL, as libpq reads it. Its password
/// is a secret: `description` and every error show the URL without it (`redacted`), and text
/// from the server or libpq passes through `scrub` before anyone sees it.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// What libpq is given (the URL as written).
    let text: String
    /// `scheme://user@host:port/database`: what logs and errors may say.
    public let redacted: String
    private let password: String?

    public static let maxLength = 2048

    /// - Throws: `.badInput` when `text` is longer than 2,048 characters, is not a
    ///   `postgres://` or `postgresql://` URL, or has no host or socket folder; the message never
    ///   repeats the password.
    public init(_ text: String) throws(PostgresError) {
        guard text.utf8.count <= Self.maxLength else {
            throw PostgresError(.badInput, "database URL is \(text.utf8.count) bytes; at most \(Self.maxLength) are accepted")
        }
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql"
        else {
            throw PostgresError(.badInput, "database URL is not a postgres:// URL (postgres://user[:password]@host[:port]/database)")
        }
        password = parts.password.flatMap { $0.isEmpty ? nil : $0 }
        var shown = "\(scheme)://"
        if let user = parts.user { shown += "\(user)@" }
        shown += parts.host ?? ""
        if let port = parts.port { shown += ":\(port)" }
        shown += parts.path
        redacted = shown
        self.text = text
    }

    public var description: String { redacted }

    /// `message` with the password, as written and percent-encoded, replaced by `<redacted>`.
    func scrub(_ message: String) -> String {
        guard let password else { return message }
        var text = message.replacingOccurrences(of: password, with: "<redacted>")
        if let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != password {
            text = text.replacingOccurrences(of: encoded, with: "<redacted>")
        }
        return text
    }
}
