import Ethereum
import Foundation
import GRDB
import Testing
@testable import SonicStore

/// The history tables: batches written whole, keyset pages, filters, reorganisations, NFTs.
@Suite struct HistoryStoreTests {
    let store: Store
    static let alice = try! Address("0x1111111111111111111111111111111111111111")
    static let bob = try! Address("0x2222222222222222222222222222222222222222")

    /// A hash named by a label, for readable tests.
    static func h(_ label: String) -> Hash32 { .keccak(Array(label.utf8)) }

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString).sqlite").path)
    }

    static func entry(_ block: UInt64, _ index: Int = 0, address: Address = alice, kind: ActivityEntry.Kind = .transfer,
                      direction: ActivityEntry.Direction = .outgoing, token: String = "S") -> ActivityEntry {
        ActivityEntry(address: address, block: block, txIndex: index, seq: -1, hash: h("\(block)-\(index)"), time: block * 10, kind: kind,
                      direction: direction, counterparty: bob, amountWei: UInt256(block), tokenSymbol: token, tokenDecimals: 18, status: .confirmed)
    }

    /// Blocks `range`, each with the given entries.
    func write(_ range: ClosedRange<UInt64>, entries: (UInt64) -> [ActivityEntry] = { [entry($0)] }) throws {
        var batch = IndexBatch(chainHead: range.upperBound)
        for number in range {
            batch.blocks.append(IndexedBlock(number: number, hash: Self.h("h\(number)"), parentHash: Self.h("h\(number - 1)"), timestamp: number * 10))
            batch.entries += entries(number)
        }
        try store.apply(batch, chainID: 1, at: Date())
    }

    @Test func pagesFollowEachOtherWithoutGapOrRepeatWhileNewBlocksArrive() throws {
        try write(1...30)
        let first = try store.history(HistoryQuery(address: Self.alice, limit: 10))
        #expect(first.map(\.block) == Array((21...30).reversed()))
        try write(31...40)  // new blocks after the first page was read
        let second = try store.history(HistoryQuery(address: Self.alice, limit: 10, after: first.last!.position))
        #expect(second.map(\.block) == Array((11...20).reversed()))
        let rest = try store.history(HistoryQuery(address: Self.alice, limit: 100, after: second.last!.position))
        #expect(rest.map(\.block) == Array((1...10).reversed()))
    }

    @Test func filtersByDirectionTypeAndToken() throws {
        try write(1...6) { number in
            [Self.entry(number, kind: number % 2 == 0 ? .tokenTransfer : .transfer, direction: number % 3 == 0 ? .incoming : .outgoing,
                        token: number % 2 == 0 ? "SUSD" : "S")]
        }
        #expect(try store.history(HistoryQuery(address: Self.alice, direction: .incoming)).map(\.block) == [6, 3])
        #expect(try store.history(HistoryQuery(address: Self.alice, kind: .tokenTransfer)).map(\.block) == [6, 4, 2])
        #expect(try store.history(HistoryQuery(address: Self.alice, token: .symbol("susd"))).map(\.block) == [6, 4, 2])
        #expect(try store.history(HistoryQuery(address: Self.bob)).isEmpty)
    }

    @Test func aBatchIsWrittenWholeOrNotAtAll() throws {
        try write(1...2)
        var batch = IndexBatch(chainHead: 4)
        batch.blocks = [IndexedBlock(number: 3, hash: Self.h("h3"), parentHash: Self.h("h2"), timestamp: 30),
                        IndexedBlock(number: 3, hash: Self.h("dup"), parentHash: Self.h("h2"), timestamp: 30)]  // violates the key
        batch.entries = [Self.entry(3)]
        #expect(throws: StoreError.self) { try store.apply(batch, chainID: 1, at: Date()) }
        #expect(try store.indexerState(chainID: 1)?.indexed == 2)
        #expect(try store.history(HistoryQuery(address: Self.alice)).map(\.block) == [2, 1])
    }

    @Test func rollingBackForgetsBlocksAndReopensTrackedTransactions() throws {
        try store.track(TrackedTransaction(hash: Self.h("5-0"), sender: Self.alice, nonce: 0))
        var batch = IndexBatch(chainHead: 5)
        for number in UInt64(1)...5 {
            batch.blocks.append(IndexedBlock(number: number, hash: Self.h("h\(number)"), parentHash: Self.h("h\(number - 1)"), timestamp: number))
            batch.entries.append(Self.entry(number))
        }
        batch.transactions = [IndexedTransaction(hash: Self.h("5-0"), block: 5, index: 0, sender: Self.alice, recipient: Self.bob, valueWei: 1,
                                                 feeWei: 21, gasUsed: 21_000, succeeded: true, reason: nil)]
        try store.apply(batch, chainID: 1, at: Date())
        #expect(try store.trackedTransaction(Self.h("5-0"))?.state == .confirmed)
        try store.rollBack(above: 3, chainID: 1, at: Date())
        #expect(try store.indexerState(chainID: 1)?.indexed == 3)
        #expect(try store.indexedBlock(4) == nil)
        #expect(try store.history(HistoryQuery(address: Self.alice)).map(\.block) == [3, 2, 1])
        let reopened = try #require(try store.trackedTransaction(Self.h("5-0")))
        #expect(reopened.state == .pending && reopened.block == nil)
    }

    @Test func changeLogListsEachStateChangeOnceWhoeverWroteIt() throws {
        let start = try store.lastTrackedChange()
        try store.track(TrackedTransaction(hash: Self.h("a"), sender: Self.alice, nonce: 0))
        try store.track(TrackedTransaction(hash: Self.h("b"), sender: Self.alice, nonce: 1))
        #expect(try store.trackedChanges(after: start).changes.isEmpty)  // tracking is not a change of state
        var confirmed = try #require(try store.trackedTransaction(Self.h("a")))
        confirmed.state = .confirmed
        confirmed.block = 7
        try store.update(confirmed)
        try store.update(confirmed)  // the same state again: not a change
        // Another connection writing plain SQL, as another process (the indexer) would.
        let other = try Store(path: store.path)
        try other.pool.write { db in try db.execute(sql: "UPDATE tracked_transaction SET state = 'failed', reason = 'x' WHERE hash = ?", arguments: [Self.h("b")]) }
        let (last, changes) = try store.trackedChanges(after: start)
        #expect(changes.map(\.hash) == [Self.h("a"), Self.h("b")] && changes.map(\.state) == [.confirmed, .failed] && changes[0].block == 7)
        #expect(try store.lastTrackedChange() == last)
        #expect(last == start + 2)
        let none = try store.trackedChanges(after: last)
        #expect(none.last == last && none.changes.isEmpty)
        // Two changes of one transaction read together: once, as it is now.
        confirmed.state = .pending
        try store.update(confirmed)
        confirmed.state = .confirmed
        try store.update(confirmed)
        let again = try store.trackedChanges(after: last)
        #expect(again.last == last + 2 && again.changes.map(\.hash) == [Self.h("a")] && again.changes[0].state == .confirmed)
    }

    @Test func nftOwnershipFollowsTheLastTransfer() throws {
        let contract = try Address("0x4444444444444444444444444444444444444444"), zero = try Address("0x0000000000000000000000000000000000000000")
        var batch = IndexBatch(chainHead: 2)
        batch.blocks = [IndexedBlock(number: 1, hash: Self.h("h1"), parentHash: Self.h("h0"), timestamp: 10),
                        IndexedBlock(number: 2, hash: Self.h("h2"), parentHash: Self.h("h1"), timestamp: 20)]
        batch.nftTransfers = [
            NFTTransferRecord(contract: contract, tokenID: 0, block: 1, logIndex: 0, sender: zero, receiver: Self.alice, tokenURI: "ipfs://a",
                              hash: Self.h("m0"), time: 10),
            NFTTransferRecord(contract: contract, tokenID: 1, block: 1, logIndex: 1, sender: zero, receiver: Self.alice, tokenURI: "ipfs://b",
                              hash: Self.h("m1"), time: 10),
            NFTTransferRecord(contract: contract, tokenID: 0, block: 2, logIndex: 0, sender: Self.alice, receiver: Self.bob, tokenURI: nil,
                              hash: Self.h("t"), time: 20),
        ]
        try store.apply(batch, chainID: 1, at: Date())
        #expect(try store.ownedNFTs(Self.alice).map(\.tokenID) == [1])
        let bobs = try store.ownedNFTs(Self.bob)
        #expect(bobs == [OwnedNFT(contract: contract, tokenID: 0, tokenURI: "ipfs://a", mintTransaction: Self.h("m0"), mintedAt: 10, acquiredAt: 20)])
    }

    @Test func backfillSkipsWhatTheNodeAlreadyGaveAndRepeats() throws {
        try write(5...5)
        var older = Self.entry(2)
        older.hash = Self.h("old")
        var same = Self.entry(5)
        same.seq = 1_000_000  // Etherscan's copy of a transaction the node decoded
        #expect(try store.insertBackfilled([older, same], source: "etherscan") == 1)
        #expect(try store.insertBackfilled([older], source: "etherscan") == 0)
        #expect(try store.history(HistoryQuery(address: Self.alice)).map(\.block) == [5, 2])
    }

    @Test func cursorTextRoundTripsAndRejectsJunk() {
        let position = HistoryPosition(block: 12, txIndex: 3, seq: -1)
        #expect(HistoryPosition(position.description) == position)
        for junk in ["", "1.2", "a.b.c", "1.2.-2", "1.-1.0", "99999999999999999999.0.0", "1.2.3.4"] {
            #expect(HistoryPosition(junk) == nil, "\(junk)")
        }
    }
}
