/// An RFC 9457 problem document: what went wrong, for people and for programs.
///
/// `field` names the offending input when there is one. See https://www.rfc-editor.org/rfc/rfc9457
public struct Problem: Error, Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var field: String?
    /// Seconds for a Retry-After header (429, 503); not part of the document.
    public var retryAfter: Int?

    enum CodingKeys: String, CodingKey { case type, title, status, detail, field }

    public init(type: String = "about:blank", status: Int, title: String, detail: String, field: String? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.field = field
    }

    public static func notFound(path: String) -> Problem {
        Problem(type: "https://smartsonic.dev/problems/not-found", status: 404, title: "Not found",
                detail: "there is no API endpoint at \(path)")
    }

    public static func methodNotAllowed(method: String, path: String, allowed: [String]) -> Problem {
        Problem(type: "https://smartsonic.dev/problems/method-not-allowed", status: 405, title: "Method not allowed",
                detail: "\(path) accepts \(allowed.joined(separator: ", ")), not \(method)")
    }
}
