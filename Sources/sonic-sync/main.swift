import ArgumentParser
import Ethereum
import Foundation
import Logging
import Postgres
import SonicAlerts
import SonicChain
import SonicConfig
import SonicStore
import SonicSync

struct SonicSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic-sync",
        abstract: "Smart Sonic's indexer: follows the chain and writes transactions and decoded activity to SQLite.",
        discussion: """
            Reads SONIC_NETWORK, SONIC_RPC_URLS, SONIC_RPC_TIMEOUT, SONIC_DB_PATH (or SONIC_DATABASE_URL for PostgreSQL: one active \
            indexer and one alert runner across hosts, the others wait as standbys and take over when it stops or dies), SONIC_DEPLOYMENTS_DIR, SONIC_INDEX_ALL, \
            SONIC_WATCH_ADDRESSES, SONIC_SYNC_START, SONIC_ETHERSCAN_API_KEY, SONIC_ETHERSCAN_URL, \
            SONIC_LOGS_ADDRESSES_PER_FILTER (addresses per eth_getLogs topic list, default 100), \
            SONIC_WEBHOOK_ALLOW_PRIVATE (1: alerts' webhooks may go to private addresses; tests only), and the ages past which it \
            removes rows: SONIC_KEEP_CONVERSATIONS_SECONDS, SONIC_KEEP_CACHE_SECONDS, SONIC_KEEP_TRACKED_SECONDS (see README.md \
            and docs/indexer.md). On SQLite, one sonic-sync per database: a second one refuses to start.
            """,
        subcommands: [Run.self, Status.self, Backfill.self, Backup.self, CopyToPostgres.self],
        defaultSubcommand: Run.self)

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Index new blocks until stopped (SIGTERM or SIGINT).")

        @Option(help: "Seconds to wait for a new block when caught up.")
        var interval: Double = 0.25

        @Option(help: "Seconds between progress lines in the log.")
        var progressEvery: Double = 5

        @Flag(help: "Index up to the current head, print the last indexed block and exit.")
        var once = false

        func validate() throws {
            guard interval > 0, interval <= 60 else { throw ValidationError("--interval must be more than 0 and at most 60 seconds") }
            guard progressEvery > 0 else { throw ValidationError("--progress-every must be more than 0 seconds") }
        }

        func run() throws {
            StopSignal.install()
            let sync: SyncProcess
            do {
                sync = try SyncProcess(configuration: try Configuration(environment: ProcessInfo.processInfo.environment), logger: logger,
                                       stillWanted: { !StopSignal.wait(0) })
            } catch is SyncStandbyEnded {
                logger.info("sonic-sync: stopped while waiting as a standby")
                return
            }
            defer { sync.close() }
            let network = sync.settings.network
            let scope = sync.settings.indexAll ? "every transaction" : "watched addresses only"
            let database = sync.settings.databaseURL == nil ? sync.settings.databasePath : "PostgreSQL (SONIC_DATABASE_URL)"
            logger.info("sonic-sync: indexing \(network.name) (chain id \(network.chainID)) into \(database), \(scope)")
            var options = SyncLoop.Options()
            options.interval = interval
            options.progressEvery = progressEvery
            options.once = once
            let loop = SyncLoop(options: options, logger: logger, step: sync.step, idle: sync.idle, wait: StopSignal.wait)
            // The alerts people set: gone through as the index grows, webhooks delivered (not for --once).
            let alerts = once ? nil : makeAlertRunner(sync)
            defer { alerts?.runner.stop(); alerts?.transport.stop() }
            let outcome: SyncLoop.Outcome
            do { outcome = try loop.run() } catch { throw ExitCode.failure }  // the loop logged why
            switch outcome {
            case .caughtUp(let indexed):
                print(indexed.map(String.init) ?? "nothing indexed")
            case .stopped:
                let state = try? blocking(sync.store) { store async throws(StoreError) in try await store.indexerState(chainID: network.chainID) }
                logger.info("sonic-sync: stopped at block \(state?.indexed ?? 0)")
            }
        }

        /// The alert engine and the webhook deliveries on a thread of their own, over their own
        /// transport (a slow webhook never delays the indexer or the node's calls).
        func makeAlertRunner(_ sync: SyncProcess) -> (runner: AlertRunner, transport: CurlMultiTransport) {
            let transport = CurlMultiTransport(connectTimeout: 3, totalTimeout: 5, maxInFlight: 4, maxQueued: 64, threadName: "curl-webhooks")
            // On PostgreSQL one sonic-sync across hosts runs them (its own lock beside the
            // indexer's), writing through the role's store.
            let role = sync.activeRole(.alerts) { active in
                logger.info("alerts: \(active ? "active in this sonic-sync" : "standing by (another sonic-sync runs them)")")
            }
            let store: any AppDatabase = role?.store ?? sync.store
            let deliverer = WebhookDeliverer(repository: store, attemptLog: sync.store, transport: transport, allowPrivate: sync.settings.webhookAllowPrivate)
            var premiumEnd: AlertEngine.PremiumEnd?
            if let contract = sync.subscriptionContract {
                let subscription = SubscriptionContract(address: contract, client: sync.client)
                premiumEnd = { address in try await subscription.expiresAt(address) }
            }
            let runner = AlertRunner(engine: AlertEngine(repository: store), deliverer: deliverer, premiumEnd: premiumEnd, role: role, logger: logger)
            return (runner, transport)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print how far the index has got: last block, head, lag, blocks written.")

        func run() throws {
            let sync = try SyncProcess(configuration: try Configuration(environment: ProcessInfo.processInfo.environment), logger: logger, takeLock: false)
            defer { sync.close() }
            let (settings, chainID) = (sync.settings, sync.settings.network.chainID)
            guard let state = try blocking(sync.store, { store async throws(StoreError) in try await store.indexerState(chainID: chainID) }) else {
                print("\(settings.network.name): nothing indexed yet")
                return
            }
            let head = state.chainHead.map(String.init) ?? "?"
            let lag = state.lag.map(String.init) ?? "?"
            print("\(settings.network.name): indexed to block \(state.indexed) of \(head) (lag \(lag)), "
                  + "\(state.blocksTotal) blocks written, updated \(state.updatedAt.ISO8601Format())")
        }
    }

    struct Backfill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch an address and fetch its older history from Etherscan (needs SONIC_ETHERSCAN_API_KEY).")

        @Argument(help: "The address (0x and 40 hex digits).")
        var address: String

        func run() throws {
            let sync = try SyncProcess(configuration: try Configuration(environment: ProcessInfo.processInfo.environment), logger: logger, takeLock: false)
            guard let backfill = sync.backfill else {
                throw ValidationError("set SONIC_ETHERSCAN_API_KEY to backfill from Etherscan")
            }
            let address: Address
            do { address = try Address(self.address) } catch {
                throw ValidationError("address: \(error)")
            }
            _ = try blocking(sync.store) { store async throws(StoreError) in try await store.watch(address, source: "backfill", at: Date(), until: nil) }
            let added = try backfill.run(address)
            try blocking(sync.store) { store async throws(StoreError) in try await store.markBackfilled(address, at: Date()) }
            print("\(address.checksummed): \(added) entries added from Etherscan")
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database (SONIC_DB_PATH) to a new file while the stack runs, and check the copy.",
            discussion: "Uses SQLite's online backup API: a consistent snapshot; sonic-fcgi and sonic-sync keep working.")

        @Argument(help: "The new file to write (it must not exist).")
        var destination: String

        func run() throws {
            let settings = try Configuration(environment: ProcessInfo.processInfo.environment)
            guard settings.databaseURL == nil else {
                throw ValidationError("SONIC_DATABASE_URL is set: back up PostgreSQL with pg_dump (docs/operations.md, \"Back up and restore PostgreSQL\")")
            }
            let store = try Store(path: settings.databasePath)
            let started = Date()
            try store.backup(to: destination)
            let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
            print("backed up \(settings.databasePath) to \(destination): \(size) bytes in \(Int(Date().timeIntervalSince(started) * 1_000)) ms, integrity ok")
        }
    }

    struct CopyToPostgres: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy-to-postgres",
            abstract: "Copy the database (SONIC_DB_PATH) into a new, empty PostgreSQL database: the move from one host to several.",
            discussion: """
                Opens the SQLite file read-only (it must exist and be at this version's migrations), refuses a PostgreSQL \
                database that already holds rows, migrates it to this version's schema, then copies every table from a \
                consistent snapshot in one transaction, comparing each table's row count before it commits, then copies the \
                uploaded NFT content of SONIC_CONTENT_DIR (if there) into the database, where hosts sharing it keep it. Rows \
                written to SQLite after the snapshot are not copied: stop the stack first. --content-only copies the content \
                again (files there already are kept), after a copy whose content part failed. The URL comes from SONIC_DATABASE_URL when not \
                given; keep the password out of the command line with PGPASSWORD or ~/.pgpass (libpq reads both). See \
                docs/operations.md, "Moving an install to PostgreSQL".
                """)

        @Argument(help: "The PostgreSQL database to fill: postgres://user@host[:port]/database (default: SONIC_DATABASE_URL; the password is never printed).")
        var url: String?

        @Option(help: "Seconds the whole copy (one transaction) may take before it is rolled back.")
        var timeout: Double = 3_600

        @Flag(help: "Copy only the content folder (SONIC_CONTENT_DIR) into a database the rows were copied to already.")
        var contentOnly = false

        func validate() throws {
            guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
        }

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let settings = try Configuration(environment: environment)
            guard let target = url ?? environment["SONIC_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                throw ValidationError("URL: give the PostgreSQL database as an argument or in SONIC_DATABASE_URL")
            }
            let pool: PostgresPool
            do { pool = try PostgresPool(url: target, maxConnections: 1, queryTimeout: timeout, threadName: "pg-copy") } catch {
                throw ValidationError("URL: \(error.message)")
            }
            defer { pool.stop() }
            let (path, timeout, folder) = (settings.databasePath, timeout, settings.contentDirectory)
            if !contentOnly {
                let report = try ThreadExecutor.run {
                    try await PostgresCopy.copy(fromSQLiteAt: path, to: pool, timeout: timeout) { table, rows in print("\(table): \(rows) rows") }
                }
                print("copied \(report.rows) rows in \(report.tables.count) tables from \(settings.databasePath) in \(Int(report.seconds * 1_000)) ms")
            }
            guard FileManager.default.fileExists(atPath: folder + "/objects") else {
                print("content: no content folder at \(folder) (SONIC_CONTENT_DIR): nothing to copy")
                return
            }
            do {
                let content = try ThreadExecutor.run { try await PostgresCopy.copyContent(fromFolder: folder, to: PostgresStore(pool: pool)) }
                print("content: copied \(content.files) files (\(content.bytes) bytes) from \(folder)")
            } catch {
                throw ValidationError("content: \(error); the rows are copied: run copy-to-postgres --content-only to copy the content again")
            }
        }
    }
}

LineLogHandler.bootstrap()
let logger = Logger(label: "sonic-sync")
SonicSyncCommand.main()
