import SonicHTTP

/// One endpoint of the API: its method, its path pattern (which is also its name in metrics),
/// the inputs it reads from the path and query string, and its handler.
struct Route: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// What a handler is given: the request, the path's parameters in pattern order, and the
    /// way to answer (exactly once; a long-poll answers later, from another thread).
    struct Call: Sendable {
        let request: Request
        let parameters: [String]
        let respond: @Sendable (Response) -> Void
    }

    typealias Handler = @Sendable (API, Call) async throws -> Void

    let method: HTTPRequest.Method
    /// `/api/balance/{address}`: fixed segments and `{parameters}`.
    let pattern: String
    let segments: [Segment]
    /// Inputs taken from the path and the query string: a bad one is a bad request (400).
    let pathInputs: Set<String>
    /// Health and metrics are answered before any rate limit or cross-site check.
    let isExempt: Bool
    /// Nonce and verify: limited to `SONIC_SIGN_INS_PER_HOUR` per client IP besides the rest.
    let isSignIn: Bool
    let handler: Handler
    /// Answers on the spot what needs no waiting (a fresh cached balance, a tracked
    /// transaction's state), for a signed-out request: true when it answered (or parked the
    /// request), false when the handler must run.
    var quickAnswer: (@Sendable (API, Call) throws -> Bool)? = nil

    init(_ method: HTTPRequest.Method, _ pattern: String, query: [String] = [], exempt: Bool = false, signIn: Bool = false,
         handler: @escaping Handler) {
        self.method = method
        self.pattern = pattern
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        var inputs = Set(query)
        for case .parameter(let name) in segments { inputs.insert(name) }
        pathInputs = inputs
        isExempt = exempt
        isSignIn = signIn
        self.handler = handler
    }

    /// A route that answers at once with what `answer` returns.
    static func answer(_ method: HTTPRequest.Method, _ pattern: String, query: [String] = [], exempt: Bool = false, signIn: Bool = false,
                       _ answer: @escaping @Sendable (API, Call) async throws -> Response) -> Route {
        Route(method, pattern, query: query, exempt: exempt, signIn: signIn) { api, call in call.respond(try await answer(api, call)) }
    }

    /// This route, answering what it can on the spot with `quick`.
    func answering(_ quick: @escaping @Sendable (API, Call) throws -> Bool) -> Route {
        var route = self
        route.quickAnswer = quick
        return route
    }

    /// The path's parameters when `parts` (the path split at `/`, without the leading empty
    /// part) fit this pattern, else nil. A parameter matches any non-empty segment.
    func match(_ parts: [Substring]) -> [String]? {
        guard parts.count == segments.count else { return nil }
        var parameters: [String] = []
        for (part, segment) in zip(parts, segments) {
            switch segment {
            case .literal(let text): guard part == text else { return nil }
            case .parameter: guard !part.isEmpty else { return nil }; parameters.append(String(part))
            }
        }
        return parameters
    }
}
