import Ethereum
import Foundation

// One narrow protocol per area of the database, so that a service is given only what it reads
// and writes. `Store` (SQLite) implements them all; the composition root (`App`, `SyncProcess`)
// hands the one `Store` to each service as the protocols that service needs, and a test may give
// a fake where it needs a failure a real file cannot give.

/// Transactions the dashboard follows to a final state, and the log of their state changes.
public protocol TransactionRepository: Sendable {
    /// Starts tracking `transaction`; a known hash keeps its current state.
    func track(_ transaction: TrackedTransaction) throws(StoreError)
    /// Starts tracking a hash the node does not know for `transaction.unknownClient`, unless that
    /// client has `limit` such pending already (false then, nothing written).
    func trackUnknown(_ transaction: TrackedTransaction, limit: Int) throws(StoreError) -> Bool
    /// Records that the node knows a hash tracked while it did not.
    func markKnown(_ hash: Hash32) throws(StoreError)
    /// Records a new state (with its details) for a tracked transaction.
    func update(_ transaction: TrackedTransaction) throws(StoreError)
    /// The tracked transaction `hash`, nil when it is not tracked.
    func trackedTransaction(_ hash: Hash32) throws(StoreError) -> TrackedTransaction?
    /// Up to `limit` pending transactions in (creation time, hash) order after `position`.
    func pendingTransactions(after position: TrackedTransaction.Position?, limit: Int) throws(StoreError) -> [TrackedTransaction]
    /// The number of the newest state change (0 before any).
    func lastTrackedChange() throws(StoreError) -> Int64
    /// The transactions whose state changed after change number `seq`, each once, and the last number read.
    func trackedChanges(after seq: Int64) throws(StoreError) -> (last: Int64, changes: [TrackedTransaction])
    /// How many tracked transactions are in each state.
    func trackedCounts() throws(StoreError) -> [TrackedTransaction.State: Int]
}

/// Sign-In with Ethereum: single-use nonces and sessions (kept by the hash of their token).
public protocol SessionRepository: Sendable {
    func saveNonce(_ nonce: String, expiresAt: Date) throws(StoreError)
    /// True once if `nonce` was issued and has not expired at `now`, false ever after.
    func consumeNonce(_ nonce: String, at now: Date) throws(StoreError) -> Bool
    func createSession(tokenHash: String, address: Address, csrfToken: String, expiresAt: Date) throws(StoreError)
    /// The session under `tokenHash` unless it has expired at `now`.
    func session(tokenHash: String, at now: Date) throws(StoreError) -> Session?
    func deleteSession(tokenHash: String) throws(StoreError)
}

/// The key-value cache of chain reads behind the memory cache.
public protocol CacheRepository: Sendable {
    func cached(_ key: String) throws(StoreError) -> (value: [UInt8], storedAt: Date)?
    func cache(_ key: String, _ value: [UInt8], at date: Date) throws(StoreError)
    /// Removes the values whose key starts with `prefix`.
    func invalidate(prefix: String) throws(StoreError)
}

/// What the agent remembers per conversation.
public protocol ConversationRepository: Sendable {
    /// The saved state (JSON) of conversation `id` if it belongs to `address`.
    func conversationState(_ id: String, address: String?) throws(StoreError) -> String?
    func saveConversation(_ id: String, address: String?, state: String) throws(StoreError)
}

/// The agent's knowledge base, searched by words.
public protocol KnowledgeRepository: Sendable {
    func loadKnowledge(_ articles: [(slug: String, title: String, body: String)]) throws(StoreError)
    func searchKnowledge(_ words: [String], limit: Int) throws(StoreError) -> [KnowledgeHit]
}

/// Addresses whose history the indexer keeps where it does not keep everything.
public protocol WatchRepository: Sendable {
    /// Adds `address` to the watched set until `expiresAt` (nil: for good), or extends its
    /// watch; true when it was new.
    @discardableResult
    func watch(_ address: Address, source: String, at date: Date, until expiresAt: Date?) throws(StoreError) -> Bool
}

/// What readers see of the indexed chain: history pages, owned NFTs, how far the indexer is.
public protocol HistoryRepository: WatchRepository {
    func history(_ query: HistoryQuery) throws(StoreError) -> [ActivityEntry]
    func ownedNFTs(_ owner: Address) throws(StoreError) -> [OwnedNFT]
    func indexerState(chainID: UInt64) throws(StoreError) -> IndexerState?
    func nativeMovements(of address: Address, since: UInt64) throws(StoreError) -> [NativeMovement]
    func dailyActivity(of address: Address, since: UInt64) throws(StoreError) -> [DailyActivity]
}

