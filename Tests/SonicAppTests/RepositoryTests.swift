import AppTestSupport
import Ethereum
import Foundation
import SonicStore
import Testing
@testable import SonicApp

/// Services are given only the repositories they use: the history over a fake one shows what
/// it returns, and a failing one becomes "database unavailable" instead of a crash.
@Suite struct RepositoryTests {
    /// A history with one entry, or whose every read fails.
    struct FakeHistory: HistoryRepository {
        var entries: [ActivityEntry] = []
        var fails = false

        func check() throws(StoreError) {
            if fails { throw .unavailable(path: "fake", reason: "disk gone") }
        }
        func history(_ query: HistoryQuery) throws(StoreError) -> [ActivityEntry] {
            try check()
            return entries.filter { $0.address == query.address }
        }
        func ownedNFTs(_ owner: Address) throws(StoreError) -> [OwnedNFT] { try check(); return [] }
        func indexerState(chainID: UInt64) throws(StoreError) -> IndexerState? { try check(); return nil }
        func nativeMovements(of address: Address, since: UInt64) throws(StoreError) -> [NativeMovement] { try check(); return [] }
        func dailyActivity(of address: Address, since: UInt64) throws(StoreError) -> [DailyActivity] { try check(); return [] }
        func watch(_ address: Address, source: String, at date: Date, until expiresAt: Date?) throws(StoreError) -> Bool { try check(); return true }
    }

    static let entry = ActivityEntry(address: TestServices.alice, block: 3, txIndex: 0, seq: -1, hash: .keccak([3]), time: 1_795_772_000,
                                     kind: .transfer, direction: .incoming, counterparty: TestServices.bob, amountWei: 5, tokenSymbol: "S",
                                     tokenDecimals: 18, status: .confirmed)

    @Test func historyReadsTheRepositoryItIsGiven() async throws {
        let services = try TestServices()
        let history = HistoryService(context: services.context, repository: FakeHistory(entries: [Self.entry]),
                                     watchlist: Watchlist(enabled: true, repository: nil))
        let page = try await history.page(HistoryQuery(address: TestServices.alice, limit: 1), of: TestServices.alice)
        #expect(page.entries == [Self.entry] && page.next == Self.entry.position && page.indexedBlock == nil)
        #expect(try await history.page(HistoryQuery(address: TestServices.bob), of: TestServices.bob).entries.isEmpty)
    }

    @Test func aFailingRepositoryIsDatabaseUnavailable() async throws {
        let services = try TestServices()
        let history = HistoryService(context: services.context, repository: FakeHistory(fails: true),
                                     watchlist: Watchlist(enabled: true, repository: FakeHistory(fails: true)))
        await #expect(throws: AppError.databaseDown) {
            try await history.page(HistoryQuery(address: TestServices.alice), of: TestServices.alice)
        }
        let none = HistoryService(context: services.context, repository: nil, watchlist: Watchlist(enabled: false, repository: nil))
        #expect(throws: AppError.databaseDown) { try none.requireAvailable() }
    }
}
