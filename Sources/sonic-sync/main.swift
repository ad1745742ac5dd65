import ArgumentParser
import Ethereum
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore
import SonicSync
import Synchronization

struct SonicSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sonic-sync",
        abstract: "Smart Sonic's indexer: follows the chain and writes transactions and decoded activity to SQLite.",
        discussion: """
            Reads SONIC_NETWORK, SONIC_RPC_URLS, SONIC_RPC_TIMEOUT, SONIC_DB_PATH, SONIC_DEPLOYMENTS_DIR, SONIC_INDEX_ALL, \
            SONIC_WATCH_ADDRESSES, SONIC_SYNC_START, SONIC_ETHERSCAN_API_KEY and SONIC_ETHERSCAN_URL (see sonic-fcgi --help \
            and docs/indexer.md). One sonic-sync per database: a second one refuses to start.
            """,
        subcommands: [Run.self, Status.self, Backfill.self, Backup.self],
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
            let sync = try SyncProcess()
            Stop.install()
            let scope = sync.settings.indexAll ? "every transaction" : "watched addresses only"
            logger.info("sonic-sync: indexing \(sync.settings.network.name) (chain id \(sync.settings.network.chainID)) into \(sync.settings.databasePath), \(scope)")
            var meter = ProgressMeter(every: progressEvery)
            var failures = 0
            while !Stop.requested.load(ordering: .relaxed) {
                do {
                    let progress = try sync.indexer.step()
                    failures = 0
                    if let undone = progress.rolledBack {
                        logger.warning("sonic-sync: the chain reorganised; undid \(undone) block(s), back to block \(progress.indexed ?? 0)")
                    }
                    if let line = meter.record(progress) { logger.info("sonic-sync: \(line)") }
                    if progress.blocks == 0 && progress.rolledBack == nil {
                        if once {
                            print(progress.indexed.map(String.init) ?? "nothing indexed")
                            return
                        }
                        sync.backfillOne()
                        Thread.sleep(forTimeInterval: interval)
                    }
                } catch {
                    failures += 1
                    logger.warning("sonic-sync: \(error)")
                    if once { throw ExitCode.failure }
                    if case .wrongChain = error { throw ExitCode.failure }
                    Thread.sleep(forTimeInterval: min(5, interval * Double(1 << min(failures, 5))))
                }
            }
            logger.info("sonic-sync: stopped at block \((try? sync.store.indexerState(chainID: sync.settings.network.chainID))??.indexed ?? 0)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print how far the index has got: last block, head, lag, blocks written.")

        func run() throws {
            let settings = try Configuration(environment: ProcessInfo.processInfo.environment)
            let store = try Store(path: settings.databasePath)
            guard let state = try store.indexerState(chainID: settings.network.chainID) else {
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
            let sync = try SyncProcess(takeLock: false)
            guard let backfill = sync.backfill else {
                throw ValidationError("set SONIC_ETHERSCAN_API_KEY to backfill from Etherscan")
            }
            let address: Address
            do { address = try Address(self.address) } catch {
                throw ValidationError("address: \(error)")
            }
            try sync.store.watch(address.lowercased, source: "backfill")
            let added = try backfill.run(address)
            try sync.store.markBackfilled(address.lowercased)
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
            let store = try Store(path: settings.databasePath)
            let started = Date()
            try store.backup(to: destination)
            let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
            print("backed up \(settings.databasePath) to \(destination): \(size) bytes in \(Int(Date().timeIntervalSince(started) * 1_000)) ms, integrity ok")
        }
    }
}

/// What the subcommands share: settings, store, the writer lock and the indexer.
struct SyncProcess {
    let settings: Configuration
    let store: Store
    let indexer: Indexer
    let backfill: EtherscanBackfill?
    let lock: WriterLock?

    init(takeLock: Bool = true) throws {
        settings = try Configuration(environment: ProcessInfo.processInfo.environment)
        lock = takeLock ? try WriterLock(databasePath: settings.databasePath) : nil
        store = try Store(path: settings.databasePath)
        let client = RPCClient(configuration: settings)
        var network = settings.network
        var deployments: Deployments?
        do {
            deployments = try Deployments.load(network: network, directory: settings.deploymentsDirectory)
            network = network.with(deployments: deployments!)
        } catch {
            logger.warning("contracts: \(error)")
        }
        for address in settings.watchAddresses { try store.watch(address.lowercased, source: "config") }
        var options = Indexer.Options(indexAll: settings.indexAll, startBlock: settings.syncStart)
        options.batchSize = 50
        indexer = Indexer(client: client, store: store, chainID: settings.network.chainID,
                          catalog: Catalog(network: network, deployments: deployments), options: options)
        if let key = settings.etherscanAPIKey {
            backfill = EtherscanBackfill(store: store, chainID: settings.network.chainID, network: network,
                                         client: EtherscanClient(baseURL: settings.etherscanURL, apiKey: key, chainID: settings.network.chainID))
        } else {
            backfill = nil
        }
    }

    /// Backfills the next watched address that has not been, if Etherscan is configured.
    func backfillOne() {
        guard let backfill, let address = try? store.watchedAddresses().notBackfilled.first,
              let parsed = try? Address(address) else { return }
        do {
            let added = try backfill.run(parsed)
            try store.markBackfilled(address)
            logger.info("sonic-sync: backfilled \(parsed.checksummed) from Etherscan: \(added) entries")
        } catch {
            logger.warning("sonic-sync: backfill of \(parsed.checksummed): \(error)")
        }
    }
}

/// Blocks per second and lag, as a line every few seconds.
struct ProgressMeter {
    let every: Double
    var since = Date()
    var blocks = 0

    init(every: Double) { self.every = every }

    mutating func record(_ progress: Indexer.Progress) -> String? {
        blocks += progress.blocks
        let elapsed = Date().timeIntervalSince(since)
        guard elapsed >= every else { return nil }
        defer { since = Date(); blocks = 0 }
        let rate = Double(blocks) / elapsed
        let indexed = progress.indexed ?? 0
        return "indexed to block \(indexed), head \(progress.head), lag \(progress.head - min(progress.head, indexed)), "
            + "\(Int(rate.rounded())) blocks/s"
    }
}

/// SIGTERM and SIGINT ask the loop to stop after the batch in hand (batches are atomic).
enum Stop {
    static let requested = Atomic<Bool>(false)

    static func install() {
        signal(SIGTERM) { _ in Stop.requested.store(true, ordering: .relaxed) }
        signal(SIGINT) { _ in Stop.requested.store(true, ordering: .relaxed) }
    }
}

LineLogHandler.bootstrap()
let logger = Logger(label: "sonic-sync")
SonicSyncCommand.main()
