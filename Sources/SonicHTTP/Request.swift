import HTTPTypes

/// An HTTP request as the handlers see it, whatever protocol carried it: swift-http-types'
/// method and header fields, the path and query apart, the client's address and the body.
public struct Request: Sendable {
    public var method: HTTPRequest.Method
    /// The path without the query string, e.g. `/api/health`.
    public var path: String
    /// The raw query string without `?`.
    public var query: String
    public var headers: HTTPFields
    public var remoteAddress: String
    public var body: [UInt8]

    public init(method: HTTPRequest.Method, path: String, query: String = "", headers: HTTPFields = [:],
                remoteAddress: String = "", body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.body = body
    }
}
