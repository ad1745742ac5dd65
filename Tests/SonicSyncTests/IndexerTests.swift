import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import Synchronization
import Testing
@testable import SonicSync

/// The indexer on a chain the test builds block by block: it follows the head in batches,
/// notices a reorganisation by parent hashes, undoes exactly the blocks no longer on the chain
/// and indexes the new ones, and refuses a node of another chain.
@Suite struct IndexerTests {
    /// Blocks without transactions; `fork` changes the hashes from a height on.
    final class ChainOfBlocks: IndexerSource, @unchecked Sendable {
        private let blocks = Mutex<[Block]>([])
        /// Receipts of the transactions put in blocks, by hash.
        private let receiptsByHash = Mutex<[Hash32: Receipt]>([:])
        let chain: UInt64

        init(chainID: UInt64 = 31337) { chain = chainID }

        static func hash(_ number: UInt64, branch: UInt8) -> String {
            "0x" + Hex.encode([branch] + Array(repeating: 0, count: 23) + withUnsafeBytes(of: number.bigEndian, Array.init)).dropFirst(2)
        }

        /// Makes blocks up to `height` of branch `branch`, replacing those from `from` on when given.
        func grow(to height: UInt64, branch: UInt8 = 1, from: UInt64? = nil) {
            blocks.withLock { blocks in
                if let from { blocks.removeAll { $0.number.value >= from } }
                while UInt64(blocks.count) <= height {
                    let number = UInt64(blocks.count)
                    let parent = blocks.last.map { Hex.encode($0.hash.bytes) } ?? "0x" + String(repeating: "0", count: 64)
                    let json = """
                        {"number":"\(Hex.quantity(number))","hash":"\(Self.hash(number, branch: branch))","parentHash":"\(parent)",
                         "timestamp":"\(Hex.quantity(1_795_000_000 + number))","gasLimit":"0x1c9c380","gasUsed":"0x0",
                         "baseFeePerGas":"0x1","transactions":[\(transfers[number].map { Self.transaction(number, $0) } ?? "")]}
                        """
                    blocks.append(try! JSONDecoder().decode(Block.self, from: Data(json.utf8)))
                }
            }
        }

        /// Plain transfers of 1.5 S to put in blocks by number: (from, to, succeeded).
        var transfers: [UInt64: (from: String, to: String, succeeded: Bool)] = [:]

        static func txHash(_ number: UInt64) -> String { hash(number, branch: 0xEE) }

        static func transaction(_ number: UInt64, _ transfer: (from: String, to: String, succeeded: Bool)) -> String {
            """
            {"hash":"\(txHash(number))","nonce":"0x0","blockHash":"\(hash(number, branch: 1))","blockNumber":"\(Hex.quantity(number))",
             "transactionIndex":"0x0","from":"\(transfer.from)","to":"\(transfer.to)","value":"0x14d1120d7b160000","gas":"0x5208",
             "gasPrice":"0x3b9aca00","input":"0x","type":"0x0"}
            """
        }

        func chainID() throws(ChainError) -> UInt64 { chain }
        func blockNumber() throws(ChainError) -> UInt64 { blocks.withLock { UInt64($0.count - 1) } }
        func header(_ number: UInt64) throws(ChainError) -> Block? {
            blocks.withLock { number < $0.count ? $0[Int(number)] : nil }
        }
        func blocks(_ range: ClosedRange<UInt64>) throws(ChainError) -> [Result<Block?, ChainError>] {
            range.map { number in .success(blocks.withLock { number < $0.count ? $0[Int(number)] : nil }) }
        }
        func receipts(_ hashes: [Hash32]) throws(ChainError) -> [Result<Receipt?, ChainError>] {
            hashes.map { hash in
                guard let number = transfers.keys.first(where: { Self.txHash($0) == hash.description }), let transfer = transfers[number] else {
                    return .success(nil)
                }
                let json = """
                    {"transactionHash":"\(Self.txHash(number))","blockHash":"\(Self.hash(number, branch: 1))","blockNumber":"\(Hex.quantity(number))",
                     "from":"\(transfer.from)","to":"\(transfer.to)","gasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00",
                     "contractAddress":null,"logs":[],"status":"\(transfer.succeeded ? "0x1" : "0x0")"}
                    """
                return .success(try! JSONDecoder().decode(Receipt.self, from: Data(json.utf8)))
            }
        }
        func revertReason(of transaction: TransactionInfo, block: UInt64) -> String { "reverted" }
        /// Every `eth_getLogs` filter asked for.
        let filters = Mutex<[LogFilter]>([])
        func logs(_ filter: LogFilter) throws(ChainError) -> [Log] {
            filters.withLock { $0.append(filter) }
            return []
        }
        func tokenSymbol(_ token: Address) -> String? { nil }
        func tokenDecimals(_ token: Address) -> Int? { nil }
    }