/// What the indexer (`SonicSync`) writes and reads: batches of blocks, rollbacks, its position,
/// backfilled entries and the watched addresses.
public protocol IndexRepository: WatchRepository {
    func apply(_ batch: IndexBatch, chainID: UInt64, at date: Date) throws(StoreError)
    func rollBack(above block: UInt64?, chainID: UInt64, at date: Date) throws(StoreError)
    func indexerState(chainID: UInt64) throws(StoreError) -> IndexerState?
    func indexedBlock(_ number: UInt64) throws(StoreError) -> IndexedBlock?
    @discardableResult
    func insertBackfilled(_ entries: [ActivityEntry], source: String) throws(StoreError) -> Int
    func watchedAddresses() throws(StoreError) -> (all: Set<Address>, notBackfilled: [Address])
    func markBackfilled(_ address: Address, at date: Date) throws(StoreError)
    /// Ends the watches whose time is up, `indexed` being the last block covered for them.
    @discardableResult
    func lapseWatches(at now: Date, indexed: UInt64) throws(StoreError) -> Int
    /// Addresses watched again after a lapse, with the first block to re-read.
    func watchGaps() throws(StoreError) -> [(address: Address, from: UInt64)]
    /// Writes one address's share of re-read blocks and moves its gap on.
    func fillGap(_ batch: IndexBatch, of address: Address, from: UInt64, through: UInt64, indexed: UInt64) throws(StoreError)
    /// Keeps what token contracts seen for the first time say of themselves (`TokenRepository`).
    func saveTokenMetadata(_ metadata: [TokenMetadata]) throws(StoreError)
    /// Removes old conversations, cached reads and settled tracked transactions.
    @discardableResult
    func trim(conversationsBefore conversations: Date, cacheBefore cache: Date, trackedBefore tracked: Date) throws(StoreError) -> Trimmed
}

/// NFT uploads by address: quotas, what was minted and pinned, what is removed unminted.
public protocol UploadRepository: Sendable {
    func uploadUsage(of address: Address, since: Date) throws(StoreError) -> UploadUsage
    func recordUpload(_ upload: NFTUpload) throws(StoreError)
    @discardableResult
    func markMintedUploads(contract: Address?, at date: Date) throws(StoreError) -> Int
    func uploadsToPin(at now: Date, limit: Int) throws(StoreError) -> [(metadataCID: String, imageCID: String)]
    func recordPinning(_ metadataCID: String, at date: Date, retryAt: Date?) throws(StoreError)
    func expireUnmintedUploads(before cutoff: Date, at date: Date) throws(StoreError) -> [String]
}

/// Whether the database answers at all, for the health check.
public protocol DatabaseHealth: Sendable {
    func ping() throws(StoreError)
}

extension Store: TransactionRepository, SessionRepository, CacheRepository, ConversationRepository, KnowledgeRepository,
                 HistoryRepository, IndexRepository, UploadRepository, DatabaseHealth {}

// The defaults of `Store`'s methods, for callers holding only a protocol.

extension SessionRepository {
    public func consumeNonce(_ nonce: String) throws(StoreError) -> Bool { try consumeNonce(nonce, at: Date()) }
    public func session(tokenHash: String) throws(StoreError) -> Session? { try session(tokenHash: tokenHash, at: Date()) }
}

extension CacheRepository {
    public func cache(_ key: String, _ value: [UInt8]) throws(StoreError) { try cache(key, value, at: Date()) }
}

extension KnowledgeRepository {
    public func searchKnowledge(_ words: [String]) throws(StoreError) -> [KnowledgeHit] { try searchKnowledge(words, limit: 2) }
}

extension WatchRepository {
    /// Watches `address` for good (configured addresses, a backfill asked for by hand).
    @discardableResult
    public func watch(_ address: Address, source: String) throws(StoreError) -> Bool { try watch(address, source: source, at: Date(), until: nil) }
}

extension IndexRepository {
    public func apply(_ batch: IndexBatch, chainID: UInt64) throws(StoreError) { try apply(batch, chainID: chainID, at: Date()) }
    public func rollBack(above block: UInt64?, chainID: UInt64) throws(StoreError) { try rollBack(above: block, chainID: chainID, at: Date()) }
    public func markBackfilled(_ address: Address) throws(StoreError) { try markBackfilled(address, at: Date()) }
}
