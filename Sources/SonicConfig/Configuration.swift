import Ethereum
import Foundation

/// Every setting of the backend, read from the environment in one place.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `SONIC_NETWORK` | `devnet` | `devnet`, `testnet` or `mainnet` |
/// | `SONIC_RPC_URLS` | the network's | comma-separated RPC URLs, tried in order |
/// | `SONIC_RPC_TIMEOUT` | `5` | seconds for one RPC call |
/// | `SONIC_RPC_MAX_IN_FLIGHT` | `32` | sonic-fcgi's calls at once to one RPC host (providers limit them) |
/// | `SONIC_RPC_MAX_QUEUED` | `128` | sonic-fcgi's calls waiting for one RPC host beyond those (a wait counts against the call's timeout); more are answered 503 at once |
/// | `SONIC_REQUEST_DEADLINE` | `5` | seconds an API request may spend on node calls: past it they are given up, and the answer is the stale value with its age or 503 |
/// | `SONIC_DB_PATH` | `var/sonic.sqlite` | the SQLite database file |
/// | `SONIC_DATABASE_URL` | (none) | `postgres://user[:password]@host[:port]/database`: every table on PostgreSQL instead of `SONIC_DB_PATH` (several app hosts; docs/operations.md); its password is never written anywhere |
/// | `SONIC_FCGI_LISTEN` | `127.0.0.1:9146` | FastCGI address (`host:port` or a socket path) |
/// | `SONIC_FCGI_THREADS` | 8 × cores (16 on 2 cores) | FastCGI worker threads: the API requests handled at once (idle kept connections and parked long-polls hold none) |
/// | `SONIC_DEPLOYMENTS_DIR` | `deployments` | folder of `<network>.json` contract addresses |
/// | `SONIC_BALANCE_TTL` | `1` | seconds a balance (and the network's state, fee suggestions, subscription status, the health report) is served from cache without asking the node |
/// | `SONIC_MAX_STALENESS` | `300` | seconds a cached balance may be served while the node is down |
/// | `SONIC_PUBLIC_ORIGIN` | `http://127.0.0.1:8080` | the dashboard's origin: sign-in messages must name its host, browsers' `Origin` must equal it |
/// | `SONIC_KNOWLEDGE_DIR` | `docs/knowledge` | articles the agent answers general questions from |
/// | `SONIC_RATE_LIMIT_PER_MINUTE` | `60` | requests per minute per client IP (twice that per signed-in session, four times for subscribers); `0` turns it off |
/// | `SONIC_IP_CEILING_PER_MINUTE` | 16 × the rate limit (960) | requests per minute from one client IP over all its sessions; `0` turns it off |
/// | `SONIC_SIGN_INS_PER_HOUR` | `60` | sign-in requests (nonce and verify, two a sign-in) per hour per client IP; `0` turns it off |
/// | `SONIC_LLM_CALLS_PER_DAY` | `100` | language-model calls per day per signed-in address (per client IP when signed out), four times for subscribers; `0` turns it off |
/// | `SONIC_INDEX_ALL` | `1` on devnet, else `0` | index every transaction (`1`) or only those of watched addresses (`0`) |
/// | `SONIC_WATCH_ADDRESSES` | none | comma-separated addresses the indexer always watches |
/// | `SONIC_WATCH_SECONDS` | `604800` | how long a lookup or a sign-in watches an address (looked up again, it is watched again and the gap filled) |
/// | `SONIC_LOGS_ADDRESSES_PER_FILTER` | `100` | addresses in one `eth_getLogs` topic list; more watched addresses take more calls |
/// | `SONIC_KEEP_CONVERSATIONS_SECONDS` | `2592000` | seconds a conversation with the agent is kept after its last message |
/// | `SONIC_KEEP_CACHE_SECONDS` | `86400` | seconds a cached chain read is kept in the database |
/// | `SONIC_KEEP_TRACKED_SECONDS` | `2592000` | seconds a settled tracked transaction is kept after it settled |
/// | `SONIC_SYNC_START` | `0` when indexing all, else the head | block a fresh index starts at |
/// | `SONIC_ETHERSCAN_API_KEY` | none | Etherscan V2 key: backfills watched addresses' older history |
/// | `SONIC_CONTENT_DIR` | `var/ipfs` | the embedded content store (NFT images and metadata, by CID) |
/// | `SONIC_NFT_MAX_BYTES` | `10485760` | largest NFT upload accepted, image and other fields together (bytes, 65536 or more; nginx.conf has the same bound) |
/// | `SONIC_KUBO_API_URL` | none | a kubo node's RPC (`http://127.0.0.1:5001`): NFT uploads are also added and pinned there once minted |
/// | `SONIC_PINATA_JWT` | none | a Pinata JWT: NFT uploads are also pinned to Pinata once minted |
/// | `SONIC_PINATA_URL` | `https://api.pinata.cloud` | Pinata's API |
/// | `SONIC_LLM_PROVIDER` | none | `gemini` or `openai` (any OpenAI-compatible server): helps the agent with what it cannot place |
/// | `SONIC_LLM_URL` | the provider's | API base: `https://generativelanguage.googleapis.com`, `https://api.openai.com/v1`, or a local server's `/v1` |
/// | `SONIC_LLM_MODEL` | `gemini-2.5-flash` / `gpt-4o-mini` | the model |
/// | `SONIC_LLM_API_KEY` | none | the provider's key (never logged; optional for local servers) |
/// | `SONIC_LLM_TIMEOUT` | `8` | seconds to wait for the model before answering without it |
/// | `SONIC_ETHERSCAN_URL` | `https://api.etherscan.io/v2/api` | the Etherscan V2 endpoint |
/// | `SONIC_LONG_POLLS_PER_CLIENT` | `20` | long-polls one client IP may have waiting at once (more: 429); `0` turns the cap off |
/// | `SONIC_UNKNOWN_TX_PER_CLIENT` | `5` | hashes not yet seen known to the node that one client IP may have tracked at once; past that only known ones (else 429) |
/// | `SONIC_UNKNOWN_TX_SECONDS` | `60` | seconds a tracked hash the node does not know is kept before it is `dropped` |
/// | `SONIC_UPLOADS_PER_DAY` | `20` | NFT uploads one signed-in address may make in any 24 hours (more: 429) |
/// | `SONIC_UPLOAD_BYTES_PER_DAY` | `104857600` | bytes of NFT uploads one address may make in any 24 hours (more: 429) |
/// | `SONIC_UNMINTED_KEEP_SECONDS` | `604800` | seconds an upload never minted is kept before it is removed from the content store |
/// | `SONIC_ALERTS_PER_ADDRESS` | `3` | alerts a signed-in address may set (shown in the page) |
/// | `SONIC_ALERTS_PER_SUBSCRIBER` | `20` | alerts a Premium subscriber may set, which may also go to a webhook |
/// | `SONIC_WEBHOOK_ALLOW_PRIVATE` | `0` | `1` lets webhooks go to loopback and private addresses (tests and local set-ups only) |
/// | `SONIC_KYBERSWAP_URL` | none | KyberSwap's aggregator API (`https://aggregator-api.kyberswap.com`): swap quotes are compared with the router's and the better one is used |
/// | `SONIC_KYBERSWAP_CHAIN` | `sonic` | KyberSwap's name for the chain (the path's first part) |
/// | `SONIC_KYBERSWAP_CLIENT_ID` | `smart-sonic` | sent as `x-client-id`, as KyberSwap asks |
/// | `SONIC_KYBERSWAP_ROUTER` | `0x6131B5fae19EA4f9D964eAc0408E4408b66337b5` | the only router KyberSwap's answers may name (its MetaAggregationRouterV2); any other is refused |
/// | `SONIC_EXPORTS_AT_ONCE` | an eighth of `SONIC_FCGI_THREADS`, at least 1 | history CSV exports written at once (each holds a worker until its last row; more: 503 with Retry-After) |
/// | `SONIC_PRICE_MAX_AGE` | `90000` | seconds after which the S/USD feed's answer is stale: no USD values then (a day's heartbeat and an hour) |
/// | `SONIC_WATCH_RECEIPTS_PER_TICK` | `100` | pending transactions the watcher asks the node about per 0.25 s tick (one batch each for receipts and, when needed, the transactions) |
///
/// The same table is in README.md; keep them together.
public struct Configuration: Sendable, Equatable {
    public var network: Network
    public var rpcTimeout: Double
    public var rpcMaxInFlight: Int
    public var rpcMaxQueued: Int
    public var requestDeadline: Double
    public var databasePath: String
    /// PostgreSQL instead of the SQLite file, when set (`SONIC_DATABASE_URL`); holds a password.
    public var databaseURL: String?
    public var fastCGIListen: String
    public var fastCGIThreads: Int

