import SonicConfig
import Ethereum
import Foundation
import Logging
import IPFS
import SonicChain
import SonicStore

/// The composition root: reads the `Configuration`, builds the real implementations and wires
/// the services to them. Serving them over HTTP is `SonicAPI`'s.
public final class App: Sendable {
    public let configuration: Configuration
    public let context: ChainContext
    /// The database (nil when it could not be opened), handed to each service as the
    /// repositories it uses; /metrics reads its counts: the SQLite file (`store`) or PostgreSQL.
    public let database: (any AppDatabase)?
    /// The SQLite file, when the database is one (reads on the spot; tests write to it directly).
    public let store: Store?
    /// PostgreSQL, when `SONIC_DATABASE_URL` is set (its pool is closed by `stop()`).
    let postgres: PostgresStore?
    /// The node's JSON-RPC client (its call counts are in /metrics).
    public let client: RPCClient
    /// The transports whose threads are ours to stop: the node's (when it is ours), the language
    /// model's and the pinning services' (when configured).
    let transports: [CurlMultiTransport]
    /// Runs the rest of the requests whose worker has moved on while they waited (`RequestExecutor`).
    public let jobs: JobPool
    /// Requests waiting for a transaction's state to change (long-polls), a few per client.
    public let waiters: ParkingLot
    public let health: HealthService
    public let balances: BalanceService
    public let transactions: TransactionService
    /// Any ERC-20 token: metadata, holdings, tokens added by hand.
    public let tokens: TokenService
    /// The allowances an address gave; approvals and revokes prepared.
    public let allowances: AllowanceService
    /// Native staking through the SFC.
    public let staking: StakingService
    /// Wrapping and swaps through the network's V2 router.
    public let swaps: SwapService
    public let subscriptions: SubscriptionService
    public let networkInfo: NetworkService
    public let feeHistory: FeeHistoryService
    /// History CSV exports written at once (`SONIC_EXPORTS_AT_ONCE`).
    public let exports: Slots
    public let auth: AuthService
    public let agent: AgentService
    public let history: HistoryService
    public let nft: NFTService
    /// Pins minted uploads, removes those never minted.
    public let uploadKeeper: UploadKeeper
    public let watchlist: Watchlist
    /// Requests a minute per client IP, or per signed-in address (weighted).
    public let limiter: RateLimiter
    /// Requests a minute per client IP over all its sessions.
    public let ipCeiling: RateLimiter
    /// Sign-in requests (nonce, verify) an hour per client IP.
    public let signIns: RateLimiter
    /// Language-model calls a day per address (or client IP when signed out).
    public let modelCalls: RateLimiter
    public let subscribers: SubscriberCache
    public let watcher: TransactionWatcher
    /// The live dashboard's per-address feed (long-polls on the change log of each address).
    public let feed: AddressFeed
    /// The alerts people set (carried out by sonic-sync's alert engine).
    public let alerts: AlertService
    /// On PostgreSQL: wakes this host's parked requests when any host commits a change.
    public let changes: ChangeListener?

    /// Builds the object graph for `configuration`. A database that cannot be opened is
    /// reported by `/api/health` rather than stopping the service.
    public convenience init(configuration: Configuration) {
        var store: Store?
        var postgres: PostgresStore?
        if let url = configuration.databaseURL {
            do {
                postgres = try ThreadExecutor.run { () async throws(StoreError) in try await PostgresStore.open(url: url, threadName: "pg-app") }
            } catch {
                logger.error("\(error)")  // names the database without its password
            }
        } else {
            do {
                store = try Store(path: configuration.databasePath)
            } catch {
                logger.error("\(error)")
            }
        }
        // Node calls wait without a thread: a slow node holds no worker (docs/architecture.md).
        let transport = CurlMultiTransport(connectTimeout: min(2, configuration.rpcTimeout), totalTimeout: configuration.rpcTimeout,
                                           maxInFlight: configuration.rpcMaxInFlight, maxQueued: configuration.rpcMaxQueued)
        let client = RPCClient(endpoints: configuration.network.rpcURLs, transport: transport)
        self.init(configuration: configuration, client: client, context: ChainContext(configuration: configuration, client: client), store: store,
                  postgres: postgres, transport: transport)
    }

