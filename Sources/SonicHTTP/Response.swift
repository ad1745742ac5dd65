import Foundation
import HTTPTypes

/// An HTTP response as the handlers produce it: swift-http-types' status and header fields,
/// and the body as bytes or written piece by piece.
public struct Response: Sendable {
    public var status: HTTPResponse.Status
    public var headers: HTTPFields
    public var body: [UInt8]
    /// Writes a long body piece by piece instead of `body` (a CSV export): the server sends
    /// each piece as it comes, without a Content-Length.
    public var stream: Streamer?

    public typealias Streamer = @Sendable (_ emit: ([UInt8]) -> Void) -> Void

    public init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: [UInt8] = [], stream: Streamer? = nil) {
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
    /// The same response, never kept by a browser or a proxy (`Cache-Control: no-store`): what
    /// one person's data or a moment's state answers.
    public func notStored() -> Response {
        var response = self
        response.headers[.cacheControl] = "no-store"
        return response
    }

    public static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Response(status: status, headers: [.contentType: "application/json"], body: Array(try encoder.encode(value)))
        } catch {
            return .problem(Problem(status: 500, title: "Internal error", detail: "the response could not be encoded"))
        }
    }

    /// An RFC 9457 problem document, with `Retry-After` when the problem says when to try again.
    public static func problem(_ problem: Problem, headers: HTTPFields = [:]) -> Response {
        var response = json(problem, status: HTTPResponse.Status(code: problem.status))
        response.headers[.contentType] = "application/problem+json"
        response.headers.append(contentsOf: headers)
        if let wait = problem.retryAfter { response.headers[.retryAfter] = String(wait) }
        return response
    }

    /// HTTP's reason phrase for the status, for the `Status` line FastCGI sends.
    public var reasonPhrase: String {
        switch status.code {
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
        default: "Status \(status.code)"
        }
    }
}

extension HTTPField.Name {
    /// The double-submit token a signed-in page sends with every write.
    public static let csrfToken = HTTPField.Name("X-CSRF-Token")!
}
