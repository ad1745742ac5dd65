import SonicApp
import SonicHTTP

extension Problem {
    /// The problem document of a service's error. `inPath` names the inputs that came in the
    /// path or the query string: a bad one there is a bad request (400); in a body it is a
    /// well-formed request that cannot be carried out (422).
    init(_ error: AppError, inPath: Set<String> = []) {
        let status: Int
        var type = "about:blank"
        switch error {
        case .invalidInput(let field, _, _):
            status = field.map(inPath.contains) == true ? 400 : 422
        case .insufficientBalance, .refused: status = 422
        case .notFound: status = 404
        case .unauthenticated: status = 401
        case .forbidden: status = 403
        case .conflict: status = 409
        case .tooLarge: status = 413
        case .unsupportedType: status = 415
        case .nodeUnavailable:
            status = 503
            type = "https://smartsonic.dev/problems/node-unavailable"
        case .unavailable: status = 503
        case .badUpstream: status = 502
        case .rateLimited: status = 429
        case .internalFailure: status = 500
        }
        self.init(type: type, status: status, title: error.summary, detail: error.detail, field: error.field)
        // Worth trying again: after the limiter's wait, or in a few seconds when something is down.
        if case .rateLimited(let wait, _) = error { retryAfter = wait } else if status == 503 { retryAfter = 5 }
    }
}
