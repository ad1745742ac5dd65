import SonicConfig
import Synchronization
import Ethereum
import SonicHTTP
import Foundation
import Logging
import IPFS
import SonicChain
import SonicStore

/// The backend as one function from `Request` to `Response`: routing, then the services.
///
/// Most routes answer at once. A long-poll (`GET /api/tx/{hash}?wait=N&since=STATE`) may
/// instead park: `respond` is then called later, from the thread that saw the change (the
/// transaction watcher) or the sweeper when the wait ends. No thread waits meanwhile.
public final class App: Sendable {
    public let configuration: Configuration
    public let context: ChainContext
    public let waiters = ParkingLot()
    let health: HealthService
    let balances: BalanceService
    let transactions: TransactionService
    let subscriptions: SubscriptionService
    let networkInfo: NetworkService
    let auth: AuthService
    let agent: AgentService
    let history: HistoryService
    let nft: NFTService
    let watchlist: Watchlist
    let limiter: RateLimiter
    let subscribers: SubscriberCache
    public let metrics = RequestMetrics()
    public let watcher: TransactionWatcher

    /// Builds the object graph for `configuration`. A database that cannot be opened is
    /// reported by `/api/health` rather than stopping the service.
    public init(configuration: Configuration) {
        self.configuration = configuration
        let store: Store?
        do {
            store = try Store(path: configuration.databasePath)
        } catch {
            logger.error("\(error)")
            store = nil
        }
        context = ChainContext(configuration: configuration, store: store)
        health = HealthService(network: context.network, client: context.client, store: store)
        balances = BalanceService(context: context, ttl: configuration.balanceTTL, maxStaleness: configuration.maxStaleness)
        transactions = TransactionService(context: context, balances: balances)
        subscriptions = SubscriptionService(context: context, ttl: configuration.balanceTTL)
        networkInfo = NetworkService(context: context, ttl: configuration.balanceTTL)
        watchlist = Watchlist(enabled: !configuration.indexAll)
        history = HistoryService(context: context, watchlist: watchlist)
        var content: ContentStore?
        var contentProblem: String?
        do {
            content = try ContentStore(directory: configuration.contentDirectory)
            content?.sweep()  // uploads a killed process left half-staged
        } catch {
            logger.error("content store: \(error)")
            contentProblem = error.description
        }
        var nft = NFTService(context: context, content: content, contentProblem: contentProblem, maxImageBytes: configuration.nftMaxBytes)
        let pinning = HTTPTransport(connectTimeout: 5, totalTimeout: 120)
        if let url = configuration.kuboAPIURL { nft.pinners.append(KuboPinner(baseURL: url, transport: pinning)) }
        if let jwt = configuration.pinataJWT { nft.pinners.append(PinataPinner(baseURL: configuration.pinataURL, jwt: jwt, transport: pinning)) }
        self.nft = nft
        auth = AuthService(context: context, publicOrigin: configuration.publicOrigin, watchlist: watchlist)
        var agent = AgentService(context: context, balances: balances, transactions: transactions, subscriptions: subscriptions,
                                 network: networkInfo, history: history)
        agent.nft = nft
        let modelTransport = HTTPTransport(connectTimeout: min(3, configuration.llmTimeout), totalTimeout: configuration.llmTimeout)
        switch configuration.llmProvider {
        case "gemini":
            agent.model = GeminiModel(baseURL: configuration.llmURL, model: configuration.llmModel, apiKey: configuration.llmAPIKey!, transport: modelTransport)
        case "openai":
            agent.model = OpenAICompatibleModel(baseURL: configuration.llmURL, model: configuration.llmModel, apiKey: configuration.llmAPIKey,
                                                transport: modelTransport)
        default:
            break
        }
        self.agent = agent
        AgentService.loadKnowledge(directory: configuration.knowledgeDirectory, into: store)
        limiter = RateLimiter(perMinute: configuration.rateLimitPerMinute)
        subscribers = SubscriberCache(subscriptions: subscriptions)
        let (balances, subscriptions) = (balances, subscriptions)
        watcher = TransactionWatcher(context: context, waiters: waiters) { address in
            balances.invalidate(address)
            subscriptions.invalidate(address)
        }
    }

    /// Starts the background work: the transaction watcher and the long-poll sweeper.
    public func start() {
        watcher.start()
        waiters.startSweeper()
    }

    /// Answers every parked request with its current state (graceful stop).
    public func stop() { waiters.wakeAll() }

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