    let chain = ChainOfBlocks()
    let store: Store
    let indexer: Indexer

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("indexer-\(UUID().uuidString).sqlite").path)
        var options = Indexer.Options(indexAll: true, startBlock: 0)
        options.batchSize = 4
        indexer = Indexer(client: chain, store: store, chainID: 31337, catalog: Catalog(network: .devnet, deployments: nil), options: options)
    }

    func stored(_ number: UInt64) throws -> String? { try store.indexedBlock(number)?.hash.description }

    @Test func followsTheHeadInBatches() throws {
        chain.grow(to: 9)
        #expect(try indexer.step() == .init(blocks: 4, indexed: 3, head: 9, rolledBack: nil))
        #expect(try indexer.step() == .init(blocks: 4, indexed: 7, head: 9, rolledBack: nil))
        #expect(try indexer.step() == .init(blocks: 2, indexed: 9, head: 9, rolledBack: nil))
        #expect(try indexer.step() == .init(blocks: 0, indexed: 9, head: 9, rolledBack: nil))
        #expect(try store.indexerState(chainID: 31337)?.indexed == 9)
    }

    @Test func aReorganisationUndoesExactlyTheBlocksNoLongerOnTheChain() throws {
        chain.grow(to: 5)
        _ = try indexer.step()
        _ = try indexer.step()
        #expect(try stored(5) == ChainOfBlocks.hash(5, branch: 1))
        // Blocks 3 and on are replaced, and the new branch is one longer.
        chain.grow(to: 6, branch: 2, from: 3)
        let undo = try indexer.step()
        #expect(undo.rolledBack == 3 && undo.indexed == 2 && undo.blocks == 0)
        #expect(try stored(3) == nil && stored(2) == ChainOfBlocks.hash(2, branch: 1))
        #expect(try indexer.step() == .init(blocks: 4, indexed: 6, head: 6, rolledBack: nil))
        #expect(try (3...6).map(stored) == (3...6).map { ChainOfBlocks.hash($0, branch: 2) })
    }

    @Test func aShorterChainIsUndoneToWhereItAgrees() throws {
        chain.grow(to: 7)
        _ = try indexer.step()
        _ = try indexer.step()
        // A chain now shorter (a devnet restarted from a snapshot): its head is another block 4.
        chain.grow(to: 4, branch: 3, from: 4)
        let undo = try indexer.step()
        #expect(undo.indexed == 3 && undo.rolledBack == 4, "\(undo)")
        #expect(try stored(4) == nil && stored(3) == ChainOfBlocks.hash(3, branch: 1))
        // The same head as indexed, only shorter: the blocks above it go, nothing else.
        chain.grow(to: 4, branch: 3)
        #expect(try indexer.step() == .init(blocks: 1, indexed: 4, head: 4, rolledBack: nil))
        chain.grow(to: 2, branch: 3, from: 3)
        chain.grow(to: 2)
        let shorter = try indexer.step()
        #expect(shorter.indexed == 2 && shorter.rolledBack == 2)
    }

    @Test func transfersBecomeBothPartiesHistoryAndAFailureKeepsItsReason() throws {
        let (alice, bob) = ("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc")
        chain.transfers = [2: (alice, bob, true), 3: (bob, alice, false)]
        chain.grow(to: 3)
        #expect(try indexer.step() == .init(blocks: 4, indexed: 3, head: 3, rolledBack: nil))
        let mine = try store.history(HistoryQuery(address: try Address(alice), limit: 10))
        #expect(mine.map(\.direction) == [.incoming, .outgoing] && mine.map(\.amountWei) == [1_500_000_000_000_000_000, 1_500_000_000_000_000_000])
        #expect(mine[0].status == .failed && mine[0].reason == "reverted" && mine[0].feeWei == nil)
        #expect(try mine[1].status == .confirmed && mine[1].feeWei == 21_000_000_000_000 && mine[1].counterparty == Address(bob))
        #expect(try store.history(HistoryQuery(address: try Address(bob), limit: 10)).count == 2)
    }

    @Test func aNodeOfAnotherChainIsRefused() throws {
        let other = Indexer(client: ChainOfBlocks(chainID: 146), store: store, chainID: 31337,
                            catalog: Catalog(network: .devnet, deployments: nil), options: .init(indexAll: true))
        #expect(throws: SyncError.self) { try other.step() }
    }
}

