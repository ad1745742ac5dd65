import Foundation

/// An HTTP response as the handlers produce it.
public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

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

    /// An RFC 9457 problem document.
    public static func problem(_ problem: Problem, headers: [(name: String, value: String)] = []) -> Response {
        var response = json(problem, status: problem.status)
        response.headers = [("Content-Type", "application/problem+json")] + headers
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
