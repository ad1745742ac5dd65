import Ethereum
import Foundation
import Logging
import SonicChain
import Postgres
import SonicConfig
import SonicStore
import Synchronization

/// What the subcommands share: settings, the database, the writer lock and the indexer.
public struct SyncProcess {
    public let settings: Configuration
    /// The SQLite file (`SONIC_DB_PATH`), or PostgreSQL when `SONIC_DATABASE_URL` is set.
    public let store: any AppDatabase
    /// PostgreSQL's store, whose pool `close()` stops.
    let postgres: PostgresStore?
    public let indexer: Indexer
    public let backfill: EtherscanBackfill?
    /// The node, for reads besides indexing (premium end dates for the alerts).
    public let client: RPCClient
    /// Where the premium subscription contract is, when deployed.
    public let subscriptionContract: Address?
    let lock: WriterLock?
    /// With PostgreSQL: the advisory lock only the active indexer holds (one across hosts). Lost
    /// with its connection (the server restarted, say), it is taken again before the next batch,
    /// unless another sonic-sync took it meanwhile: then this one stands by (`step`).
    let indexerRole: ActiveRole?
    let logger: Logger
    /// Old rows are removed once a minute at most.
    private let trimming = Throttle(every: 60)

    /// The advisory lock of the one active indexer on a PostgreSQL database.
    public static let indexerLock: Int64 = ActiveRole.Role.indexer.key

    /// Opens the store (taking the writer lock unless `takeLock` is false) and builds the
    /// indexer and, with an Etherscan key, the backfill for `settings`. On PostgreSQL a second
    /// sonic-sync waits as a standby until the active one's lock is free (it stopped or died),
    /// asking every `standbyInterval` seconds while `stillWanted()` is true.
    public init(configuration settings: Configuration, logger: Logger, takeLock: Bool = true, standbyInterval: Double = 1,
                stillWanted: () -> Bool = { true }) throws {
        self.settings = settings
        self.logger = logger
        if let url = settings.databaseURL {
            let postgres = try ThreadExecutor.run { () async throws(StoreError) in try await PostgresStore.open(url: url, maxConnections: 4, threadName: "pg-sync") }
            self.postgres = postgres
            store = postgres
            lock = nil
            // A standby keeps the lock's connection open between tries.
            let indexerLock = postgres.advisoryLock(Self.indexerLock)
            var held = false
            var said = false
            while takeLock, !held {
                do {
                    held = try ThreadExecutor.run { () async throws(PostgresError) in try await indexerLock.tryTake() }
                } catch {
                    // The database away for a while: the standby keeps waiting.
                    logger.warning("sonic-sync: standby: \(error)")
                }
                if !held {
                    guard stillWanted() else {
                        indexerLock.release()
                        postgres.close()
                        throw SyncStandbyEnded()
                    }
                    if !said { logger.info("sonic-sync: another sonic-sync is indexing this database; waiting as a standby") }
                    said = true
                    Thread.sleep(forTimeInterval: standbyInterval)
                }
            }
            let role = takeLock ? ActiveRole(.indexer, store: postgres, held: indexerLock, retryEvery: standbyInterval) : nil
            // Claimed at once (`role_fence`), so the indexer's store writes from the start.
            if let role, !ThreadExecutor.run({ await role.isActive() }) {
                logger.warning("sonic-sync: the indexer's role could not be claimed (the database did not answer); trying again before each batch")
            }
            indexerRole = role
        } else {
            lock = takeLock ? try WriterLock(databasePath: settings.databasePath) : nil
            store = try Store(path: settings.databasePath)
            postgres = nil
            indexerRole = nil
        }
        let client = RPCClient(configuration: settings)
        self.client = client
        var network = settings.network
        var deployments: Deployments?
        do {
            deployments = try Deployments.load(network: network, directory: settings.deploymentsDirectory)
            network = network.with(deployments: deployments!)
        } catch {
            logger.warning("contracts: \(error)")
        }
        subscriptionContract = try? deployments?.address(of: "SmartSonicSubscription")
        for address in settings.watchAddresses {
            _ = try blocking(store) { store async throws(StoreError) in try await store.watch(address, source: "config", at: Date(), until: nil) }
        }
        var options = Indexer.Options(indexAll: settings.indexAll, startBlock: settings.syncStart)
        options.batchSize = 50
        options.logsAddressesPerFilter = settings.logsAddressesPerFilter
        let writer: any AppDatabase = indexerRole?.store ?? store  // `writer`, before self is whole
        indexer = Indexer(client: RPCIndexerSource(client: client), store: writer, chainID: settings.network.chainID,
                          catalog: Catalog(network: network, deployments: deployments), options: options)
        if let key = settings.etherscanAPIKey {
            backfill = EtherscanBackfill(store: writer, chainID: settings.network.chainID, network: network,
                                         client: EtherscanClient(baseURL: settings.etherscanURL, apiKey: key, chainID: settings.network.chainID))
        } else {
            backfill = nil
        }
    }

