import Ethereum
import Foundation

// One narrow protocol per area of the database, so that a service is given only what it reads
// and writes. `Store` (SQLite) implements them all; the composition root (`App`, `SyncProcess`)
// hands the one `Store` to each service as the protocols that service needs, and a test may give
// a fake where it needs a failure a real file cannot give.

/// What every repository says of itself: whether its calls are answered on the spot (a local
/// SQLite file: they never wait, so a caller may make them on the thread it has, even one that
/// must not wait) or over the network (PostgreSQL: made where waiting holds no thread).
public protocol Repository: Sendable {
    var answersOnTheSpot: Bool { get }
}

extension Repository {
    public var answersOnTheSpot: Bool { false }
}

/// Transactions the dashboard follows to a final state, and the log of their state changes.
public protocol TransactionRepository: Repository {
    /// Starts tracking `transaction`; a known hash keeps its current state.
    func track(_ transaction: TrackedTransaction) async throws(StoreError)
    /// Starts tracking a hash the node does not know for `transaction.unknownClient`, unless that
    /// client has `limit` such pending already (false then, nothing written).
    func trackUnknown(_ transaction: TrackedTransaction, limit: Int) async throws(StoreError) -> Bool
    /// Records that the node knows a tracked hash (one tracked while it did not is kept as long as
    /// any other then), with its sender and nonce where they were not known.
    func markKnown(_ hash: Hash32, sender: Address, nonce: UInt64) async throws(StoreError)
    /// Records a new state (with its details) for a tracked transaction.
    func update(_ transaction: TrackedTransaction) async throws(StoreError)
    /// The tracked transaction `hash`, nil when it is not tracked.
    func trackedTransaction(_ hash: Hash32) async throws(StoreError) -> TrackedTransaction?
    /// Up to `limit` pending transactions in (creation time, hash) order after `position`.
    func pendingTransactions(after position: TrackedTransaction.Position?, limit: Int) async throws(StoreError) -> [TrackedTransaction]
    /// The number of the newest state change (0 before any).
    func lastTrackedChange() async throws(StoreError) -> Int64
    /// The transactions whose state changed after change number `seq`, each once, and the last number read.
    func trackedChanges(after seq: Int64) async throws(StoreError) -> (last: Int64, changes: [TrackedTransaction])
    /// How many tracked transactions are in each state.
    func trackedCounts() async throws(StoreError) -> [TrackedTransaction.State: Int]
}

/// A tracked transaction read on the spot, without waiting: from a local database file (SQLite,
/// some microseconds), so the API answers a dashboard's status long-poll without a worker.
/// PostgreSQL has no such read: there the request goes the async way of `TransactionRepository`.
public protocol ImmediateTransactionReads: Sendable {
    func trackedTransaction(_ hash: Hash32) throws(StoreError) -> TrackedTransaction?
}

/// Sign-In with Ethereum: single-use nonces and sessions (kept by the hash of their token).
public protocol SessionRepository: Repository {
    func saveNonce(_ nonce: String, expiresAt: Date) async throws(StoreError)
    /// True once if `nonce` was issued and has not expired at `now`, false ever after.
    func consumeNonce(_ nonce: String, at now: Date) async throws(StoreError) -> Bool
    func createSession(tokenHash: String, address: Address, csrfToken: String, expiresAt: Date) async throws(StoreError)
    /// The session under `tokenHash` unless it has expired at `now`.
    func session(tokenHash: String, at now: Date) async throws(StoreError) -> Session?
    func deleteSession(tokenHash: String) async throws(StoreError)
}

/// The key-value cache of chain reads behind the memory cache.
public protocol CacheRepository: Repository {
    func cached(_ key: String) async throws(StoreError) -> (value: [UInt8], storedAt: Date)?
    func cache(_ key: String, _ value: [UInt8], at date: Date) async throws(StoreError)
    /// Removes the values whose key starts with `prefix`.
    func invalidate(prefix: String) async throws(StoreError)
}

/// What the agent remembers per conversation.
public protocol ConversationRepository: Repository {
    /// The saved state (JSON) of conversation `id` if it belongs to `address`.
    func conversationState(_ id: String, address: String?) async throws(StoreError) -> String?
    func saveConversation(_ id: String, address: String?, state: String) async throws(StoreError)
}

/// The agent's knowledge base, searched by words.
public protocol KnowledgeRepository: Repository {
    func loadKnowledge(_ articles: [(slug: String, title: String, body: String)]) async throws(StoreError)
    func searchKnowledge(_ words: [String], limit: Int) async throws(StoreError) -> [KnowledgeHit]
}

/// Addresses whose history the indexer keeps where it does not keep everything.
public protocol WatchRepository: Repository {
    /// Adds `address` to the watched set until `expiresAt` (nil: for good), or extends its
    /// watch; true when it was new.
    @discardableResult
    func watch(_ address: Address, source: String, at date: Date, until expiresAt: Date?) async throws(StoreError) -> Bool
}

/// What readers see of the indexed chain: history pages, owned NFTs, how far the indexer is.
public protocol HistoryRepository: WatchRepository {
    func history(_ query: HistoryQuery) async throws(StoreError) -> [ActivityEntry]
    func ownedNFTs(_ owner: Address) async throws(StoreError) -> [OwnedNFT]
    func indexerState(chainID: UInt64) async throws(StoreError) -> IndexerState?
    func nativeMovements(of address: Address, since: UInt64) async throws(StoreError) -> [NativeMovement]
    func dailyActivity(of address: Address, since: UInt64) async throws(StoreError) -> [DailyActivity]
}

