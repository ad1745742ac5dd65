import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Synchronization

/// Follows the chain and writes what it sees to the store: block headers, transactions and
/// decoded per-address activity, one batch of blocks per database transaction so a crash at
/// any moment resumes where the last batch ended, with no gap and no duplicate.
public final class Indexer: Sendable {
    public struct Options: Sendable {
        /// Blocks read per step (one JSON-RPC batch).
        public var batchSize: UInt64 = 50
        /// Keep every transaction (the devnet); otherwise only those of watched addresses.
        public var indexAll: Bool
        /// Where a fresh database starts; nil means block 0 when indexing all, else the head.
        public var startBlock: UInt64?
        /// How far back a reorganisation may reach before the indexer gives up (on the devnet,
        /// a restart with a fresh chain undoes everything).
        public var maxReorgDepth: UInt64
        /// Headers kept below the last indexed block when not indexing all.
        public var keepHeaders: UInt64 = 2_048
        /// Addresses in one `eth_getLogs` topic list (providers limit its size): more watched
        /// addresses are asked about in more calls.
        public var logsAddressesPerFilter = 100

        public init(indexAll: Bool, startBlock: UInt64? = nil) {
            self.indexAll = indexAll
            self.startBlock = startBlock
            self.maxReorgDepth = indexAll ? .max : 1_024
        }
    }

    /// What one step did.
    public struct Progress: Sendable, Equatable {
        /// Blocks written by this step.
        public var blocks: Int
        /// The last indexed block after the step (nil before the first, or after undoing everything).
        public var indexed: UInt64?
        /// The node's head.
        public var head: UInt64
        /// Blocks undone because the chain reorganised, if it did.
        public var rolledBack: UInt64?
    }

    let client: any IndexerSource
    let store: any IndexRepository
    let chainID: UInt64
    let options: Options
    /// The time now: watches end by it (tests give their own).
    let now: @Sendable () -> Date
    private let catalog: Mutex<Catalog>
    private let checkedChain = Atomic<Bool>(false)

    public init(client: any IndexerSource, store: any IndexRepository, chainID: UInt64, catalog: Catalog, options: Options,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.store = store
        self.chainID = chainID
        self.catalog = Mutex(catalog)
        self.options = options
        self.now = now
    }

    /// Reads and writes the next batch of blocks (or undoes a reorganisation).
    /// - Throws: `SyncError` when the node serves another chain, the node or the store fails,
    ///   or a reorganisation is deeper than allowed. Nothing half-done is left behind.
    @discardableResult
    public func step() throws(SyncError) -> Progress {
        if !checkedChain.load(ordering: .relaxed) {
            let served = try chain { () throws(ChainError) in try client.chainID() }
            guard served == chainID else { throw .wrongChain(expected: chainID, served: served) }
            checkedChain.store(true, ordering: .relaxed)
        }
        let head = try chain { () throws(ChainError) in try client.blockNumber() }
        let state = try storage { [chainID] store async throws(StoreError) in try await store.indexerState(chainID: chainID) }
        // A chain now shorter than what was indexed has reorganised (or restarted afresh).
        if let indexed = state?.indexed, indexed > head {
            let stored = try storage { store async throws(StoreError) in try await store.indexedBlock(head) }
            let onChain = try chain { () throws(ChainError) in try client.header(head) }
            if let stored, let onChain, stored.hash == onChain.hash {
                try storage { [chainID] store async throws(StoreError) in try await store.rollBack(above: head, chainID: chainID) }
                return Progress(blocks: 0, indexed: head, head: head, rolledBack: indexed - head)
            }
            return try rollBack(from: indexed, below: head, head: head)
        }
        let next = state.map { $0.indexed + 1 } ?? options.startBlock ?? (options.indexAll ? 0 : head)
        guard next <= head else { return Progress(blocks: 0, indexed: state?.indexed, head: head) }

        let last = min(head, next + options.batchSize - 1)
        let blocks = try fetchBlocks(next...last)
        guard let first = blocks.first else { return Progress(blocks: 0, indexed: state?.indexed, head: head) }
        if let indexed = state?.indexed, let previous = try storage({ store async throws(StoreError) in try await store.indexedBlock(indexed) }),
           previous.hash != first.parentHash {
            return try rollBack(from: indexed, below: indexed - min(indexed, 1), head: head)
        }

        var batch = IndexBatch(chainHead: head, keepHeaders: options.indexAll ? nil : options.keepHeaders)
        if !options.indexAll, let indexed = state?.indexed {
            // Watches whose time is up end here: covered through the last block written.
            _ = try storage { [now = now()] store async throws(StoreError) in try await store.lapseWatches(at: now, indexed: indexed) }
        }
        let watched = options.indexAll ? nil : try storage { store async throws(StoreError) in try await store.watchedAddresses().all }
        for block in blocks {
            batch.blocks.append(IndexedBlock(number: block.number.value, hash: block.hash, parentHash: block.parentHash,
                                             timestamp: block.timestamp.value))
        }
        try decode(blocks, watched: watched, into: &batch)
        try storage { [batch, chainID] store async throws(StoreError) in try await store.apply(batch, chainID: chainID) }
        return Progress(blocks: blocks.count, indexed: blocks.last?.number.value, head: head)
    }

