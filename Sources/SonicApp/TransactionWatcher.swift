import Ethereum
import Foundation
import Logging
import SonicChain
import SonicConfig
import SonicStore
import Synchronization

/// Moves tracked transactions to their final state: polls the receipts of pending ones (in one
/// batch), records confirmed/failed (with the revert reason), replaced or cancelled (another
/// transaction of the sender took its nonce: `TransactionWatcher+Replacement.swift`) or dropped,
/// forgets what is kept about the addresses they changed (balances, subscription status), and
/// wakes the requests waiting on them.
///
/// Its cost to the node is bounded however many transactions are tracked: each pass takes the
/// next `budget` pending ones in (creation time, hash) order after where the last pass ended,
/// starting over at the end, and asks for their receipts in one batch; for those without one,
/// their senders' mined nonces in a second (with the head), and, for those that need it (sender
/// not known yet, never known to the node, or old), whether the node knows them in a third.
/// With N pending, each is looked at every ⌈N / budget⌉ passes: none waits forever behind older
/// ones. Finding which transaction replaced one costs a few batches, once per replacement.
public final class TransactionWatcher: Sendable {
    let context: ChainContext
    /// The tracked transactions and their change log, nil without a database.
    let repository: (any TransactionRepository)?
    let waiters: ParkingLot
    /// Forgets the cached reads of an address a settled transaction changed.
    let settled: @Sendable (Address) -> Void
    /// A pending transaction the node no longer knows is `dropped` after this many seconds.
    let dropAfter: Double
    /// A hash tracked while the node did not know it is `dropped` after this many seconds if the
    /// node still does not know it.
    let unknownDropAfter: Double
    /// Pending transactions looked at per pass.
    let budget: Int
    /// On PostgreSQL: the lock that makes one host's watcher the active one (the others stand
    /// by, and take over when its holder is gone); nil on SQLite, where every process polls.
    public let role: ActiveRole?
    /// Where the last pass ended.
    private let position = Mutex<TrackedTransaction.Position?>(nil)
    private let threads = Mutex<[RepeatingThread]>([])
    /// For each pending transaction looked at, the last head at which its sender had not mined
    /// its nonce yet: where the search for its replacement starts (`Replacement.swift`).
    let unusedAt = Mutex<[Hash32: UInt64]>([:])

    public init(context: ChainContext, repository: (any TransactionRepository)?, waiters: ParkingLot, dropAfter: Double = 600,
                unknownDropAfter: Double = 60, budget: Int = 100, role: ActiveRole? = nil, settled: @escaping @Sendable (Address) -> Void) {
        self.context = context
        self.repository = repository
        self.waiters = waiters
        self.dropAfter = dropAfter
        self.unknownDropAfter = unknownDropAfter
        self.budget = max(1, budget)
        self.role = role
        self.settled = settled
    }

    /// The next `budget` pending transactions after where the last pass ended, starting over
    /// from the first when the end is reached (each at most once).
    func nextPending(_ store: any TransactionRepository) async throws(StoreError) -> [TrackedTransaction] {
        let after = position.withLock { $0 }
        var batch = try await store.pendingTransactions(after: after, limit: budget)
        if batch.count < budget, after != nil {
            let seen = Set(batch.map(\.hash))
            batch += try await store.pendingTransactions(after: nil, limit: budget - batch.count).filter { !seen.contains($0.hash) }
        }
        position.withLock { $0 = batch.last?.position }
        return batch
    }

    /// One pass over the next pending transactions; returns how many changed state. Nothing
    /// while another host's watcher is the active one.
    @discardableResult
    public func poll() async -> Int {
        if let role, !(await role.isActive()) { return 0 }
        let now = context.clock.now()
        // On PostgreSQL the role's store: once another host took the role, nothing more is written.
        let store: (any TransactionRepository)? = role?.store ?? repository
        guard let store, let pending = try? await nextPending(store), !pending.isEmpty else { return 0 }
        guard let receipts = try? await context.chain.receipts(pending.map(\.hash)) else { return 0 }
        var changed: [(TrackedTransaction, TrackedTransaction)] = []
        var unmined: [TrackedTransaction] = []
        var waiting: [TrackedTransaction] = []
        for (tracked, result) in zip(pending, receipts) {
            guard case .success(let found) = result else { continue }
            guard let receipt = found else {
                // Asked whether the node knows it: every time while it never did or its sender is
                // not known (tracked by hash), else once it is old.
                if tracked.unknownClient != nil || tracked.sender == nil || tracked.nonce == nil || now.timeIntervalSince(tracked.createdAt) > dropAfter {
                    unmined.append(tracked)
                }
                if tracked.sender != nil, tracked.nonce != nil { waiting.append(tracked) }
                continue
            }
            var next = Self.final(hash: tracked.hash, receipt: receipt, reason: receipt.succeeded ? nil : await revertReason(receipt))
            next.sender = tracked.sender
            next.nonce = tracked.nonce
            next.createdAt = tracked.createdAt
            settled(receipt.from)
            if let to = receipt.to { settled(to) }
            changed.append((tracked, next))
        }
        let replaced = await replacements(waiting, now: now, store: store)
        changed += replaced
        let replacedHashes = Set(replaced.map(\.0.hash))
        unmined.removeAll { replacedHashes.contains($0.hash) }
        if !unmined.isEmpty, let known = try? await context.chain.transactions(unmined.map(\.hash)) {
            for (tracked, result) in zip(unmined, known) {
                guard case .success(let transaction) = result else { continue }
                if let next = await dropped(tracked, transaction: transaction, now: now, store: store) { changed.append((tracked, next)) }
            }
        }
        var count = 0
        unusedAt.withLock { memo in for (tracked, _) in changed { memo[tracked.hash] = nil } }
        for (tracked, settledState) in changed {
            var next = settledState
            next.updatedAt = now
            do {
                try await store.update(next)
                count += 1
                waiters.wake(tracked.hash.description, with: next)
            } catch {
                logger.error("watcher: \(error)")
            }
        }
        return count
    }

