import Ethereum
import SonicConfig

/// A failed call to a node. Every message names the endpoint (its scheme and host only: a
/// provider's key may be in the path) and the JSON-RPC method.
public enum ChainError: Error, Sendable, CustomStringConvertible {
    /// The request never got an HTTP answer (refused, reset, DNS, TLS).
    case transport(endpoint: String, method: String, message: String)
    /// The call reverted; the reason is decoded from the revert data.
    case reverted(endpoint: String, method: String, reason: RevertReason)
    /// A broadcast the node refused because the sender's nonce is already used.
    case nonceTooLow(endpoint: String, message: String)
    /// A broadcast whose fate is unknown (timeout after sending); it was not sent again.
    case broadcastUnconfirmed(endpoint: String, hash: String)
    /// The request did not finish within the configured time.
    case timeout(endpoint: String, method: String, seconds: Double)
    /// The node answered with an HTTP status other than 200.
    case httpStatus(endpoint: String, method: String, status: Int)
    /// The node answered with a JSON-RPC error object.
    case rpc(endpoint: String, method: String, code: Int, message: String, data: String?)
    /// The answer was not the JSON-RPC shape or type the method promises.
    case invalidResponse(endpoint: String, method: String, reason: String)
    /// Not sent: as many calls to the endpoint as it may take are in flight and waiting
    /// (`CurlMultiTransport`'s bounds). Shed rather than queued without end; try again shortly.
    case busy(endpoint: String, method: String)

    /// Whether the same read may be tried again (elsewhere or later) with a chance of success.
    public var isRetryable: Bool {
        switch self {
        case .transport, .timeout: true
        case .httpStatus(_, _, let status): status == 429 || status >= 500
        default: false
        }
    }

    /// The error for a log line: URLs (the endpoint, any in the node's message) reduced to scheme and host.
    public var description: String {
        let text = switch self {
        case .transport(let endpoint, let method, let message):
            "\(method) to \(endpoint) failed: \(message)"
        case .reverted(_, let method, let reason):
            "\(method) reverted: \(reason)"
        case .nonceTooLow(let endpoint, let message):
            "the transaction's nonce is already used (\(endpoint) said: \(message)); build it again with the current nonce"
        case .broadcastUnconfirmed(let endpoint, let hash):
            "no answer from \(endpoint) after sending \(hash); it was not sent again: check its status before retrying"
        case .timeout(let endpoint, let method, let seconds):
            "\(method) to \(endpoint) timed out after \(seconds) s"
        case .httpStatus(let endpoint, let method, let status):
            "\(method) to \(endpoint) answered HTTP \(status)"
        case .rpc(let endpoint, let method, let code, let message, _):
            "\(method) to \(endpoint) returned error \(code): \(message)"
        case .invalidResponse(let endpoint, let method, let reason):
            "\(method) to \(endpoint) gave an unexpected answer: \(reason)"
        case .busy(let endpoint, let method):
            "\(method) to \(endpoint) was not sent: too many calls to it are in flight"
        }
        return Redaction.reducingURLs(in: text)
    }
}
