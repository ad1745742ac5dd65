import Ethereum
import Foundation
import SonicChain
import SonicStore
import Synchronization

/// The live dashboard's per-address feed: requests wait (parked, no thread each) for the next
/// entry of an address in the database's change log — activity the indexer recorded or
/// removed, or a state change of a transaction the address sent — and are answered the moment
/// one is committed, by whichever process.
///
/// A thread reads the log's new entries every `interval` (an indexed range read), forgets the
/// cached reads of each changed address (so the page's next balance is the new one) and wakes
/// the requests parked on it.
public final class AddressFeed: Sendable {
    /// What one answer holds at most; a client that is further behind reloads anyway.
    public static let maxChanges = 100

    let repository: (any AddressChangeRepository)?
    /// True when the log is in a local file (SQLite): its reads never wait, so the API answers
    /// a feed request on the spot, without a worker.
    public var readsOnTheSpot: Bool { repository?.answersOnTheSpot ?? false }
    let waiters: ParkingLot
    /// Forgets the cached reads of an address that changed.
    let changed: @Sendable (Address) -> Void
    /// The number of the last entry read (nil until the first read, which starts at the newest).
    private let last = Mutex<Int64?>(nil)
    private let thread = Mutex<RepeatingThread?>(nil)

    public init(repository: (any AddressChangeRepository)?, waiters: ParkingLot, changed: @escaping @Sendable (Address) -> Void) {
        self.repository = repository
        self.waiters = waiters
        self.changed = changed
    }

    /// The key an address's requests are parked under (beside transaction hashes).
    public static func key(_ address: Address) -> String { "address:\(address.lowercased)" }

    /// The number of the newest entry: where a client that has seen nothing starts.
    public func cursor() async throws(AppError) -> Int64 {
        guard let repository else { throw .databaseDown }
        return try await storeCall { () async throws(StoreError) in try await repository.lastAddressChange() }
    }

    /// The entries of `address` after `seq` (at most `maxChanges`).
    public func changes(of address: Address, after seq: Int64) async throws(AppError) -> [AddressChange] {
        guard let repository else { throw .databaseDown }
        return try await storeCall { () async throws(StoreError) in try await repository.addressChanges(of: address, after: seq, limit: Self.maxChanges) }
    }

    /// Parks a request of `client` for `address` until its next entry or `deadline`; false when
    /// the client has as many waiting as it may.
    public func park(_ address: Address, client: String, until deadline: Date, resume: @escaping ParkingLot.Resume) -> Bool {
        waiters.park(Self.key(address), client: client, until: deadline, resume: resume)
    }

    /// Whether the first read has found where the log ends (reads after it wake requests).
    var isPositioned: Bool { last.withLock { $0 != nil } }

    /// Reads the entries committed since the last read and wakes the requests of their
    /// addresses; answers how many addresses changed.
    @discardableResult
    func wakeChanged() async -> Int {
        guard let repository else { return 0 }
        guard let after = last.withLock({ $0 }) else {
            if let newest = try? await repository.lastAddressChange() { last.withLock { $0 = newest } }
            return 0
        }
        var addresses: Set<Address> = []
        var seq = after
        // A burst (a backfill) is read a page at a time; every page's addresses are woken.
        while let page = try? await repository.addressChanges(after: seq, limit: 1_000), let end = page.last?.seq {
            for change in page { addresses.insert(change.address) }
            seq = end
            if page.count < 1_000 { break }
        }
        last.withLock { $0 = seq }
        for address in addresses { changed(address) }
        waiters.wake(addresses.map { (key: Self.key($0), value: nil) })
        return addresses.count
    }

    /// Reads the log every `interval` seconds on a thread of its own.
    public func start(interval: Double = 0.01) {
        thread.withLock { running in
            guard running == nil else { return }
            running = RepeatingThread(name: "address-feed", interval: interval) { [weak self] in
                guard let self else { return }
                _ = ThreadExecutor.run { await self.wakeChanged() }
            }
        }
    }

    public func stop() {
        thread.withLock { running in defer { running = nil }; return running }?.stop()
    }
}