    /// The default FastCGI threads: requests handled at once, most of them quick (cache hits) and
    /// some waiting on the node. Connections nginx keeps idle and parked long-polls hold no thread,
    /// and more threads than this only lengthen the tail on a busy machine (docs/benchmarks.md).
    public static var defaultThreads: Int { 8 * ProcessInfo.processInfo.activeProcessorCount }
    public var deploymentsDirectory: String
    public var balanceTTL: Double
    public var maxStaleness: Double
    public var publicOrigin: String
    public var rateLimitPerMinute: Int
    /// Requests a minute from one client IP, whatever sessions it holds.
    public var ipCeilingPerMinute: Int
    /// Nonce and verify requests an hour from one client IP.
    public var signInsPerHour: Int
    /// Language-model calls a day per address (or client IP when signed out).
    public var llmCallsPerDay: Int
    public var knowledgeDirectory: String
    public var indexAll: Bool
    public var watchAddresses: [Address]
    public var syncStart: UInt64?
    public var etherscanAPIKey: Secret?
    public var etherscanURL: String
    public var contentDirectory: String
    public var kuboAPIURL: String?
    public var pinataJWT: Secret?
    public var pinataURL: String
    /// The language model's provider, when one helps the agent.
    public var llmProvider: LLMProvider?
    public var llmURL: String
    public var llmModel: String
    public var llmAPIKey: Secret?
    public var llmTimeout: Double
    public var nftMaxBytes: Int
    public var longPollsPerClient: Int
    public var unknownTransactionsPerClient: Int
    public var unknownTransactionSeconds: Double
    public var watchReceiptsPerTick: Int
    public var uploadsPerDay: Int
    public var uploadBytesPerDay: Int
    public var unmintedKeepSeconds: Double
    public var watchSeconds: Double
    public var logsAddressesPerFilter: Int
    public var keepConversationsSeconds: Double
    public var keepCacheSeconds: Double
    public var keepTrackedSeconds: Double
    public var alertsPerAddress: Int
    public var alertsPerSubscriber: Int
    public var webhookAllowPrivate: Bool
    /// History CSV exports written at once.
    public var exportsAtOnce: Int
    /// KyberSwap's aggregator API base, when swaps should also be quoted there.
    public var kyberSwapURL: String?
    public var kyberSwapChain: String
    public var kyberSwapClientID: String
    /// The only router KyberSwap's answers may name.
    public var kyberSwapRouter: Address
    public static let defaultKyberSwapRouter = try! Address("0x6131B5fae19EA4f9D964eAc0408E4408b66337b5")
    /// Seconds after which the S/USD feed's answer is stale.
    public var priceMaximumAge: UInt64
    public static let defaultPriceMaximumAge: UInt64 = 90_000

