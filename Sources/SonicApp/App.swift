import SonicChain
import SonicStore

/// The backend as one function from `Request` to `Response`: routing, then the services.
public final class App: Sendable {
    public let configuration: Configuration
    let health: HealthService

    /// Builds the object graph for `configuration`. A database that cannot be opened is
    /// reported by `/api/health` rather than stopping the service.
    public init(configuration: Configuration) {
        self.configuration = configuration
        let client = RPCClient(
            endpoints: configuration.network.rpcURLs,
            transport: HTTPTransport(connectTimeout: min(2, configuration.rpcTimeout), totalTimeout: configuration.rpcTimeout))
        let store: Store?
        do {
            store = try Store(path: configuration.databasePath)
        } catch {
            Log.error("\(error)")
            store = nil
        }
        health = HealthService(network: configuration.network, client: client, store: store)
    }

    /// Answers one request. Never throws: every failure becomes a problem document.
    public func handle(_ request: Request) -> Response {
        let route = Route(request.path)
        guard let route else { return .problem(.notFound(path: request.path)) }
        guard route.methods.contains(request.method) || (request.method == "HEAD" && route.methods.contains("GET")) else {
            return .problem(.methodNotAllowed(method: request.method, path: request.path, allowed: route.methods),
                            headers: [("Allow", route.methods.joined(separator: ", "))])
        }
        switch route {
        case .health:
            let report = health.check()
            var response = Response.json(report, status: report.status == "ok" ? 200 : 503)
            response.headers.append(("Cache-Control", "no-store"))
            if report.status != "ok" { response.headers.append(("Retry-After", "5")) }
            return response
        }
    }
}

/// The API's routes and the methods each accepts.
enum Route {
    case health

    init?(_ path: String) {
        switch path {
        case "/api/health": self = .health
        default: return nil
        }
    }

    var methods: [String] {
        switch self {
        case .health: ["GET"]
        }
    }
}
