import SonicHTTP

/// One endpoint of the API: its method, its path pattern (which is also its name in metrics),
/// the inputs it reads from the path, the query string and the body (each with its bound), and
/// its handler.
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
        /// The route's declared body fields and their bounds.
        var body: [String: Int] = [:]

        /// The JSON body as `Body`, its fields bounded as the route declares.
        func body<Body: Decodable>(as type: Body.Type) throws(Problem) -> Body {
            try RequestBody.decode(request, as: type, fields: body)
        }
    }

    /// The most bytes a path parameter or a query-string value may have.
    static let maxInputBytes = 256
    /// The most bytes of a whole query string.
    static let maxQueryBytes = 2_048
    /// The most body bytes read for a route that declares no body (it reads none).
    static let maxUndeclaredBody = 16_384

    /// The most body bytes a route with `body` reads: its fields' bounds and 8 KB of JSON or
    /// multipart framing; for an upload, `imageBytes` (SONIC_NFT_MAX_BYTES) bounds the whole
    /// body, image and other parts together, the same bound nginx applies to that path, so a
    /// body past it is refused by its length without being read.
    static func maxBody(_ body: [String: Int], imageBytes: Int) -> Int {
        if body.isEmpty { return maxUndeclaredBody }
        return body["image"] == nil ? body.values.reduce(8_192, +) : imageBytes
    }

    typealias Handler = @Sendable (API, Call) async throws -> Void

    let method: HTTPRequest.Method
    /// `/api/balance/{address}`: fixed segments and `{parameters}`.
    let pattern: String
    let segments: [Segment]
    /// Inputs taken from the path and the query string: a bad one is a bad request (400).
    let pathInputs: Set<String>
    /// The body's fields (JSON members, or multipart parts) and the most bytes each may have.
    let body: [String: Int]
    /// Health and metrics are answered before any rate limit or cross-site check.
    let isExempt: Bool
    /// Nonce and verify: limited to `SONIC_SIGN_INS_PER_HOUR` per client IP besides the rest.
    let isSignIn: Bool
    let handler: Handler
    /// Answers on the spot what needs no waiting (a fresh cached balance, a tracked
    /// transaction's state), for a signed-out request: true when it answered (or parked the
    /// request), false when the handler must run.
    var quickAnswer: (@Sendable (API, Call) throws -> Bool)? = nil

    init(_ method: HTTPRequest.Method, _ pattern: String, query: [String] = [], body: [String: Int] = [:], exempt: Bool = false,
         signIn: Bool = false, handler: @escaping Handler) {
        self.method = method
        self.pattern = pattern
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        var inputs = Set(query)
        for case .parameter(let name) in segments { inputs.insert(name) }
        pathInputs = inputs
        self.body = body
        isExempt = exempt
        isSignIn = signIn
        self.handler = handler
    }

    /// A route that answers at once with what `answer` returns.
    static func answer(_ method: HTTPRequest.Method, _ pattern: String, query: [String] = [], body: [String: Int] = [:], exempt: Bool = false,
                       signIn: Bool = false, _ answer: @escaping @Sendable (API, Call) async throws -> Response) -> Route {
        Route(method, pattern, query: query, body: body, exempt: exempt, signIn: signIn) { api, call in call.respond(try await answer(api, call)) }
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

    /// The first path parameter or declared query value longer than `maxInputBytes` (or a query
    /// string longer than `maxQueryBytes`), as the 400 or 414 that names it; nil when all fit.
    func oversizedInput(_ request: Request, parameters: [String]) -> Problem? {
        let names = segments.compactMap { segment -> String? in if case .parameter(let name) = segment { name } else { nil } }
        for (name, value) in zip(names, parameters) where value.utf8.count > Self.maxInputBytes {
            return Self.tooLong(name, bytes: value.utf8.count)
        }
        // A query string past a few pages is not read at all.
        guard request.query.utf8.count <= 16 * Self.maxQueryBytes else { return Self.queryTooLong(request.query.utf8.count) }
        for (name, value) in request.queryItems.sorted(by: { $0.key < $1.key }) where pathInputs.contains(name) && value.utf8.count > Self.maxInputBytes {
            return Self.tooLong(name, bytes: value.utf8.count)
        }
        return request.query.utf8.count > Self.maxQueryBytes ? Self.queryTooLong(request.query.utf8.count) : nil
    }

    static func tooLong(_ name: String, bytes: Int) -> Problem {
        Problem(status: 400, title: "Too long", detail: "\(name) is \(bytes) bytes long; at most \(maxInputBytes)", field: name)
    }

    static func queryTooLong(_ bytes: Int) -> Problem {
        Problem(status: 414, title: "Query too long", detail: "the query string is \(bytes) bytes long; at most \(maxQueryBytes)")
    }
}
