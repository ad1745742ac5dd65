import Ethereum
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore
import Synchronization

/// An address's transaction history from the indexer: pages (newest first, keyset cursors that
/// stay put while blocks arrive), or every entry a page at a time for an export.
public struct HistoryService: Sendable {
    let context: ChainContext
    /// The indexed history, nil without a database.
    let repository: (any HistoryRepository)?
    let watchlist: Watchlist

    public static let defaultLimit = 25
    public static let maxLimit = 100

    /// One page of an address's history, newest first.
    public struct Page: Sendable {
        public let address: Address
        public let entries: [ActivityEntry]
        /// Where the next page starts; nil on the last page.
        public let next: HistoryPosition?
        /// The last block the indexer has written, nil before its first.
        public let indexedBlock: UInt64?
    }

    /// The page `query` describes (its address is watched from now on, where the indexer keeps
    /// only watched addresses).
    public func page(_ query: HistoryQuery, of address: Address) async throws(AppError) -> Page {
        let store = try requireStore()
        watchlist.watch(address, source: "lookup")
        let entries = try await storeCall { () async throws(StoreError) in try await store.history(query) }
        let indexed = try await storeCall { () async throws(StoreError) in try await store.indexerState(chainID: context.network.chainID) }?.indexed
        return Page(address: address, entries: entries, next: entries.count == query.limit ? entries.last?.position : nil, indexedBlock: indexed)
    }

    /// Every entry `query` matches, a page at a time, for an export: `body` gets each page in
    /// turn until the last (a failed read ends the export early).
    public func forEachPage(_ query: HistoryQuery, of address: Address, _ body: ([ActivityEntry]) -> Void) throws(AppError) {
        let store = try requireStore()
        watchlist.watch(address, source: "lookup")
        var page = query
        while true {
            // The export's writer thread waits for each page (it streams the CSV as pages come).
            let asked = page
            guard let entries = try? ThreadExecutor.run({ () async throws(StoreError) in try await store.history(asked) }), !entries.isEmpty else { return }
            body(entries)
            guard entries.count == page.limit else { return }
            page.after = entries.last?.position
        }
    }

    /// `2026-11-27T09:53:16Z` for Unix seconds (proleptic Gregorian, UTC), without Foundation's
    /// formatter, which costs more than the rest of an entry.
    public static func iso(_ seconds: UInt64) -> String {
        let days = Int64(seconds / 86_400), second = Int(seconds % 86_400)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(Int64(second / 3_600))):\(two(Int64(second / 60 % 60))):\(two(Int64(second % 60)))Z"
    }

    /// Refuses when the history cannot be read at all (checked before an export starts).
    public func requireAvailable() throws(AppError) {
        _ = try requireStore()
    }

    func requireStore() throws(AppError) -> any HistoryRepository {
        guard let store = repository else { throw .databaseDown }
        return store
    }
}

extension ActivityEntry {
    /// Whether what moved is S, or a token and collection on `network`'s verified lists: any
    /// other contract's symbol is only what it says of itself (a look-alike may copy one).
    public func isVerified(on network: Network) -> Bool {
        [tokenAddress, nftContract].allSatisfy { $0.map(network.isVerified) ?? true }
    }
}

/// Addresses whose history the indexer should keep on networks where it does not keep
/// everything: those looked up or signed in, each for `seconds` from the last time (looked up
/// again, an address is watched again, and the indexer fills what it missed meanwhile). Written
/// at most once per address per half of that per process.
public final class Watchlist: Sendable {
    let enabled: Bool
    let repository: (any WatchRepository)?
    let clock: any TimeSource
    /// How long a lookup or a sign-in watches an address (`SONIC_WATCH_SECONDS`).
    let seconds: Double
    /// Until when this process has written each address's watch: read on every lookup, written
    /// rarely, so readers must not queue behind each other.
    private let written = ReadWriteLocked<[Address: Date]>([:])

    /// - Parameter repository: where the watched set is kept; nil without a database.
    public init(enabled: Bool, repository: (any WatchRepository)?, clock: any TimeSource = SystemTime(), seconds: Double = 604_800) {
        self.enabled = enabled
        self.repository = repository
        self.clock = clock
        self.seconds = seconds
    }

    /// Watches `address` for `seconds` from now, saying who asked (`source`).
    public func watch(_ address: Address, source: String) {
        guard enabled, let repository else { return }
        let now = clock.now(), until = now.addingTimeInterval(seconds)
        if let known = written.read({ $0[address] }), known.timeIntervalSince(now) > seconds / 2 { return }
        written.write { written in
            if written.count >= 100_000 { written = written.filter { $0.value > now } }
            written[address] = until
        }
        let write: @Sendable () async -> Void = { [written] in
            do { try await repository.watch(address, source: source, at: now, until: until) } catch {
                written.write { _ = $0.removeValue(forKey: address) }
                logger.warning("watchlist: \(error)")
            }
        }
        // A local file is written at once (the pool's threads never wait on SQLite's lock);
        // PostgreSQL in the background: the request that asked does not wait for it.
        if repository.answersOnTheSpot { ThreadExecutor.run(write) } else { Task(operation: write) }
    }
}