    /// Where the indexer and the backfill write: on PostgreSQL the indexer's role's store (a
    /// batch under way when the lock was lost writes nothing once another sonic-sync took over).
    var writer: any AppDatabase { indexerRole?.store ?? store }

    /// One batch of the indexer, while this process is the active indexer; `.standby` when
    /// its lock was lost (its connection dropped) and another sonic-sync took it.
    public func step() throws(SyncError) -> Indexer.Progress {
        if let indexerRole {
            let active = ThreadExecutor.run { await indexerRole.isActive() }
            guard active else { throw .standby }
        }
        return try indexer.step()
    }

    /// Another role held by one sonic-sync across hosts (the alert runner), on PostgreSQL; nil on SQLite.
    public func activeRole(_ role: ActiveRole.Role, onChange: @escaping @Sendable (Bool) -> Void = { _ in }) -> ActiveRole? {
        postgres.map { ActiveRole(role, store: $0, onChange: onChange) }
    }

    /// What the run loop does while caught up: fills a gap of an address watched again, removes
    /// old rows (at most once a minute), and backfills one address from Etherscan.
    public func idle() {
        do { try indexer.fillGap() } catch { logger.warning("sonic-sync: filling a watch's gap: \(error)") }
        trimOld()
        backfillOne()
    }

    /// Removes conversations, cached reads and settled tracked transactions older than their
    /// configured time, once a minute at most.
    public func trimOld(now: Date = Date()) {
        guard trimming.due(at: now) else { return }
        do {
            let (conversations, cache, tracked) = (now.addingTimeInterval(-settings.keepConversationsSeconds),
                                                   now.addingTimeInterval(-settings.keepCacheSeconds), now.addingTimeInterval(-settings.keepTrackedSeconds))
            let trimmed = try blocking(store) { store async throws(StoreError) in
                try await store.trim(conversationsBefore: conversations, cacheBefore: cache, trackedBefore: tracked)
            }
            if trimmed != Trimmed() {
                let removed = "\(trimmed.conversations) conversations, \(trimmed.cached) cached reads, "
                    + "\(trimmed.trackedTransactions) settled tracked transactions"
                logger.info("sonic-sync: removed \(removed) past their time")
            }
        } catch {
            logger.warning("sonic-sync: trimming old rows: \(error)")
        }
    }

    /// Backfills the next watched address that has not been, if Etherscan is configured.
    public func backfillOne() {
        guard let backfill, let address = try? blocking(store, { store async throws(StoreError) in try await store.watchedAddresses().notBackfilled.first }) else {
            return
        }
        do {
            let added = try backfill.run(address)
            try blocking(writer) { store async throws(StoreError) in try await store.markBackfilled(address, at: Date()) }
            logger.info("sonic-sync: backfilled \(address.checksummed) from Etherscan: \(added) entries")
        } catch {
            logger.warning("sonic-sync: backfill of \(address.checksummed): \(error)")
        }
    }
}

/// Says yes at most once every `every` seconds.
final class Throttle: Sendable {
    let every: Double
    private let last = Mutex<Date>(.distantPast)

    init(every: Double) { self.every = every }

    /// Whether `every` seconds have passed since it last said yes (then it says yes, from now).
    func due(at now: Date) -> Bool {
        last.withLock { last in
            guard now.timeIntervalSince(last) >= every else { return false }
            last = now
            return true
        }
    }
}

/// SIGTERM and SIGINT ask the loop to stop after the batch in hand (batches are atomic).
public enum StopSignal {
    static let requested = Atomic<Bool>(false)

    /// Makes SIGTERM and SIGINT ask for a stop instead of ending the process.
    public static func install() {
        signal(SIGTERM) { _ in StopSignal.requested.store(true, ordering: .relaxed) }
        signal(SIGINT) { _ in StopSignal.requested.store(true, ordering: .relaxed) }
    }

    /// Waits up to `seconds`, looking every 50 ms whether a stop was asked for; answers whether it was.
    public static func wait(_ seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !requested.load(ordering: .relaxed) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            Thread.sleep(forTimeInterval: min(0.05, left))
        }
        return true
    }
}

extension SyncProcess {
    /// Releases the indexer's lock (a standby takes over) and closes PostgreSQL's connections.
    public func close() {
        indexerRole?.stop()
        postgres?.close()
    }
}

/// A standby sonic-sync was asked to stop before it became the active one.
public struct SyncStandbyEnded: Error, CustomStringConvertible {
    public var description: String { "stopped while waiting as a standby" }
}
