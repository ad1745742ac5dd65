import Ethereum
import Foundation
import Testing
@testable import SonicStore

/// The token tables: metadata kept once, tokens seen and added, and the allowance index.
@Suite struct TokenStoreTests {
    let store: Store
    static let alice = try! Address("0x1111111111111111111111111111111111111111")
    static let router = try! Address("0x6666666666666666666666666666666666666666")
    static let other = try! Address("0x7777777777777777777777777777777777777777")
    static let susd = try! Address("0x3333333333333333333333333333333333333333")
    static let foo = try! Address("0x4444444444444444444444444444444444444444")

    init() throws {
        store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString).sqlite").path)
    }

    static func approval(_ block: UInt64, token: Address = susd, spender: Address = router, value: UInt256, log: Int = 0) -> TokenApproval {
        TokenApproval(owner: alice, token: token, spender: spender, block: block, logIndex: log, valueWei: value,
                      hash: HistoryStoreTests.h("a\(block)-\(log)"), time: block * 10)
    }

    func write(_ number: UInt64, approvals: [TokenApproval] = [], entries: [ActivityEntry] = []) throws {
        var batch = IndexBatch(chainHead: number)
        batch.blocks = [IndexedBlock(number: number, hash: HistoryStoreTests.h("h\(number)"), parentHash: HistoryStoreTests.h("h\(number - 1)"), timestamp: number * 10)]
        batch.approvals = approvals
        batch.entries = entries
        try store.apply(batch, chainID: 1, at: Date())
    }

    @Test func theLatestApprovalOfEachPairIsTheOneListedAndARollbackRestoresTheEarlierOne() throws {
        try write(1, approvals: [Self.approval(1, value: 5), Self.approval(1, spender: Self.other, value: .max, log: 1)])
        try write(2, approvals: [Self.approval(2, value: 0), Self.approval(2, token: Self.foo, value: 9, log: 1)])
        let latest = try store.latestApprovals(of: Self.alice, limit: 10)
        #expect(latest.map { [$0.token, $0.spender] } == [[Self.foo, Self.router], [Self.susd, Self.router], [Self.susd, Self.other]])
        #expect(latest.map(\.valueWei) == [9, 0, .max])
        try store.rollBack(above: 1, chainID: 1, at: Date())
        let before = try store.latestApprovals(of: Self.alice, limit: 10)
        #expect(before.map(\.valueWei) == [.max, 5] && before.allSatisfy { $0.token == Self.susd })
        #expect(try store.latestApprovals(of: Self.alice, limit: 1).count == 1)
        #expect(try store.latestApprovals(of: Self.router, limit: 10).isEmpty)
    }

    @Test func tokensSeenAreTheTokenTransfersOfTheHistoryNewestFirst() throws {
        func moved(_ block: UInt64, _ token: Address, kind: ActivityEntry.Kind = .tokenTransfer) -> ActivityEntry {
            ActivityEntry(address: Self.alice, block: block, txIndex: 0, seq: 1, hash: HistoryStoreTests.h("t\(block)"), time: block, kind: kind,
                          direction: .incoming, counterparty: Self.other, amountWei: 1, tokenSymbol: "X", tokenAddress: token, tokenDecimals: 6,
                          status: .confirmed)
        }
        try write(1, entries: [moved(1, Self.susd)])
        try write(2, entries: [moved(2, Self.foo)])
        try write(3, entries: [moved(3, Self.router, kind: .tokenApproval)])  // an approval is no holding
        #expect(try store.tokensSeen(by: Self.alice, limit: 10) == [Self.foo, Self.susd])
        #expect(try store.tokensSeen(by: Self.alice, limit: 1) == [Self.foo])
        #expect(try store.tokensSeen(by: Self.other, limit: 10).isEmpty)
    }

    @Test func addedTokensAreBoundedPerAddressAndAddingTwiceIsOnce() throws {
        let now = Date(timeIntervalSince1970: 1_000)
        #expect(try store.addToken(Self.susd, for: Self.alice, limit: 2, at: now))
        #expect(try store.addToken(Self.susd, for: Self.alice, limit: 2, at: now))
        #expect(try store.addToken(Self.foo, for: Self.alice, limit: 2, at: now.addingTimeInterval(1)))
        #expect(try !store.addToken(Self.router, for: Self.alice, limit: 2, at: now))
        #expect(try store.addedTokens(of: Self.alice) == [Self.susd, Self.foo])
        #expect(try store.removeToken(Self.susd, for: Self.alice))
        #expect(try !store.removeToken(Self.susd, for: Self.alice))
        #expect(try store.addedTokens(of: Self.alice) == [Self.foo])
        #expect(try store.addedTokens(of: Self.other).isEmpty)
    }

    @Test func metadataIsKeptByAddress() throws {
        let read = TokenMetadata(address: Self.foo, name: "Foo Coin", symbol: "FOO", decimals: 8, readAt: Date(timeIntervalSince1970: 5))
        try store.saveTokenMetadata([read])
        #expect(try store.tokenMetadata([Self.foo, Self.susd]) == [Self.foo: read])
        #expect(try store.tokenMetadata([]).isEmpty)
    }
}