    /// Adds what the transactions of `blocks` that matter (all, or those of the `watched`
    /// addresses) mean to each party to `batch`.
    func decode(_ blocks: [Block], watched: Set<Address>?, into batch: inout IndexBatch) throws(SyncError) {
        let mined = try minedTransactions(in: blocks, watched: watched)
        let decoder = ActivityDecoder(catalog: catalog.withLock { $0 })
        let keep: (Address) -> Bool = watched.map { set in { set.contains($0) } } ?? { _ in true }
        for block in blocks {
            for transaction in mined[block.number.value] ?? [] {
                let decoded = decoder.decode(transaction, time: block.timestamp.value, keep: keep)
                batch.transactions.append(decoded.transaction)
                batch.entries += decoded.entries
                batch.nftTransfers += decoded.nftTransfers
                batch.approvals += decoded.approvals
            }
        }
    }

    /// The blocks of `range` with their transactions, stopping early where the node has none
    /// or where consecutive blocks do not link (a reorganisation while reading).
    func fetchBlocks(_ range: ClosedRange<UInt64>) throws(SyncError) -> [Block] {
        let results = try chain { () throws(ChainError) in
            try client.blocks(range)
        }
        var blocks: [Block] = []
        for result in results {
            guard case .success(let found) = result, let block = found else { break }
            if let previous = blocks.last, previous.hash != block.parentHash { break }
            blocks.append(block)
        }
        if blocks.isEmpty, case .failure(let error) = results.first { throw .chain(error) }
        return blocks
    }

    /// The transactions of `blocks` that matter (all, or those of the `watched` addresses), with
    /// receipts and revert reasons, by block.
    func minedTransactions(in blocks: [Block], watched: Set<Address>?) throws(SyncError) -> [UInt64: [MinedTransaction]] {
        var candidates: [TransactionInfo] = []
        var logHashes: Set<Hash32> = []
        if let watched {
            guard !watched.isEmpty else { return [:] }
            logHashes = try tokenTransferHashes(blocks, watched: watched)
        }
        for block in blocks {
            for case .full(let transaction) in block.transactions {
                if let watched, !watched.contains(transaction.from), transaction.to.map(watched.contains) != true,
                   !logHashes.contains(transaction.hash) {
                    continue
                }
                candidates.append(transaction)
            }
        }
        var receipts: [Receipt] = []
        for chunk in stride(from: 0, to: candidates.count, by: 200).map({ candidates[$0..<min($0 + 200, candidates.count)] }) {
            let results = try chain { () throws(ChainError) in
                try client.receipts(chunk.map(\.hash))
            }
            for (transaction, result) in zip(chunk, results) {
                switch result {
                case .success(let receipt?): receipts.append(receipt)
                case .success(nil):
                    throw .inconsistent("the node has no receipt for \(transaction.hash), mined in a block it served")
                case .failure(let error): throw .chain(error)
                }
            }
        }
        try learnTokens(in: receipts)
        var mined: [UInt64: [MinedTransaction]] = [:]
        for (transaction, receipt) in zip(candidates, receipts) {
            let reason = receipt.succeeded ? nil : client.revertReason(of: transaction, block: receipt.blockNumber.value)
            mined[receipt.blockNumber.value, default: []].append(MinedTransaction(transaction: transaction, receipt: receipt, reason: reason))
        }
        return mined
    }

    /// Hashes of transactions in `blocks` that moved tokens to or from a watched address, or
    /// gave an allowance of its tokens (an `Approval` sent by someone else, as with a permit):
    /// the watched addresses in topic lists of at most `logsAddressesPerFilter`, as sender (or
    /// owner) and as receiver.
    func tokenTransferHashes(_ blocks: [Block], watched: Set<Address>) throws(SyncError) -> Set<Hash32> {
        guard let first = blocks.first?.number.value, let last = blocks.last?.number.value else { return [] }
        let topic = Catalog.transferTopic
        let padded = watched.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
            .compactMap { try? Hash32(bytes: [UInt8](repeating: 0, count: 12) + $0.bytes) }
        let size = max(1, options.logsAddressesPerFilter)
        var hashes: Set<Hash32> = []
        for start in stride(from: 0, to: padded.count, by: size) {
            let part = Array(padded[start..<min(start + size, padded.count)])
            for topics in [[[topic, Catalog.approvalTopic], part], [[topic], nil, part]] as [[[Hash32]?]] {
                let logs = try chain { () throws(ChainError) in
                    try client.logs(LogFilter(fromBlock: .number(first), toBlock: .number(last), topics: topics))
                }
                hashes.formUnion(logs.map(\.transactionHash))
            }
        }
        return hashes
    }

