import Foundation

/// An HTTP response as the handlers produce it.
public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Writes a long body piece by piece instead of `body` (a CSV export): the server sends
    /// each piece as it comes, without a Content-Length.
    public var stream: Streamer?

    public typealias Streamer = @Sendable (_ emit: ([UInt8]) -> Void) -> Void

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], stream: Streamer? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    /// The whole body: `body`, or everything `stream` writes.
    public func collectedBody() -> [UInt8] {
        guard let stream else { return body }
        let collected = Collector()
        stream { collected.bytes += $0 }
        return collected.bytes
    }

    private final class Collector: @unchecked Sendable { var bytes: [UInt8] = [] }

    /// A JSON response of an `Encodable` value; its coding keys are the API's names
    /// (snake_case, except inside `tx`, which has eth_sendTransaction's own names).
    public static func json<Value: Encodable>(_ value: Value, status: Int = 200) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let body = try encoder.encode(value)
            return Response(status: status, headers: [("Content-Type", "application/json")], body: Array(body))
        } catch {
            return .problem(Problem(status: 500, title: "Internal error", detail: "the response could not be encoded"))
        }
    }

    /// An RFC 9457 problem document, with `Retry-After` when the problem says when to try again.
    public static func problem(_ problem: Problem, headers: [(name: String, value: String)] = []) -> Response {
        var response = json(problem, status: problem.status)
        response.headers = [("Content-Type", "application/problem+json")] + headers
        if let wait = problem.retryAfter { response.headers.append(("Retry-After", String(wait))) }
        return response
    }

    /// The value of the first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// HTTP's reason phrase for the status, for the `Status` line FastCGI sends.
    public var reasonPhrase: String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