    /// Answers one request through `respond`, exactly once. Never throws: every failure
    /// becomes a problem document.
    public func handle(_ request: Request, respond: @escaping @Sendable (Response) -> Void) {
        let started = DispatchTime.now().uptimeNanoseconds
        let route = Route(request.path)
        let recordingRespond: @Sendable (Response) -> Void = { [metrics] response in
            metrics.record(route: route?.name ?? "unknown", method: request.method, status: response.status,
                           seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            respond(response)
        }
        do {
            try admit(request, route: route)
            try self.route(request, to: route, respond: recordingRespond)
        } catch {
            var headers: [(name: String, value: String)] = error.status == 503 ? [("Retry-After", "5")] : []
            if error.status == 429, let wait = error.retryAfter { headers = [("Retry-After", String(wait))] }
            recordingRespond(.problem(error, headers: headers))
        }
    }

    /// Rate limits (per session, or per client IP) and cross-site checks, before any work.
    private func admit(_ request: Request, route: Route?) throws(Problem) {
        guard let route, route != .health, route != .metrics else { return }
        let session = try? auth.session(of: request)
        let key = session.map { "session:\($0.address)" } ?? "ip:\(request.remoteAddress)"
        // Signed in: twice the limit; signed-in subscribers: four times.
        let weight: Double = session.map { subscribers.isSubscriber($0.address) ? 4 : 2 } ?? 1
        if let wait = limiter.take(key, weight: weight) {
            var problem = Problem(status: 429, title: "Too many requests",
                                  detail: "at most \(limiter.perMinute) requests a minute; try again in \(Int(wait.rounded(.up))) s")
            problem.retryAfter = Int(wait.rounded(.up))
            throw problem
        }
        if request.method == "POST" {
            if route == .authVerify {
                if let origin = request.headers["origin"], origin != configuration.publicOrigin {
                    throw Problem(status: 403, title: "Cross-origin request", detail: "requests must come from \(configuration.publicOrigin), not \(origin)")
                }
            } else {
                try auth.checkCrossSite(request)
            }
        }
    }

    private func route(_ request: Request, to route: Route?, respond: @escaping @Sendable (Response) -> Void) throws(Problem) {
        guard let route else { throw .notFound(path: request.path) }
        let method = request.method == "HEAD" ? "GET" : request.method
        guard route.methods.contains(method) else {
            respond(.problem(.methodNotAllowed(method: request.method, path: request.path, allowed: route.methods),
                             headers: [("Allow", route.methods.joined(separator: ", "))]))
            return
        }
        switch route {
        case .health:
            let report = health.check()
            var response = Response.json(report, status: report.status == "ok" ? 200 : 503)
            response.headers.append(("Cache-Control", "no-store"))
            if report.status != "ok" { response.headers.append(("Retry-After", "5")) }
            respond(response)
        case .network:
            respond(.json(try networkInfo.info()))
        case .balance(let text):
            let address = try Validate.address(text, field: "address", status: 400)
            watchlist.watch(address, source: "lookup", store: context.store)
            let tokens = request.queryItems["tokens"].map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
            let answer = try balances.balances(of: address, tokens: tokens.filter { !$0.isEmpty })
            respond(Response(status: 200, headers: [("Content-Type", "application/json")], body: answer.body))
        case .prepare:
            respond(.json(try transactions.prepare(request)))
        case .send:
            respond(.json(try transactions.send(request)))
        case .track:
            respond(.json(try transactions.track(request)))
        case .status(let text):
            try longPoll(hash: try Validate.hash(text, field: "hash", status: 400), request: request, respond: respond)
        case .history(let text):
            respond(try history.respond(address: text, request: request))
        case .nftAssets:
            let session = try auth.session(of: request)
            respond(.json(try nft.upload(request, signedIn: session != nil), status: 201))
        case .nftPrepareMint:
            respond(.json(try nft.prepareMint(request, signedIn: try auth.session(of: request)?.address)))
        case .nfts(let text):
            respond(.json(try nft.tokens(of: try Validate.address(text, field: "address", status: 400))))
        case .ipfs(let text):
            respond(try nft.gateway(text))
        case .subscription(let text):
            respond(.json(try subscriptions.status(try Validate.address(text, field: "address", status: 400))))
        case .subscriptionPrepare:
            respond(.json(try subscriptions.prepare(request)))
        case .authNonce:
            var response = Response.json(try auth.nonce(request))
            response.headers.append(("Cache-Control", "no-store"))
            respond(response)
        case .authVerify:
            respond(try auth.verify(request))
        case .authLogout:
            respond(try auth.logout(request))
        case .authMe:
            respond(try auth.me(request))
        case .agent:
            // "my" is the signed-in address; signed-out visitors can still ask about anything public.
            let address = (try auth.session(of: request)).map(\.address)
            respond(.json(try agent.handle(request, address: address)))
        case .metrics:
            respond(Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")], body: Array(prometheusText().utf8)))
        }
    }

    /// GET /api/tx/{hash}?wait=N&since=STATE: answers now, unless the state is still `since`;
    /// then waits up to N seconds (at most 60) for it to change.
    private func longPoll(hash: Hash32, request: Request, respond: @escaping @Sendable (Response) -> Void) throws(Problem) {
        let query = request.queryItems
        var wait = 0
        if let text = query["wait"] {
            guard let seconds = Int(text), (0...60).contains(seconds) else {
                throw Problem(status: 400, title: "Invalid wait", detail: "wait must be a whole number of seconds from 0 to 60, got \"\(text)\"", field: "wait")
            }
            wait = seconds
        }
        let states = TrackedTransaction.State.allCases.map(\.rawValue) + ["unknown"]
        if let since = query["since"], !states.contains(since) {
            throw Problem(status: 400, title: "Invalid since", detail: "since must be one of \(states.joined(separator: ", ")), got \"\(since)\"", field: "since")
        }
        let current = try transactions.status(hash)
        guard wait > 0, let since = query["since"], since == current.status, current.status == "pending" else {
            respond(Self.statusResponse(current))
            return
        }
        // Watch it even when nobody asked us to track it, so the change is seen.
        try storeCall { () throws(StoreError) in try context.store?.track(TrackedTransaction(hash: hash.description, sender: nil, nonce: nil)) }
        let once = Once()
        waiters.park(hash.description, until: Date().addingTimeInterval(Double(wait))) { [transactions, context] value in
            guard once.claim() else { return }
            // The waker usually has the new state; read it only when it does not.
            let latest = (value as? TrackedTransaction).map { TransactionStatus($0, network: context.network) }
                ?? (try? transactions.status(hash)) ?? current
            respond(Self.statusResponse(latest))
        }
        // The state may have changed between reading it and parking: look once more.
        if let again = try? transactions.status(hash), again.status != current.status { waiters.wake(hash.description) }
    }

    static func statusResponse(_ status: TransactionStatus) -> Response {
        var response = Response.json(status)
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }
}

/// The API's routes and the methods each accepts.
enum Route: Equatable {
    case health, network, balance(String), history(String), prepare, send, track, status(String), subscription(String), subscriptionPrepare
    case authNonce, authVerify, authLogout, authMe, metrics, agent, nftAssets, nftPrepareMint, nfts(String), ipfs(String)

    /// Parsed once per request, on slices of the path (no copies but the parameter's).
    init?(_ path: String) {
        if path == "/metrics" {
            self = .metrics
            return
        }
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].isEmpty else { return nil }
        func part(_ index: Int) -> Substring { Substring(parts[index]) }
        if parts.count == 3, part(1) == "ipfs", !parts[2].isEmpty {
            self = .ipfs(String(part(2)))
            return
        }
        guard part(1) == "api" else { return nil }
        let count = parts.count - 2
        let first = part(2), second = count > 1 ? String(part(3)) : ""
        switch (count, first, second) {
        case (1, "health", _): self = .health
        case (1, "network", _): self = .network
        case (1, "agent", _): self = .agent
        case (2, "balance", let address) where !address.isEmpty: self = .balance(address)
        case (2, "history", let address) where !address.isEmpty: self = .history(address)
        case (2, "nft", "assets"): self = .nftAssets
        case (2, "nft", "prepare-mint"): self = .nftPrepareMint
        case (2, "nft", let address) where !address.isEmpty: self = .nfts(address)
        case (2, "tx", "prepare"): self = .prepare
        case (2, "tx", "send"): self = .send
        case (2, "tx", "track"): self = .track
        case (2, "tx", let hash) where !hash.isEmpty: self = .status(hash)
        case (2, "subscription", "prepare"): self = .subscriptionPrepare
        case (2, "subscription", let address) where !address.isEmpty: self = .subscription(address)
        case (2, "auth", "nonce"): self = .authNonce
        case (2, "auth", "verify"): self = .authVerify
        case (2, "auth", "logout"): self = .authLogout
        case (2, "auth", "me"): self = .authMe
        default: return nil
        }
    }

    var methods: [String] {
        switch self {
        case .health, .network, .balance, .history, .nfts, .ipfs, .status, .subscription, .authNonce, .authMe, .metrics: ["GET"]
        case .prepare, .send, .track, .subscriptionPrepare, .authVerify, .authLogout, .agent, .nftAssets, .nftPrepareMint: ["POST"]
        }
    }

    /// One of each route, for documentation checks.
    static let all: [Route] = [.health, .network, .balance("x"), .history("x"), .nftAssets, .nftPrepareMint, .nfts("x"), .ipfs("x"), .prepare, .send, .track, .status("x"), .subscription("x"),
                               .subscriptionPrepare, .authNonce, .authVerify, .authLogout, .authMe, .metrics, .agent]

    /// The route's name in metrics: parameters left out, so labels stay few.
    var name: String {
        switch self {
        case .health: "/api/health"
        case .network: "/api/network"
        case .balance: "/api/balance/{address}"
        case .history: "/api/history/{address}"
        case .nftAssets: "/api/nft/assets"
        case .nftPrepareMint: "/api/nft/prepare-mint"
        case .nfts: "/api/nft/{address}"
        case .ipfs: "/ipfs/{cid}"
        case .prepare: "/api/tx/prepare"
        case .send: "/api/tx/send"
        case .track: "/api/tx/track"
        case .status: "/api/tx/{hash}"
        case .subscription: "/api/subscription/{address}"
        case .subscriptionPrepare: "/api/subscription/prepare"
        case .authNonce: "/api/auth/nonce"
        case .authVerify: "/api/auth/verify"
        case .authLogout: "/api/auth/logout"
        case .authMe: "/api/auth/me"
        case .metrics: "/metrics"
        case .agent: "/api/agent"
        }
    }
}

/// Lets exactly one caller through.
final class Once: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged }
}

private final class ResponseBox: @unchecked Sendable {
    var response: Response?
}