    /// Re-reads, for the first address watched again after its watch lapsed, up to `batchSize`
    /// of the blocks it missed, and writes its share of them; returns how many blocks were read
    /// (0 when there is no gap). Called while caught up; a reorganisation later undoes what it
    /// wrote like anything else above the fork.
    @discardableResult
    public func fillGap() throws(SyncError) -> Int {
        guard !options.indexAll, let gap = try storage({ store async throws(StoreError) in try await store.watchGaps() }).first,
              let indexed = try storage({ [chainID] store async throws(StoreError) in try await store.indexerState(chainID: chainID) })?.indexed else { return 0 }
        guard gap.from <= indexed else {
            try storage { store async throws(StoreError) in
                try await store.fillGap(IndexBatch(chainHead: indexed), of: gap.address, from: gap.from, through: indexed, indexed: indexed)
            }
            return 0
        }
        let blocks = try fetchBlocks(gap.from...min(indexed, gap.from + options.batchSize - 1))
        guard let through = blocks.last?.number.value else { return 0 }
        var batch = IndexBatch(chainHead: indexed)
        try decode(blocks, watched: [gap.address], into: &batch)
        try storage { [batch] store async throws(StoreError) in try await store.fillGap(batch, of: gap.address, from: gap.from, through: through, indexed: indexed) }
        return blocks.count
    }

    /// Reads the symbol and decimals of token contracts seen for the first time; an ERC-20's
    /// (with its name) are kept in the store, where the app finds them (`TokenService`) without
    /// reading them again.
    func learnTokens(in receipts: [Receipt]) throws(SyncError) {
        let known = catalog.withLock { Set($0.tokens.keys) }
        var fresh: [Address: Int] = [:]  // address → topic count
        for receipt in receipts where receipt.succeeded {
            for log in receipt.logs where log.topics.count >= 3 && (log.topics[0] == Catalog.transferTopic || log.topics[0] == Catalog.approvalTopic) {
                if !known.contains(log.address) { fresh[log.address] = log.topics.count }
            }
        }
        var kept: [TokenMetadata] = []
        for (address, topics) in fresh {
            let symbol = KnownToken.shown(client.tokenSymbol(address) ?? "")
            let read = topics == 4 ? nil : client.tokenDecimals(address).map { min(max($0, 0), 77) }
            catalog.withLock { $0.tokens[address] = Catalog.Token(symbol: symbol, decimals: read ?? 0) }
            if let decimals = read {
                kept.append(TokenMetadata(address: address, name: KnownToken.shownName(client.tokenName(address) ?? symbol), symbol: symbol,
                                          decimals: decimals, readAt: now()))
            }
        }
        try storage { [kept] store async throws(StoreError) in try await store.saveTokenMetadata(kept) }
    }

    /// Undoes the indexed blocks above the highest one, at or below `start`, still on the chain.
    func rollBack(from indexed: UInt64, below start: UInt64, head: UInt64) throws(SyncError) -> Progress {
        let fork = try findForkPoint(below: start)
        try storage { [chainID] store async throws(StoreError) in try await store.rollBack(above: fork, chainID: chainID) }
        return Progress(blocks: 0, indexed: fork, head: head, rolledBack: indexed - (fork ?? 0) + (fork == nil ? 1 : 0))
    }

    /// The highest stored block that is still on the chain, walking down from `block`; nil
    /// when not even the first one is (a devnet started afresh): then everything goes.
    func findForkPoint(below block: UInt64) throws(SyncError) -> UInt64? {
        var number = block
        while true {
            guard block - number < options.maxReorgDepth else {
                throw .reorgTooDeep(from: block, depth: options.maxReorgDepth)
            }
            guard let stored = try storage({ [number] store async throws(StoreError) in try await store.indexedBlock(number) }) else {
                // Below the headers kept: trust what is older.
                return number
            }
            let onChain = try chain { () throws(ChainError) in try client.header(number) }
            if let onChain, onChain.hash == stored.hash { return number }
            guard number > 0 else { return nil }
            number -= 1
        }
    }

    private func chain<Value>(_ body: () throws(ChainError) -> Value) throws(SyncError) -> Value {
        do { return try body() } catch { throw .chain(error) }
    }

    private func storage<Value: Sendable>(_ body: @escaping @Sendable (any IndexRepository) async throws(StoreError) -> Value) throws(SyncError) -> Value {
        do { return try blocking(store, body) } catch { throw .store(error) }
    }
}

/// Why the indexer could not take a step.
public enum SyncError: Error, Sendable, CustomStringConvertible {
    case wrongChain(expected: UInt64, served: UInt64)
    case chain(ChainError)
    case store(StoreError)
    case inconsistent(String)
    case reorgTooDeep(from: UInt64, depth: UInt64)
    /// On PostgreSQL: this process lost the indexer's lock and another sonic-sync holds it now.
    case standby

    public var description: String {
        switch self {
        case .wrongChain(let expected, let served): "the node serves chain id \(served), expected \(expected)"
        case .chain(let error): "\(error)"
        case .store(let error): "\(error)"
        case .inconsistent(let what): what
        case .reorgTooDeep(let from, let depth):
            "the chain reorganised more than \(depth) blocks below block \(from); rebuild the index (delete the database's indexed tables)"
        case .standby: "another sonic-sync is indexing this database; waiting as a standby"
        }
    }
}
