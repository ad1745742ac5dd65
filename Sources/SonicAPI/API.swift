import Dispatch
import SonicApp
import SonicChain
import SonicConfig
import SonicHTTP
import SonicStore

/// The API as one function from `Request` to `Response`: the route, admission, then the
/// route's handler over the services; every failure a problem document.
///
/// Most routes answer at once. A long-poll (`GET /api/tx/{hash}?wait=N&since=STATE`) may
/// instead park: `respond` is then called later, from the thread that saw the change (the
/// transaction watcher) or the sweeper when the wait ends. No thread waits meanwhile.
public final class API: Sendable {
    public let app: App
    public let metrics = RequestMetrics()

    public init(app: App) { self.app = app }

    /// Answers one request through `respond`, exactly once. Never throws.
    public func handle(_ request: Request, respond: @escaping @Sendable (Response) -> Void) {
        let started = DispatchTime.now().uptimeNanoseconds
        let found = Self.route(request)
        let recordingRespond: @Sendable (Response) -> Void = { [metrics] response in
            metrics.record(route: found.route?.pattern ?? "unknown", method: request.method, status: response.status.code,
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            respond(response)
        }
        guard let route = found.route else {
            recordingRespond(.problem(found.allowed.isEmpty ? .notFound(path: request.path)
                                      : .methodNotAllowed(method: request.method.rawValue, path: request.path, allowed: found.allowed.map(\.rawValue)),
                                      headers: found.allowed.isEmpty ? [:] : [.allow: found.allowed.map(\.rawValue).joined(separator: ", ")]))
            return
        }
        // Every input is bounded before anything reads it (bodies in `RequestBody`, `Multipart`).
        if let problem = route.oversizedInput(request, parameters: found.parameters) { return recordingRespond(.problem(problem)) }
        let call = Route.Call(request: request, parameters: found.parameters, respond: recordingRespond, body: route.body)
        var admitted = route.isExempt
        // Signed out and answerable on the spot (a fresh cached balance): no task, no waiting.
        if let quick = route.quickAnswer, SessionCookie.token(in: request) == nil {
            do {
                if !admitted { try admit(request, to: route, session: nil, weight: 1) }
                admitted = true
                if try quick(self, call) { return }
            } catch {
                return recordingRespond(.problem(Self.problem(error, route: route)))
            }
        }
        // Run by this worker until it waits for the node; then the worker moves on (RequestExecutor).
        let deadline = Deadline.after(seconds: app.configuration.requestDeadline)
        RequestExecutor.start(on: app.jobs) { [self, admitted] in
            await Deadline.$current.withValue(deadline) {
                do {
                    if !admitted { try await admit(request, to: route) }
                    try await route.handler(self, call)
                } catch {
                    recordingRespond(.problem(Self.problem(error, route: route)))
                }
            }
        }
    }

    /// Answers one request, waiting for a parked one (for tests and simple callers).
    public func handle(_ request: Request) -> Response {
        let done = DispatchSemaphore(value: 0)
        let box = ResponseBox()
        handle(request) { response in
            box.response = response
            done.signal()
        }
        done.wait()
        return box.response!
    }

    /// The most body bytes `request`'s route reads: the FastCGI server reads no more, so an
    /// oversized body is refused (413) without ever being held in memory.
    public func bodyLimit(_ request: Request) -> Int {
        Route.maxBody(Self.route(request).route?.body ?? [:], imageBytes: app.configuration.nftMaxBytes)
    }

    /// The route that owns the request's path and takes its method, with the path's parameters;
    /// or, when the path is someone's but not for this method, the methods it takes.
    static func route(_ request: Request) -> (route: Route?, parameters: [String], allowed: [HTTPRequest.Method]) {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].isEmpty else { return (nil, [], []) }
        let tail = Array(parts.dropFirst())
        for owner in routes {
            guard let parameters = owner.match(tail) else { continue }
            let method = request.method == .head ? .get : request.method
            if owner.method == method { return (owner, parameters, []) }
            let candidates = routesByPattern[owner.pattern] ?? []
            guard let route = candidates.first(where: { $0.method == method }) else { return (nil, [], candidates.map(\.method)) }
            return (route, parameters, [])
        }
        return (nil, [], [])
    }

    /// The routes of each pattern (one per method).
    static let routesByPattern = Dictionary(grouping: routes, by: \.pattern)

    /// Any error a handler throws as the problem document the client gets. Whatever a service
    /// put in its detail, a URL in it goes out as its scheme and host only (a provider's key
    /// may be in its path); the services already leave endpoints and paths out.
    static func problem(_ error: any Error, route: Route) -> Problem {
        var problem = switch error {
        case let error as AppError: Problem(error, inPath: route.pathInputs)
        case let problem as Problem: problem
        default: Problem(status: 500, title: "Internal error", detail: "the request could not be answered")
        }
        problem.detail = Redaction.reducingURLs(in: problem.detail)
        return problem
    }
}

private final class ResponseBox: @unchecked Sendable {
    var response: Response?
}