    /// The dropped state of a pending transaction without a receipt, when its time is up; nil
    /// while it may still come. A hash first tracked unknown that the node now knows is
    /// recorded as known (it is then kept as long as any other), and one tracked by hash alone
    /// gets its sender and nonce, which the search for a replacement needs.
    func dropped(_ tracked: TrackedTransaction, transaction: TransactionInfo?, now: Date, store: any TransactionRepository) async -> TrackedTransaction? {
        let age = now.timeIntervalSince(tracked.createdAt)
        if let transaction {
            if tracked.unknownClient != nil || tracked.sender == nil || tracked.nonce == nil {
                do { try await store.markKnown(tracked.hash, sender: transaction.from, nonce: transaction.nonce.value) } catch { logger.error("watcher: \(error)") }
            }
            return nil
        }
        var next = tracked
        next.state = .dropped
        if tracked.unknownClient != nil {
            guard age > unknownDropAfter else { return nil }
            next.reason = "the node never knew this transaction in the \(Int(unknownDropAfter)) s it was tracked"
        } else {
            guard age > dropAfter else { return nil }
            next.reason = "the node no longer knows this transaction and it was not mined within \(Int(dropAfter)) s"
        }
        return next
    }

    /// Polls the node every `interval` seconds and, when `feedInterval` is given, the
    /// database's change log every `feedInterval` seconds (an indexed query of the entries after
    /// the last one read, some tens of microseconds) for states another process wrote (the
    /// indexer), each on a thread of its own. On PostgreSQL the log is read when notified
    /// instead (`ChangeListener`).
    public func start(interval: Double = 0.25, feedInterval: Double? = 0.005) {
        threads.withLock { running in
            guard running.isEmpty else { return }
            running = [
                RepeatingThread(name: "tx-watcher", interval: interval) { [weak self] in
                    guard let self else { return }
                    _ = ThreadExecutor.run { await self.poll() }
                },
            ]
            if let feedInterval {
                let feed = FeedPosition()
                running.append(RepeatingThread(name: "tx-change-feed", interval: feedInterval) { [weak self] in
                    guard let self else { return }
                    ThreadExecutor.run { _ = await self.wakeChanged(&feed.value) }
                })
            }
        }
    }

    /// Stops its threads and waits for them to end; gives the active role up (another host's
    /// watcher takes over).
    public func stop() {
        for thread in threads.withLock({ running in defer { running = [] }; return running }) { thread.stop() }
        role?.stop()
    }

    /// Where the change feed is: the number of the last change read from the store's change log
    /// (nil until the first read, which starts at the newest: nobody waits on older changes).
    struct ChangeFeed {
        var last: Int64?
    }

    /// Wakes the requests waiting on transactions that reached a final state in the database
    /// (by the indexer or by this process), once per change.
    @discardableResult
    func wakeChanged(_ feed: inout ChangeFeed) async -> Int {
        guard let store = repository else { return 0 }
        guard let last = feed.last else {
            feed.last = try? await store.lastTrackedChange()
            return 0
        }
        guard let (newest, changes) = try? await store.trackedChanges(after: last) else { return 0 }
        feed.last = newest
        // Waiters wait while a transaction is pending; a change back to pending (a reorg) is not news.
        let due: [(key: String, value: (any Sendable)?)] = changes.filter(\.isFinal).map { change in
            if let sender = change.sender { settled(sender) }
            return (change.hash.description, change)
        }
        waiters.wake(due)
        return due.count
    }

    /// The state a receipt settles.
    static func final(hash: Hash32, receipt: Receipt, reason: String?) -> TrackedTransaction {
        TrackedTransaction(hash: hash, sender: nil, nonce: nil, state: receipt.succeeded ? .confirmed : .failed,
                           block: receipt.blockNumber.value, gasUsed: receipt.gasUsed.value, feeWei: receipt.fee,
                           reason: receipt.succeeded ? nil : (reason ?? "reverted"))
    }

    /// Replays a failed transaction as a call at its block to learn why it reverted.
    func revertReason(_ receipt: Receipt) async -> String {
        await context.chain.revertReason(of: receipt.transactionHash, block: receipt.blockNumber.value)
    }
}

/// Where the change-feed thread is in the change log; read and written by that thread alone.
private final class FeedPosition: @unchecked Sendable {
    var value = TransactionWatcher.ChangeFeed()
}