/// Where the indexer keeps only watched addresses: a lookup's watch ends after its time, looking
/// the address up again watches it again and the blocks missed meanwhile are read again; topic
/// lists of `eth_getLogs` stay within the provider-safe size (issue 18).
@Suite struct WatchedIndexerTests {
    static let alice = try! Address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
    static let bob = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"

    let chain = IndexerTests.ChainOfBlocks()
    let store: Store
    /// The indexer's clock, moved by hand.
    final class Clock: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    }

    let clock = Clock()

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("watched-\(UUID().uuidString).sqlite").path)
    }

    func indexer(addressesPerFilter: Int = 100) -> Indexer {
        var options = Indexer.Options(indexAll: false, startBlock: 0)
        options.batchSize = 4
        options.logsAddressesPerFilter = addressesPerFilter
        let clock = clock
        return Indexer(client: chain, store: store, chainID: 31337, catalog: Catalog(network: .devnet, deployments: nil), options: options,
                       now: { clock.time.withLock { $0 } })
    }

    func advance(_ seconds: Double) { clock.time.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var now: Date { clock.time.withLock { $0 } }

    func blocks(of address: Address) throws -> [UInt64] {
        try store.history(HistoryQuery(address: address, limit: 100)).map(\.block).sorted()
    }

    @Test func aLookupsWatchEndsAndLookingAgainFillsTheGap() throws {
        let indexer = indexer()
        // Incoming transfers to alice in blocks 2, 6 and 10.
        chain.transfers = [2: (Self.bob, Self.alice.lowercased, true), 6: (Self.bob, Self.alice.lowercased, true), 10: (Self.bob, Self.alice.lowercased, true)]
        chain.grow(to: 3)
        try store.watch(Self.alice, source: "lookup", at: now, until: now.addingTimeInterval(3_600))
        _ = try indexer.step()
        #expect(try blocks(of: Self.alice) == [2])
        // An hour on the watch ends: blocks 4 to 7 are read without her.
        advance(3_601)
        chain.grow(to: 7)
        _ = try indexer.step()
        #expect(try store.watchedAddresses().all.isEmpty && blocks(of: Self.alice) == [2])
        // Looked up again: watched from the next block on, and the gap (4 to 7) is read again.
        #expect(try store.watch(Self.alice, source: "lookup", at: now, until: now.addingTimeInterval(3_600)) == false)
        chain.grow(to: 11)
        _ = try indexer.step()
        _ = try indexer.step()
        #expect(try blocks(of: Self.alice) == [2, 10])
        #expect(try store.watchGaps().map(\.from) == [4])
        #expect(try indexer.fillGap() == 4)
        #expect(try blocks(of: Self.alice) == [2, 6, 10])
        // It reads on to the last indexed block (what the step after the new watch may have
        // read without her), keeping what is there, then the gap is closed.
        #expect(try indexer.fillGap() == 4 && blocks(of: Self.alice) == [2, 6, 10])
        #expect(try store.watchGaps().isEmpty && indexer.fillGap() == 0)
    }

    @Test func noLogFilterCarriesMoreAddressesThanTheLimit() throws {
        let indexer = indexer(addressesPerFilter: 100)
        for index in 1...250 {
            try store.watch(try Address("0x" + String(format: "%040x", index)), source: "lookup", at: now, until: nil)
        }
        chain.grow(to: 3)
        _ = try indexer.step()
        let filters = chain.filters.withLock { $0 }
        let lists = filters.compactMap { $0.topics.last ?? nil }
        #expect(filters.count == 6 && lists.allSatisfy { $0.count <= 100 })
        // Every watched address is asked about, as sender and as receiver.
        #expect(Set(lists.flatMap { $0 }).count == 250 && lists.map(\.count).reduce(0, +) == 500)
    }
}
