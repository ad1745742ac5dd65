/// An HTTP request as the handlers see it, whatever protocol carried it.
public struct Request: Sendable {
    public var method: String
    /// The path without the query string, e.g. `/api/health`.
    public var path: String
    /// The raw query string without `?`.
    public var query: String
    /// Header names in lower case.
    public var headers: [String: String]
    public var remoteAddress: String
    public var body: [UInt8]

    public init(method: String, path: String, query: String = "", headers: [String: String] = [:],
                remoteAddress: String = "", body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.body = body
    }
}
