import ArgumentParser
import FastCGI
import Foundation
import Logging
import SonicAPI
import SonicApp
import SonicConfig

struct SonicFCGI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic-fcgi",
        abstract: "Smart Sonic's API: a FastCGI responder for nginx.",
        discussion: """
            Serves /api/… behind nginx (see nginx.conf). Settings come from the environment:
              SONIC_NETWORK       devnet | testnet | mainnet (default devnet)
              SONIC_RPC_URLS      comma-separated RPC URLs (default: the network's)
              SONIC_RPC_TIMEOUT   seconds per RPC call (default 5)
              SONIC_RPC_MAX_IN_FLIGHT  calls at once to one RPC host (default 32)
              SONIC_RPC_MAX_QUEUED     calls waiting for one RPC host beyond those; more get 503 (default 128)
              SONIC_REQUEST_DEADLINE   seconds a request may spend on node calls (default 5)
              SONIC_DB_PATH       SQLite database file (default var/sonic.sqlite)
              SONIC_DATABASE_URL  postgres://user[:password]@host[:port]/db: every table on PostgreSQL instead (several hosts)
              SONIC_FCGI_LISTEN   host:port or socket path (default 127.0.0.1:9146)
              SONIC_FCGI_THREADS  worker threads: requests handled at once (default 8 × cores)
              SONIC_DEPLOYMENTS_DIR  contract addresses per network (default deployments)
              SONIC_BALANCE_TTL   seconds a cached balance, network state, subscription status or health report is fresh (default 1)
              SONIC_MAX_STALENESS seconds a stale balance may be served while the node is down (default 300)
              SONIC_PUBLIC_ORIGIN the dashboard's origin (default http://127.0.0.1:8080)
              SONIC_RATE_LIMIT_PER_MINUTE  per client IP; 0 turns it off (default 60)
              SONIC_IP_CEILING_PER_MINUTE  per client IP over all its sessions (default 16 × the rate limit)
              SONIC_SIGN_INS_PER_HOUR      nonce and verify requests per client IP (default 60)
              SONIC_LLM_CALLS_PER_DAY      language-model calls per address, 4× for subscribers (default 100)
              SONIC_KNOWLEDGE_DIR articles for the agent (default docs/knowledge)
              SONIC_INDEX_ALL     1: the indexer keeps everything (devnet default); 0: watched addresses
              SONIC_CONTENT_DIR   NFT images and metadata by CID (default var/ipfs)
              SONIC_NFT_MAX_BYTES largest NFT upload accepted, image and fields together (default 10485760, at least 65536; nginx.conf has the same bound)
              SONIC_LONG_POLLS_PER_CLIENT  long-polls one client IP may have waiting; 0: no cap (default 20)
              SONIC_UNKNOWN_TX_PER_CLIENT  hashes unknown to the node one client IP may track at once (default 5)
              SONIC_UNKNOWN_TX_SECONDS     seconds such a hash is kept before it is dropped (default 60)
              SONIC_WATCH_RECEIPTS_PER_TICK  pending transactions asked about per 0.25 s (default 100)
              SONIC_UPLOADS_PER_DAY        NFT uploads per address in any 24 hours (default 20)
              SONIC_UPLOAD_BYTES_PER_DAY   their bytes (default 104857600)
              SONIC_UNMINTED_KEEP_SECONDS  an upload never minted is removed after (default 604800)
              SONIC_WATCH_SECONDS          a lookup or sign-in watches an address for (default 604800)
              SONIC_ALERTS_PER_ADDRESS     alerts a signed-in address may set (default 3)
              SONIC_ALERTS_PER_SUBSCRIBER  alerts, with webhooks, for a Premium subscriber (default 20)
              SONIC_WEBHOOK_ALLOW_PRIVATE  1: webhooks may go to private addresses (tests only; default 0)
              SONIC_EXPORTS_AT_ONCE        history CSV exports written at once (default threads / 8, at least 1)
              SONIC_PRICE_MAX_AGE          seconds after which the S/USD price is stale (default 90000)
              SONIC_KYBERSWAP_URL          KyberSwap's aggregator API: swaps quoted there too, the better used (default none)
            The full list, with the rest (pinning, language model, retention): README.md, Configuration.
            Options below override the environment. Stops gracefully on SIGTERM or SIGINT.
            """)

    @Option(help: "FastCGI address: host:port, :port or a Unix socket path.")
    var listen: String?

    @Option(help: "Number of worker threads.")
    var threads: Int?

    func run() throws {
        FastCGIServer.blockStopSignals()
        var settings = try Configuration(environment: ProcessInfo.processInfo.environment)
        if let listen { settings.fastCGIListen = listen }
        if let threads {
            guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
            settings.fastCGIThreads = threads
        }
        let app = App(configuration: settings)
        let api = API(app: app)
        let server = FastCGIServer(address: settings.fastCGIListen, threads: settings.fastCGIThreads, bodyLimit: api.bodyLimit, handler: api.handle)
        let network = settings.network
        logger.info("sonic-fcgi: \(network.name) (chain id \(network.chainID)), listening on \(settings.fastCGIListen) with \(settings.fastCGIThreads) threads")
        app.start()
        let signal = try server.runUntilSignalled(beforeExit: app.stop)
        logger.info("sonic-fcgi: stopped on signal \(signal)")
    }
}

/// glibc raises its mmap threshold to the largest block freed so far; after a burst of large
/// bodies each worker's arena then keeps them (30 MB after bursts of 1 MB requests). A fixed
/// threshold (`M_MMAP_THRESHOLD`, which Swift's Glibc module does not export) maps every block
/// past 128 KiB on its own and returns it when freed (docs/benchmarks.md, hostile inputs).
func returnLargeBlocksToTheSystem() {
    typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: MallOpt.self)(mmapThreshold, 128 * 1024)
}

returnLargeBlocksToTheSystem()
LineLogHandler.bootstrap()
let logger = Logger(label: "sonic-fcgi")
SonicFCGI.main()