    /// Builds the services over `context` (its chain and clock) and the database: `postgres`
    /// when given, else `store`: the real ones, or a test's. `client` is the node's client whose
    /// call counts /metrics shows; `transport`, when given, is stopped by `stop()`.
    public init(configuration: Configuration, client: RPCClient, context: ChainContext, store: Store?, postgres: PostgresStore? = nil,
                transport: CurlMultiTransport? = nil) {
        let local = postgres == nil ? store : nil
        let database: (any AppDatabase)? = postgres ?? local
        self.database = database
        self.postgres = postgres
        self.configuration = configuration
        self.client = client
        var transports = transport.map { [$0] } ?? []
        jobs = JobPool(threads: configuration.fastCGIThreads)
        self.context = context
        self.store = local
        waiters = ParkingLot(perClient: configuration.longPollsPerClient)
        health = HealthService(network: context.network, chain: context.chain, database: database, clock: context.clock, ttl: configuration.balanceTTL)
        balances = BalanceService(context: context, cache: database, ttl: configuration.balanceTTL, maxStaleness: configuration.maxStaleness)
        let tokens = TokenService(context: context, repository: database)
        self.tokens = tokens
        allowances = AllowanceService(context: context, repository: database, tokens: tokens)
        staking = StakingService(context: context, history: database)
        var aggregator: (any SwapAggregator)?
        if let url = configuration.kyberSwapURL {
            // Its answers are awaited without holding a thread, as the node's are.
            let kyber = CurlMultiTransport(connectTimeout: 3, totalTimeout: KyberSwap.timeout, maxInFlight: 16, maxQueued: 64, threadName: "curl-kyberswap")
            transports.append(kyber)
            aggregator = KyberSwap(baseURL: url, chain: configuration.kyberSwapChain, clientID: configuration.kyberSwapClientID,
                                   router: configuration.kyberSwapRouter, transport: kyber, clock: context.clock)
        }
        swaps = SwapService(context: context, tokens: tokens, allowances: allowances, aggregator: aggregator)
        var transactions = TransactionService(context: context, repository: database, balances: balances)
        transactions.immediate = local
        transactions.tokens = tokens
        transactions.unknownPerClient = configuration.unknownTransactionsPerClient
        transactions.unknownSeconds = configuration.unknownTransactionSeconds
        self.transactions = transactions
        subscriptions = SubscriptionService(context: context, ttl: configuration.balanceTTL)
        networkInfo = NetworkService(context: context, ttl: configuration.balanceTTL)
        feeHistory = FeeHistoryService(context: context, ttl: configuration.balanceTTL)
        exports = Slots(limit: configuration.exportsAtOnce)
        watchlist = Watchlist(enabled: !configuration.indexAll, repository: database, clock: context.clock, seconds: configuration.watchSeconds)
        history = HistoryService(context: context, repository: database, watchlist: watchlist)
        var content: (any ContentBackend)?
        var contentProblem: String?
        if let postgres {
            // Hosts sharing PostgreSQL keep uploads there: any host serves what another stored.
            content = DatabaseContentStore(repository: postgres)
        } else {
            do {
                let folder = try ContentStore(directory: configuration.contentDirectory)
                folder.sweep()  // uploads a killed process left half-staged
                content = folder
            } catch {
                logger.error("content store: \(error)")
                contentProblem = "the content store cannot be opened"  // its path is in the log only
            }
        }
        var nft = NFTService(context: context, history: database, content: content, contentProblem: contentProblem, maxImageBytes: configuration.nftMaxBytes)
        nft.uploads = database
        nft.uploadsPerDay = configuration.uploadsPerDay
        nft.uploadBytesPerDay = configuration.uploadBytesPerDay
        if configuration.kuboAPIURL != nil || configuration.pinataJWT != nil {
            // Uploads to pinning services are awaited without holding a thread, as node calls are.
            let pinning = CurlMultiTransport(connectTimeout: 5, totalTimeout: 120, maxInFlight: 8, maxQueued: 32, threadName: "curl-pinning")
            transports.append(pinning)
            if let url = configuration.kuboAPIURL { nft.pinners.append(KuboPinner(baseURL: url, transport: pinning)) }
            if let jwt = configuration.pinataJWT { nft.pinners.append(PinataPinner(baseURL: configuration.pinataURL, jwt: jwt, transport: pinning)) }
        }
        self.nft = nft
        uploadKeeper = UploadKeeper(nft: nft, uploads: database, clock: context.clock, collection: try? context.contract("SmartSonicNFT"),
                                    keepUnminted: configuration.unmintedKeepSeconds)
        auth = AuthService(context: context, sessions: database, publicOrigin: configuration.publicOrigin, watchlist: watchlist)
        var agent = AgentService(context: context, conversations: database, knowledge: database, balances: balances, transactions: transactions, subscriptions: subscriptions,
                                 network: networkInfo, history: history)
        agent.nft = nft
        agent.tokens = tokens
        agent.allowances = allowances
        agent.swapService = swaps
        alerts = AlertService(repository: database, clock: context.clock, allowPrivate: configuration.webhookAllowPrivate,
                              limit: configuration.alertsPerAddress, subscriberLimit: configuration.alertsPerSubscriber)
        subscribers = SubscriberCache(subscriptions: subscriptions)
        agent.alerts = alerts
        agent.subscribers = subscribers
        let modelCalls = RateLimiter(limit: configuration.llmCallsPerDay, period: 86_400)
        self.modelCalls = modelCalls
        if configuration.llmProvider != nil {
            // The model's answer is awaited without holding a thread.
            let llm = CurlMultiTransport(connectTimeout: min(3, configuration.llmTimeout), totalTimeout: configuration.llmTimeout,
                                         maxInFlight: 16, maxQueued: 64, threadName: "curl-llm")
            transports.append(llm)
            agent.model = makeLanguageModel(for: configuration, transport: llm).map { MeteredLanguageModel(model: $0, calls: modelCalls, clock: context.clock) }
        }
        self.agent = agent
        AgentService.loadKnowledge(directory: configuration.knowledgeDirectory, into: database)
        limiter = RateLimiter(limit: configuration.rateLimitPerMinute)
        ipCeiling = RateLimiter(limit: configuration.ipCeilingPerMinute)
        signIns = RateLimiter(limit: configuration.signInsPerHour, period: 3_600)
        let (balances, subscriptions, subscribers) = (balances, subscriptions, subscribers)
        // On PostgreSQL one host's watcher asks the node; the others stand by (`ActiveRole`).
        let role = postgres.map { ActiveRole(.transactionWatcher, store: $0) { active in
            logger.info("transaction watcher: \(active ? "active on this host" : "standing by (another host's is active)")")
        } }
        let watcher = TransactionWatcher(context: context, repository: database, waiters: waiters, unknownDropAfter: configuration.unknownTransactionSeconds,
                                         budget: configuration.watchReceiptsPerTick, role: role) { address in
            balances.invalidate(address)
            subscriptions.invalidate(address)
            subscribers.forget(address.lowercased)
        }
        let feed = AddressFeed(repository: database, waiters: waiters) { address in
            balances.expire(address)
            subscriptions.invalidate(address)
            subscribers.forget(address.lowercased)
        }
        self.watcher = watcher
        self.feed = feed
        let jobs = jobs
        changes = postgres.map { ChangeListener(store: $0, watcher: watcher, feed: feed, jobs: jobs) }
        self.transports = transports
    }

    /// The node transport's thread and the job pool's end with the app, also when it was never
    /// stopped (a test's).
    deinit {
        for transport in transports { transport.stop() }
        jobs.stop()
    }

    /// Starts the background work: the transaction watcher, the change logs' readers (polling
    /// SQLite's, or listening to PostgreSQL's), the long-poll sweeper and the upload keeper.
    public func start() {
        if let changes {
            watcher.start(feedInterval: nil)
            changes.start()
        } else {
            watcher.start()
            feed.start()
        }
        waiters.startSweeper()
        uploadKeeper.start()
    }

    /// Stops the background threads (and waits for them to end), then answers every parked
    /// request with its current state (graceful stop).
    public func stop() {
        watcher.stop()
        feed.stop()
        changes?.stop()
        waiters.stopSweeper()
        uploadKeeper.stop()
        waiters.wakeAll()
        // Calls still in flight fail as given up; the requests waiting on them are answered.
        for transport in transports { transport.stop() }
        jobs.stop()
        postgres?.close()
    }
}
