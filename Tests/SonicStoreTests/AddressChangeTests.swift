import Ethereum
import Foundation
import Testing
@testable import SonicStore

/// The per-address change log the live feed waits on: written by the database itself whenever
/// activity is recorded or removed, or a tracked transaction changes state.
@Suite struct AddressChangeTests {
    let history = try! HistoryStoreTests()
    var store: Store { history.store }
    static let (alice, bob) = (HistoryStoreTests.alice, HistoryStoreTests.bob)

    @Test func indexedActivityIsLoggedPerAddressInCommitOrder() throws {
        #expect(try store.lastAddressChange() == 0)
        try history.write(1...2) { number in
            [HistoryStoreTests.entry(number, address: Self.alice), HistoryStoreTests.entry(number, address: Self.bob, direction: .incoming)]
        }
        let all = try store.addressChanges(after: 0, limit: 100)
        #expect(all.count == 4 && all.map(\.seq) == all.map(\.seq).sorted() && all.allSatisfy { $0.kind == .activity })
        #expect(try store.lastAddressChange() == all.last!.seq)
        let bobs = try store.addressChanges(of: Self.bob, after: 0, limit: 100)
        #expect(bobs.map(\.hash) == [HistoryStoreTests.h("1-0"), HistoryStoreTests.h("2-0")])
        // After a cursor: only what came later; and nothing for an address with no activity.
        #expect(try store.addressChanges(of: Self.bob, after: bobs[0].seq, limit: 100).map(\.hash) == [HistoryStoreTests.h("2-0")])
        #expect(try store.addressChanges(of: Address("0x3333333333333333333333333333333333333333"), after: 0, limit: 100).isEmpty)
        #expect(try store.addressChanges(after: 0, limit: 1).count == 1)
    }

    @Test func aReorganisationThatRemovesActivityIsAChangeToo() throws {
        try history.write(1...4)
        let before = try store.lastAddressChange()
        try store.rollBack(above: 2, chainID: 1, at: Date())
        let removed = try store.addressChanges(of: Self.alice, after: before, limit: 100)
        #expect(Set(removed.map(\.hash)) == [HistoryStoreTests.h("3-0"), HistoryStoreTests.h("4-0")])
    }

    @Test func aTrackedTransactionsStateChangeIsAChangeOfItsSender() throws {
        let hash = HistoryStoreTests.h("sent")
        try store.track(TrackedTransaction(hash: hash, sender: Self.alice, nonce: 0))
        let before = try store.lastAddressChange()
        #expect(before == 0)  // tracking is not news: the page that sent it knows
        var settled = try #require(try store.trackedTransaction(hash))
        settled.state = .confirmed
        settled.block = 5
        try store.update(settled)
        let changes = try store.addressChanges(of: Self.alice, after: before, limit: 100)
        #expect(changes.map(\.hash) == [hash] && changes.map(\.kind) == [.transaction])
        try store.update(settled)  // the same state again is no change
        #expect(try store.addressChanges(of: Self.alice, after: before, limit: 100).count == 1)
    }
}