    public static let variables = [
        "SONIC_NETWORK", "SONIC_RPC_URLS", "SONIC_RPC_TIMEOUT", "SONIC_RPC_MAX_IN_FLIGHT", "SONIC_RPC_MAX_QUEUED", "SONIC_REQUEST_DEADLINE", "SONIC_DB_PATH", "SONIC_DATABASE_URL", "SONIC_FCGI_LISTEN", "SONIC_FCGI_THREADS",
        "SONIC_DEPLOYMENTS_DIR", "SONIC_BALANCE_TTL", "SONIC_MAX_STALENESS", "SONIC_PUBLIC_ORIGIN", "SONIC_RATE_LIMIT_PER_MINUTE", "SONIC_IP_CEILING_PER_MINUTE",
        "SONIC_SIGN_INS_PER_HOUR", "SONIC_LLM_CALLS_PER_DAY", "SONIC_KNOWLEDGE_DIR",
        "SONIC_INDEX_ALL", "SONIC_WATCH_ADDRESSES", "SONIC_SYNC_START", "SONIC_ETHERSCAN_API_KEY", "SONIC_ETHERSCAN_URL",
        "SONIC_CONTENT_DIR", "SONIC_NFT_MAX_BYTES", "SONIC_KUBO_API_URL", "SONIC_PINATA_JWT", "SONIC_PINATA_URL",
        "SONIC_LLM_PROVIDER", "SONIC_LLM_URL", "SONIC_LLM_MODEL", "SONIC_LLM_API_KEY", "SONIC_LLM_TIMEOUT",
        "SONIC_LONG_POLLS_PER_CLIENT", "SONIC_UNKNOWN_TX_PER_CLIENT", "SONIC_UNKNOWN_TX_SECONDS", "SONIC_WATCH_RECEIPTS_PER_TICK",
        "SONIC_UPLOADS_PER_DAY", "SONIC_UPLOAD_BYTES_PER_DAY", "SONIC_UNMINTED_KEEP_SECONDS",
        "SONIC_WATCH_SECONDS", "SONIC_LOGS_ADDRESSES_PER_FILTER", "SONIC_KEEP_CONVERSATIONS_SECONDS", "SONIC_KEEP_CACHE_SECONDS",
        "SONIC_KEEP_TRACKED_SECONDS", "SONIC_ALERTS_PER_ADDRESS", "SONIC_ALERTS_PER_SUBSCRIBER", "SONIC_WEBHOOK_ALLOW_PRIVATE",
        "SONIC_PRICE_MAX_AGE", "SONIC_KYBERSWAP_URL", "SONIC_KYBERSWAP_CHAIN", "SONIC_KYBERSWAP_CLIENT_ID", "SONIC_KYBERSWAP_ROUTER",
        "SONIC_EXPORTS_AT_ONCE",
    ]

