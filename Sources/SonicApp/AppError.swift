import Ethereum
import SonicChain
import SonicConfig
import SonicStore

/// What can go wrong in a service, said so that a person understands it: the one error type of
/// the services. Nothing of HTTP is in it; the API layer (`SonicAPI`) gives each case its status
/// and turns it into a problem document, and the agent turns it into a sentence.
///
/// `detail` quotes the offending value and says what would be accepted; `summary` is a few words
/// ("Invalid amount"); `field` names the input at fault, when one is.
public enum AppError: Error, Sendable, Equatable {
    /// An input cannot be used as given.
    case invalidInput(field: String?, summary: String, detail: String)
    /// The balance cannot pay for what was asked (the amount, the fee, a price).
    case insufficientBalance(field: String, detail: String)
    /// The chain or its contracts would not do it (a reverted call, a node's refusal).
    case refused(summary: String, detail: String)
    /// Nothing by that name or key exists here.
    case notFound(detail: String)
    /// The caller must sign in first, or the sign-in itself was refused.
    case unauthenticated(field: String?, summary: String, detail: String)
    /// The caller may not do this (another site, a missing CSRF token).
    case forbidden(summary: String, detail: String)
    /// It cannot be done in the current state (sales paused, a nonce already used).
    case conflict(summary: String, detail: String)
    /// An input is larger than accepted.
    case tooLarge(field: String?, summary: String, detail: String)
    /// An input is of a kind not accepted (an image that is no image).
    case unsupportedType(field: String?, summary: String, detail: String)
    /// The Sonic node does not answer (refused, timed out, 5xx): try again shortly.
    case nodeUnavailable(detail: String)
    /// Another part the service needs is down or missing (database, content store, a contract
    /// not deployed, a broadcast not confirmed): try again shortly.
    case unavailable(summary: String, detail: String)
    /// A service we called answered something we cannot use (the node, a pinning service).
    case badUpstream(summary: String, detail: String)
    /// Too many requests from one client: wait `retryAfter` seconds.
    case rateLimited(retryAfter: Int, detail: String)
    /// A fault of ours; the detail says what could not be done, never a secret.
    case internalFailure(detail: String)

    public var summary: String {
        switch self {
        case .invalidInput(_, let summary, _), .refused(let summary, _), .unauthenticated(_, let summary, _), .forbidden(let summary, _),
             .conflict(let summary, _), .tooLarge(_, let summary, _), .unsupportedType(_, let summary, _), .unavailable(let summary, _),
             .badUpstream(let summary, _):
            summary
        case .insufficientBalance: "Insufficient balance"
        case .notFound: "Not found"
        case .nodeUnavailable: "Node unavailable"
        case .rateLimited: "Too many requests"
        case .internalFailure: "Internal error"
        }
    }

    public var detail: String {
        switch self {
        case .invalidInput(_, _, let detail), .insufficientBalance(_, let detail), .refused(_, let detail), .notFound(let detail),
             .unauthenticated(_, _, let detail), .forbidden(_, let detail), .conflict(_, let detail), .tooLarge(_, _, let detail),
             .unsupportedType(_, _, let detail), .nodeUnavailable(let detail), .unavailable(_, let detail), .badUpstream(_, let detail),
             .rateLimited(_, let detail), .internalFailure(let detail):
            detail
        }
    }

    /// The input at fault, when there is one.
    public var field: String? {
        switch self {
        case .invalidInput(let field, _, _), .unauthenticated(let field, _, _), .tooLarge(let field, _, _), .unsupportedType(let field, _, _):
            field
        case .insufficientBalance(let field, _):
            field
        default:
            nil
        }
    }

    /// The detail as a sentence for a reply: capitalised, with a full stop.
    public var sentence: String {
        let text = detail
        return text.prefix(1).uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }

    /// The node does not answer.
    public static let nodeDown = AppError.nodeUnavailable(detail: "the Sonic node is not answering; try again in a few seconds")

    /// The database cannot be read or written now.
    public static let databaseDown = AppError.unavailable(summary: "Database unavailable",
                                                          detail: "the service cannot read or write its database right now")

    /// A chain failure as a person should hear it.
    public init(_ error: ChainError) {
        switch error {
        case .transport, .timeout, .httpStatus:
            self = .nodeDown
        case .busy:
            self = .nodeUnavailable(detail: "the Sonic node is busy with other requests; try again in a second")
        case .reverted(_, _, let reason):
            self = .refused(summary: "Reverted", detail: "the call reverted: \(reason)")
        // Nothing of the endpoint goes into an answer: a provider's URL can carry its key.
        case .nonceTooLow:
            self = .conflict(summary: "Nonce already used", detail: "the transaction's nonce is already used; build it again with the current nonce")
        case .broadcastUnconfirmed(_, let hash):
            self = .unavailable(summary: "Broadcast unconfirmed",
                                detail: "no answer from the node after sending \(hash); it was not sent again: check its status before retrying")
        case .rpc(_, _, _, let message, _):
            self = .refused(summary: "Refused by the node", detail: Self.nodeMessage(message))
        case .invalidResponse:
            self = .badUpstream(summary: "Bad answer from the node", detail: "the Sonic node gave an answer we could not read")
        }
    }

    /// A node's own words for a refusal ("insufficient funds for gas * price + value"), at most
    /// 200 characters and with any URL in them reduced to its scheme and host.
    static func nodeMessage(_ message: String) -> String {
        let text = Redaction.reducingURLs(in: String(message.prefix(200)))
        return text.isEmpty ? "the node refused without saying why" : text
    }

    /// Any failure of a chain read: a `ChainError` as above, anything else an answer we could
    /// not use (`what` says whose, e.g. "a token contract").
    static func chain(_ error: any Error, what: String = "the Sonic node") -> AppError {
        if let error = error as? ChainError { return AppError(error) }
        if let error = error as? AppError { return error }
        return .badUpstream(summary: "Bad answer from the node", detail: "\(what) gave an unexpected answer")
    }
}

/// A store call whose failure is the database being unavailable (logged; the person is told to retry).
func storeCall<Value>(_ body: () throws(StoreError) -> Value) throws(AppError) -> Value {
    do { return try body() } catch {
        logger.error("\(error)")
        throw .databaseDown
    }
}

/// `storeCall` for the repositories' async calls.
func storeCall<Value>(_ body: () async throws(StoreError) -> Value) async throws(AppError) -> Value {
    do { return try await body() } catch {
        logger.error("\(error)")
        throw .databaseDown
    }
}
