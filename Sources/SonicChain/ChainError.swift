/// A failed call to a node. Every message names the endpoint and the JSON-RPC method.
public enum ChainError: Error, Sendable, CustomStringConvertible {
    /// The request never got an HTTP answer (refused, reset, DNS, TLS).
    case transport(endpoint: String, method: String, message: String)
    /// The request did not finish within the configured time.
    case timeout(endpoint: String, method: String, seconds: Double)
    /// The node answered with an HTTP status other than 200.
    case httpStatus(endpoint: String, method: String, status: Int)
    /// The node answered with a JSON-RPC error object.
    case rpc(endpoint: String, method: String, code: Int, message: String, data: String?)
    /// The answer was not the JSON-RPC shape or type the method promises.
    case invalidResponse(endpoint: String, method: String, reason: String)

    public var description: String {
        switch self {
        case .transport(let endpoint, let method, let message):
            "\(method) to \(endpoint) failed: \(message)"
        case .timeout(let endpoint, let method, let seconds):
            "\(method) to \(endpoint) timed out after \(seconds) s"
        case .httpStatus(let endpoint, let method, let status):
            "\(method) to \(endpoint) answered HTTP \(status)"
        case .rpc(let endpoint, let method, let code, let message, _):
            "\(method) to \(endpoint) returned error \(code): \(message)"
        case .invalidResponse(let endpoint, let method, let reason):
            "\(method) to \(endpoint) gave an unexpected answer: \(reason)"
        }
    }
}