/// What the indexer (`SonicSync`) writes and reads: batches of blocks, rollbacks, its position,
/// backfilled entries and the watched addresses.
public protocol IndexRepository: WatchRepository {
    func apply(_ batch: IndexBatch, chainID: UInt64, at date: Date) async throws(StoreError)
    func rollBack(above block: UInt64?, chainID: UInt64, at date: Date) async throws(StoreError)
    func indexerState(chainID: UInt64) async throws(StoreError) -> IndexerState?
    func indexedBlock(_ number: UInt64) async throws(StoreError) -> IndexedBlock?
    @discardableResult
    func insertBackfilled(_ entries: [ActivityEntry], source: String) async throws(StoreError) -> Int
    func watchedAddresses() async throws(StoreError) -> (all: Set<Address>, notBackfilled: [Address])
    func markBackfilled(_ address: Address, at date: Date) async throws(StoreError)
    /// Ends the watches whose time is up, `indexed` being the last block covered for them.
    @discardableResult
    func lapseWatches(at now: Date, indexed: UInt64) async throws(StoreError) -> Int
    /// Addresses watched again after a lapse, with the first block to re-read.
    func watchGaps() async throws(StoreError) -> [(address: Address, from: UInt64)]
    /// Writes one address's share of re-read blocks and moves its gap on.
    func fillGap(_ batch: IndexBatch, of address: Address, from: UInt64, through: UInt64, indexed: UInt64) async throws(StoreError)
    /// Keeps what token contracts seen for the first time say of themselves (`TokenRepository`).
    func saveTokenMetadata(_ metadata: [TokenMetadata]) async throws(StoreError)
    /// Removes old conversations, cached reads and settled tracked transactions.
    @discardableResult
    func trim(conversationsBefore conversations: Date, cacheBefore cache: Date, trackedBefore tracked: Date) async throws(StoreError) -> Trimmed
}

/// Uploaded content kept in the database (PostgreSQL, shared by the hosts): objects by their
/// root's key, each with its blocks.
public protocol ContentRepository: Repository {
    /// Stores an object and its blocks in one transaction; an object stored already is kept as it is.
    func saveContent(_ object: StoredContent) async throws(StoreError)
    /// The object stored under `root`, with its blocks; nil when there is none.
    func content(root: String) async throws(StoreError) -> StoredContent?
    /// Removes the object and its blocks; answers whether there was one.
    func removeContent(root: String) async throws(StoreError) -> Bool
}

/// One stored file: its type, size, the keys of its blocks in order, and the blocks by key.
public struct StoredContent: Sendable, Equatable {
    public var root: String
    public var contentType: String
    public var size: Int
    public var blockKeys: [String]
    public var blocks: [String: [UInt8]]

    public init(root: String, contentType: String, size: Int, blockKeys: [String], blocks: [String: [UInt8]]) {
        self.root = root
        self.contentType = contentType
        self.size = size
        self.blockKeys = blockKeys
        self.blocks = blocks
    }
}

/// NFT uploads by address: quotas, what was minted and pinned, what is removed unminted.
public protocol UploadRepository: Repository {
    func uploadUsage(of address: Address, since: Date) async throws(StoreError) -> UploadUsage
    func recordUpload(_ upload: NFTUpload) async throws(StoreError)
    @discardableResult
    func markMintedUploads(contract: Address?, at date: Date) async throws(StoreError) -> Int
    func uploadsToPin(at now: Date, limit: Int) async throws(StoreError) -> [(metadataCID: String, imageCID: String)]
    func recordPinning(_ metadataCID: String, at date: Date, retryAt: Date?) async throws(StoreError)
    func expireUnmintedUploads(before cutoff: Date, at date: Date) async throws(StoreError) -> [String]
}

/// Whether the database answers at all, for the health check.
public protocol DatabaseHealth: Sendable {
    func ping() async throws(StoreError)
}

extension Store: TransactionRepository, SessionRepository, CacheRepository, ConversationRepository, KnowledgeRepository,
                 HistoryRepository, IndexRepository, UploadRepository, DatabaseHealth, ImmediateTransactionReads {
    /// A local file: its calls return at once.
    public var answersOnTheSpot: Bool { true }
}

/// Every repository the app and the indexer use: what `Store` (SQLite) and `PostgresStore` both are.
public typealias AppDatabase = TransactionRepository & SessionRepository & CacheRepository & ConversationRepository & KnowledgeRepository
    & HistoryRepository & IndexRepository & UploadRepository & TokenRepository & AlertRepository & AddressChangeRepository & DatabaseHealth

// The defaults of `Store`'s methods, for callers holding only a protocol.

extension SessionRepository {
    public func consumeNonce(_ nonce: String) async throws(StoreError) -> Bool { try await consumeNonce(nonce, at: Date()) }
    public func session(tokenHash: String) async throws(StoreError) -> Session? { try await session(tokenHash: tokenHash, at: Date()) }
}

extension CacheRepository {
    public func cache(_ key: String, _ value: [UInt8]) async throws(StoreError) { try await cache(key, value, at: Date()) }
}

extension KnowledgeRepository {
    public func searchKnowledge(_ words: [String]) async throws(StoreError) -> [KnowledgeHit] { try await searchKnowledge(words, limit: 2) }
}

extension WatchRepository {
    /// Watches `address` for good (configured addresses, a backfill asked for by hand).
    @discardableResult
    public func watch(_ address: Address, source: String) async throws(StoreError) -> Bool { try await watch(address, source: source, at: Date(), until: nil) }
}

extension IndexRepository {
    public func apply(_ batch: IndexBatch, chainID: UInt64) async throws(StoreError) { try await apply(batch, chainID: chainID, at: Date()) }
    public func rollBack(above block: UInt64?, chainID: UInt64) async throws(StoreError) { try await rollBack(above: block, chainID: chainID, at: Date()) }
    public func markBackfilled(_ address: Address) async throws(StoreError) { try await markBackfilled(address, at: Date()) }
}
