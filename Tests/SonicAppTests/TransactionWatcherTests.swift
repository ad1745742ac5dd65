import AppTestSupport
import Ethereum
import Foundation
import SonicStore
import Synchronization
import Testing
@testable import SonicApp

/// The watcher moves tracked transactions to their final state, says why a failed one failed,
/// drops what the node forgot, forgets the cached reads of the addresses involved, and wakes
/// the requests waiting.
@Suite struct TransactionWatcherTests {
    let services: TestServices
    var store: Store { services.store }
    static let hashes = (1...3).map { try! Hash32("0x" + String(repeating: String(format: "%02x", $0), count: 32)) }

    init() throws {
        services = try TestServices()
        for hash in Self.hashes { try store.track(TrackedTransaction(hash: hash, sender: TestServices.alice, nonce: 1)) }
    }

    @Test func minedTransactionsSettleWithFeeAndReasonAndWakeTheirWaiters() async throws {
        let (confirmed, failed) = (Self.hashes[0], Self.hashes[1])
        services.chain.update {
            $0.receipts[confirmed] = FakeChain.receipt(confirmed, from: TestServices.alice, to: TestServices.bob, block: 101)
            $0.receipts[failed] = FakeChain.receipt(failed, from: TestServices.alice, to: TestServices.bob, block: 102, gasUsed: 30_000, succeeded: false)
            $0.balances[TestServices.alice] = TestServices.s(9)
            $0.known = [Self.hashes[2]]
        }
        let woken = Mutex<[String]>([])
        services.app.waiters.park(confirmed.description, until: services.clock.now().addingTimeInterval(60)) { value in
            woken.withLock { $0.append((value as? TrackedTransaction)?.state.rawValue ?? "none") }
        }
        // A cached balance of the sender is forgotten when its transaction settles.
        _ = try await services.balances.balances(of: TestServices.alice, tokens: [])
        services.chain.update { $0.balances[TestServices.alice] = TestServices.s(8) }

        #expect(await services.app.watcher.poll() == 2)
        let settled = try #require(try store.trackedTransaction(confirmed))
        #expect(settled.state == .confirmed && settled.block == 101 && settled.feeWei == 21000000000000)
        let reverted = try #require(try store.trackedTransaction(failed))
        #expect(reverted.state == .failed && reverted.reason == "subscription: paused")
        #expect(woken.withLock { $0 } == ["confirmed"])
        #expect(try await services.balances.balances(of: TestServices.alice, tokens: []).snapshot.native.formatted == "8")
        // Nothing changes on the next pass.
        #expect(await services.app.watcher.poll() == 0)
    }

    @Test func aTransactionTheNodeForgotIsDroppedOnlyAfterItsTime() async throws {
        let pending = Self.hashes[2]
        #expect(await services.app.watcher.poll() == 0)  // unknown, but only just sent
        services.clock.advance(3_600)
        services.chain.update { $0.known = Set(Self.hashes) }
        #expect(await services.app.watcher.poll() == 0)  // an hour on, still known: still pending
        services.chain.update { $0.known = [] }
        #expect(await services.app.watcher.poll() == 3)
        let dropped = try #require(try store.trackedTransaction(pending))
        #expect(dropped.state == .dropped && dropped.reason?.contains("not mined within 600 s") == true)
    }
}

/// However many transactions are tracked, a pass of the watcher asks the node about a fixed
/// number, in batches, and walks them all in turn: the newest is not stuck behind the oldest.
@Suite struct WatcherBudgetTests {
    @Test func eachPassAsksForAtMostItsBudgetAndEveryTrackedTransactionComesUp() async throws {
        let services = try TestServices(environment: ["SONIC_WATCH_RECEIPTS_PER_TICK": "100"])
        let start = services.clock.now()
        let hashes = (1...1_000).map { try! Hash32("0x" + String(format: "%064x", $0)) }
        for (index, hash) in hashes.enumerated() {
            try services.store.track(TrackedTransaction(hash: hash, sender: nil, nonce: nil, createdAt: start.addingTimeInterval(Double(index))))
        }
        let newest = hashes.last!
        services.chain.update { $0.receipts[newest] = FakeChain.receipt(newest, from: TestServices.alice, to: TestServices.bob, block: 101) }
        var passes = 0
        while try services.store.trackedTransaction(newest)?.state == .pending, passes < 20 {
            await services.app.watcher.poll()
            passes += 1
        }
        #expect(passes == 10)  // 1,000 pending, 100 a pass
        // Each pass asks for its hashes' receipts, and for those without one, tracked by hash
        // alone, whether the node knows them (to learn their sender and nonce): a batch each.
        let batches = services.chain.withState { $0.batches }
        let pass = ["eth_getTransactionReceipt", "eth_getTransactionByHash"]
        #expect(batches.map(\.method) == Array(Array(repeating: pass, count: 10).joined()))
        #expect(batches.dropLast().allSatisfy { $0.count == 100 } && batches.last?.count == 99)
        // Old ones the node forgot are asked about in one batch within the same budget.
        services.clock.advance(3_600)
        services.chain.update { $0.batches = [] }
        #expect(await services.app.watcher.poll() == 100)
        #expect(services.chain.withState { $0.batches.map(\.count) } == [100, 100])
    }
}