    /// Reads the configuration from `environment`, falling back to the defaults above.
    /// - Throws: `ConfigurationError` naming the variable and what it accepts.
    public init(environment: [String: String]) throws(ConfigurationError) {
        let networkName = environment["SONIC_NETWORK", default: "devnet"]
        guard let network = Network.named(networkName) else {
            throw .invalid(variable: "SONIC_NETWORK", value: networkName, accepted: "devnet, testnet or mainnet")
        }
        if let urls = environment["SONIC_RPC_URLS"], !urls.isEmpty {
            let list = urls.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for url in list where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw .invalid(variable: "SONIC_RPC_URLS", value: url, accepted: "http:// or https:// URLs, comma-separated")
            }
            self.network = network.with(rpcURLs: list)
        } else {
            self.network = network
        }
        rpcTimeout = try Self.number(environment, "SONIC_RPC_TIMEOUT", default: 5, range: 0.1...120)
        rpcMaxInFlight = Int(try Self.number(environment, "SONIC_RPC_MAX_IN_FLIGHT", default: 32, range: 1...4096, integer: true))
        rpcMaxQueued = Int(try Self.number(environment, "SONIC_RPC_MAX_QUEUED", default: 128, range: 0...65_536, integer: true))
        requestDeadline = try Self.number(environment, "SONIC_REQUEST_DEADLINE", default: 5, range: 0.1...120)
        databasePath = environment["SONIC_DB_PATH", default: "var/sonic.sqlite"]
        databaseURL = environment["SONIC_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = databaseURL, url.utf8.count > 2_048 || !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            // The value may hold a password: never repeated in the error.
            throw .invalid(variable: "SONIC_DATABASE_URL", value: "(\(url.utf8.count) characters, not shown)",
                           accepted: "a postgres:// or postgresql:// URL of at most 2,048 characters")
        }
        fastCGIListen = environment["SONIC_FCGI_LISTEN", default: "127.0.0.1:9146"]
        fastCGIThreads = Int(try Self.number(environment, "SONIC_FCGI_THREADS", default: Double(Self.defaultThreads), range: 1...1024, integer: true))
        exportsAtOnce = Int(try Self.number(environment, "SONIC_EXPORTS_AT_ONCE", default: Double(max(1, fastCGIThreads / 8)),
                                            range: 1...Double(fastCGIThreads), integer: true))
        deploymentsDirectory = environment["SONIC_DEPLOYMENTS_DIR", default: "deployments"]
        balanceTTL = try Self.number(environment, "SONIC_BALANCE_TTL", default: 1, range: 0...3600)
        maxStaleness = try Self.number(environment, "SONIC_MAX_STALENESS", default: 300, range: 0...86_400)
        publicOrigin = environment["SONIC_PUBLIC_ORIGIN", default: "http://127.0.0.1:8080"]
        guard let url = URL(string: publicOrigin), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
              url.path.isEmpty || url.path == "/" else {
            throw .invalid(variable: "SONIC_PUBLIC_ORIGIN", value: publicOrigin, accepted: "an origin such as https://sonic.example or http://127.0.0.1:8080")
        }
        if publicOrigin.hasSuffix("/") { publicOrigin.removeLast() }
        knowledgeDirectory = environment["SONIC_KNOWLEDGE_DIR", default: "docs/knowledge"]
        rateLimitPerMinute = Int(try Self.number(environment, "SONIC_RATE_LIMIT_PER_MINUTE", default: 60, range: 0...1_000_000_000, integer: true))
        // Several times a subscriber's limit (4×): a household or an office behind one address.
        ipCeilingPerMinute = Int(try Self.number(environment, "SONIC_IP_CEILING_PER_MINUTE", default: Double(16 * rateLimitPerMinute),
                                                 range: 0...16_000_000_000, integer: true))
        signInsPerHour = Int(try Self.number(environment, "SONIC_SIGN_INS_PER_HOUR", default: 60, range: 0...1_000_000_000, integer: true))
        llmCallsPerDay = Int(try Self.number(environment, "SONIC_LLM_CALLS_PER_DAY", default: 100, range: 0...1_000_000_000, integer: true))
        switch environment["SONIC_INDEX_ALL", default: ""].lowercased() {
        case "": indexAll = network.name == "devnet"
        case "1", "true", "yes": indexAll = true
        case "0", "false", "no": indexAll = false
        case let other: throw .invalid(variable: "SONIC_INDEX_ALL", value: other, accepted: "1 or 0")
        }
        watchAddresses = []
        for text in environment["SONIC_WATCH_ADDRESSES", default: ""].split(separator: ",") {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let address = try? Address(trimmed) else {
                throw .invalid(variable: "SONIC_WATCH_ADDRESSES", value: trimmed, accepted: "comma-separated 0x addresses of 40 hex digits")
            }
            watchAddresses.append(address)
        }
        if let text = environment["SONIC_SYNC_START"], !text.isEmpty {
            guard let block = UInt64(text), block <= UInt64(Int64.max) else {
                throw .invalid(variable: "SONIC_SYNC_START", value: text, accepted: "a block number")
            }
            syncStart = block
        } else {
            syncStart = nil
        }
        etherscanAPIKey = environment["SONIC_ETHERSCAN_API_KEY"].flatMap { $0.isEmpty ? nil : Secret(Array($0.utf8)) }
        etherscanURL = environment["SONIC_ETHERSCAN_URL", default: "https://api.etherscan.io/v2/api"]
        contentDirectory = environment["SONIC_CONTENT_DIR", default: "var/ipfs"]
        kuboAPIURL = environment["SONIC_KUBO_API_URL"].flatMap { $0.isEmpty ? nil : ($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
        pinataJWT = environment["SONIC_PINATA_JWT"].flatMap { $0.isEmpty ? nil : Secret(Array($0.utf8)) }
        pinataURL = environment["SONIC_PINATA_URL", default: "https://api.pinata.cloud"]
        switch environment["SONIC_LLM_PROVIDER", default: ""] {
        case "", "none": llmProvider = nil
        case let text:
            guard let provider = LLMProvider(rawValue: text) else {
                throw .invalid(variable: "SONIC_LLM_PROVIDER", value: text, accepted: "gemini, openai or none")
            }
            llmProvider = provider
        }
        llmURL = environment["SONIC_LLM_URL"].flatMap { $0.isEmpty ? nil : ($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
            ?? (llmProvider == .gemini ? "https://generativelanguage.googleapis.com" : "https://api.openai.com/v1")
        llmModel = environment["SONIC_LLM_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? (llmProvider == .gemini ? "gemini-2.5-flash" : "gpt-4o-mini")
        guard llmModel.allSatisfy({ $0.isLetter || $0.isNumber || "-._:/".contains($0) }) else {
            throw .invalid(variable: "SONIC_LLM_MODEL", value: llmModel, accepted: "a model name of letters, digits and - . _ : /")
        }
        llmAPIKey = environment["SONIC_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : Secret(Array($0.utf8)) }
        llmTimeout = try Self.number(environment, "SONIC_LLM_TIMEOUT", default: 8, range: 0.5...120)
        if llmProvider == .gemini && llmAPIKey == nil {
            throw .invalid(variable: "SONIC_LLM_API_KEY", value: "", accepted: "a Gemini API key when SONIC_LLM_PROVIDER=gemini")
        }
        kyberSwapURL = environment["SONIC_KYBERSWAP_URL"].flatMap { $0.isEmpty ? nil : ($0.hasSuffix("/") ? String($0.dropLast()) : $0) }
        kyberSwapChain = environment["SONIC_KYBERSWAP_CHAIN", default: "sonic"]
        guard (1...32).contains(kyberSwapChain.count), kyberSwapChain.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw .invalid(variable: "SONIC_KYBERSWAP_CHAIN", value: kyberSwapChain, accepted: "KyberSwap's chain name: lower-case letters, digits and -, e.g. sonic")
        }
        kyberSwapClientID = environment["SONIC_KYBERSWAP_CLIENT_ID", default: "smart-sonic"]
        guard (1...64).contains(kyberSwapClientID.count), kyberSwapClientID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw .invalid(variable: "SONIC_KYBERSWAP_CLIENT_ID", value: kyberSwapClientID, accepted: "1 to 64 letters, digits, -, _ or .")
        }
        let router = environment["SONIC_KYBERSWAP_ROUTER", default: ""]
        if router.isEmpty { kyberSwapRouter = Self.defaultKyberSwapRouter } else {
            guard let address = try? Address(router) else {
                throw .invalid(variable: "SONIC_KYBERSWAP_ROUTER", value: router, accepted: "a contract address (0x and 40 hex digits)")
            }
            kyberSwapRouter = address
        }
        for (variable, url) in [("SONIC_KUBO_API_URL", kuboAPIURL), ("SONIC_PINATA_URL", pinataURL), ("SONIC_LLM_URL", llmURL),
                                ("SONIC_KYBERSWAP_URL", kyberSwapURL)] {
            if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw .invalid(variable: variable, value: url, accepted: "an http:// or https:// URL")
            }
        }
        nftMaxBytes = Int(try Self.number(environment, "SONIC_NFT_MAX_BYTES", default: 10_485_760, range: 65_536...104_857_600, integer: true))
        longPollsPerClient = Int(try Self.number(environment, "SONIC_LONG_POLLS_PER_CLIENT", default: 20, range: 0...1_000_000, integer: true))
        unknownTransactionsPerClient = Int(try Self.number(environment, "SONIC_UNKNOWN_TX_PER_CLIENT", default: 5, range: 0...1_000_000, integer: true))
        unknownTransactionSeconds = try Self.number(environment, "SONIC_UNKNOWN_TX_SECONDS", default: 60, range: 1...86_400)
        watchReceiptsPerTick = Int(try Self.number(environment, "SONIC_WATCH_RECEIPTS_PER_TICK", default: 100, range: 1...10_000, integer: true))
        uploadsPerDay = Int(try Self.number(environment, "SONIC_UPLOADS_PER_DAY", default: 20, range: 0...1_000_000, integer: true))
        uploadBytesPerDay = Int(try Self.number(environment, "SONIC_UPLOAD_BYTES_PER_DAY", default: 104_857_600, range: 0...1_099_511_627_776, integer: true))
        unmintedKeepSeconds = try Self.number(environment, "SONIC_UNMINTED_KEEP_SECONDS", default: 604_800, range: 1...31_536_000)
        watchSeconds = try Self.number(environment, "SONIC_WATCH_SECONDS", default: 604_800, range: 1...315_360_000)
        logsAddressesPerFilter = Int(try Self.number(environment, "SONIC_LOGS_ADDRESSES_PER_FILTER", default: 100, range: 1...10_000, integer: true))
        keepConversationsSeconds = try Self.number(environment, "SONIC_KEEP_CONVERSATIONS_SECONDS", default: 2_592_000, range: 60...315_360_000)
        keepCacheSeconds = try Self.number(environment, "SONIC_KEEP_CACHE_SECONDS", default: 86_400, range: 60...315_360_000)
        keepTrackedSeconds = try Self.number(environment, "SONIC_KEEP_TRACKED_SECONDS", default: 2_592_000, range: 60...315_360_000)
        alertsPerAddress = Int(try Self.number(environment, "SONIC_ALERTS_PER_ADDRESS", default: 3, range: 0...1_000, integer: true))
        alertsPerSubscriber = Int(try Self.number(environment, "SONIC_ALERTS_PER_SUBSCRIBER", default: 20, range: 0...1_000, integer: true))
        priceMaximumAge = UInt64(try Self.number(environment, "SONIC_PRICE_MAX_AGE", default: Double(Self.defaultPriceMaximumAge),
                                                 range: 60...31_536_000, integer: true))
        switch environment["SONIC_WEBHOOK_ALLOW_PRIVATE", default: "0"].lowercased() {
        case "1", "true", "yes": webhookAllowPrivate = true
        case "0", "false", "no", "": webhookAllowPrivate = false
        case let other: throw .invalid(variable: "SONIC_WEBHOOK_ALLOW_PRIVATE", value: other, accepted: "1 or 0")
        }
        guard keepCacheSeconds >= maxStaleness else {
            throw .invalid(variable: "SONIC_KEEP_CACHE_SECONDS", value: environment["SONIC_KEEP_CACHE_SECONDS"] ?? "",
                           accepted: "at least SONIC_MAX_STALENESS (\(Int(maxStaleness)) s): a stale balance is served from the cached row")
        }
        guard etherscanURL.hasPrefix("http://") || etherscanURL.hasPrefix("https://") else {
            throw .invalid(variable: "SONIC_ETHERSCAN_URL", value: etherscanURL, accepted: "an http:// or https:// URL")
        }
    }

    private static func number(
        _ environment: [String: String], _ name: String, default value: Double, range: ClosedRange<Double>, integer: Bool = false
    ) throws(ConfigurationError) -> Double {
        guard let text = environment[name], !text.isEmpty else { return value }
        let accepted = integer ? "a whole number from \(Int(range.lowerBound)) to \(Int(range.upperBound))"
            : "a number of seconds from \(range.lowerBound) to \(range.upperBound)"
        guard let number = Double(text), range.contains(number), !integer || number == number.rounded() else {
            throw .invalid(variable: name, value: text, accepted: accepted)
        }
        return number
    }

    /// Who serves the language model that helps the agent (`SONIC_LLM_PROVIDER`).
    public enum LLMProvider: String, Sendable, Equatable, CaseIterable {
        /// Google Gemini's generateContent API.
        case gemini
        /// Any OpenAI-compatible chat-completions server (OpenAI, llama.cpp, Ollama).
        case openai
    }
}

/// A setting that cannot be used, named with what would be accepted.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(variable: String, value: String, accepted: String)

    public var description: String {
        switch self {
        case .invalid(let variable, let value, let accepted): "\(variable)=\"\(value)\" is not valid: expected \(accepted)"
        }
    }
}
