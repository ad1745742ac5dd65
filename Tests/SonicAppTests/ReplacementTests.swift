import AppTestSupport
import Ethereum
import Foundation
import SonicChain
import SonicStore
import Synchronization
import Testing
@testable import SonicApp

/// The watcher's rule for a transaction replaced in the wallet, over a fake chain of mined
/// blocks: replaced (the sender mined its nonce with another transaction) or cancelled (that one
/// sends nothing to the sender), never dropped; still pending while the nonce is unused; the new
/// one found by the blocks' nonces at a bounded cost, tracked and followed to its end.
@Suite struct ReplacementTests {
    let services: TestServices
    var store: Store { services.store }
    var watcher: TransactionWatcher { services.app.watcher }
    static let alice = TestServices.alice, bob = TestServices.bob
    static let original = hash(1), faster = hash(2), earlier = (10...12).map(hash)

    static func hash(_ byte: Int) -> Hash32 { try! Hash32("0x" + String(repeating: String(format: "%02x", byte), count: 32)) }

    /// Alice mined nonces 0…2 at block 10; her nonce 3 is tracked and waiting, the head is 100.
    init() throws {
        services = try TestServices()
        services.chain.update { state in
            state.blocks[10] = Self.earlier.enumerated().map { FakeChain.transaction($1, from: Self.alice, to: Self.bob, nonce: UInt64($0), block: 10) }
            state.pool[Self.original] = FakeChain.transaction(Self.original, from: Self.alice, to: Self.bob, nonce: 3, value: 5)
        }
        try store.track(TrackedTransaction(hash: Self.original, sender: Self.alice, nonce: 3, createdAt: services.clock.now()))
    }

    /// Mines `transaction` of Alice's alone in block `number`, which becomes the head; the pool forgets the one it replaced.
    func mine(_ transaction: TransactionInfo, at number: UInt64) {
        services.chain.update { state in
            state.blocks[number] = [transaction]
            state.block = number
            state.pool = [:]
        }
    }

    @Test func aSpeedUpIsReplacedNamingTheNewOneWhichIsFollowedToConfirmed() async throws {
        #expect(await watcher.poll() == 0)
        #expect(try store.trackedTransaction(Self.original)?.state == .pending, "nonce 3 not mined yet: pending")
        let woken = Mutex<[String]>([])
        services.app.waiters.park(Self.original.description, until: services.clock.now().addingTimeInterval(60)) { value in
            woken.withLock { $0.append((value as? TrackedTransaction).map { "\($0.state.rawValue) \($0.replacedBy?.description ?? "-")" } ?? "none") }
        }
        mine(FakeChain.transaction(Self.faster, from: Self.alice, to: Self.bob, nonce: 3, value: 5, block: 102), at: 102)
        services.chain.update { $0.batches = [] }

        #expect(await watcher.poll() == 1)
        let replaced = try #require(try store.trackedTransaction(Self.original))
        #expect(replaced.state == .replaced && replaced.replacedBy == Self.faster && replaced.state != .dropped)
        #expect(replaced.reason == "replaced by \(Self.faster) with the same nonce (3)")
        #expect(woken.withLock { $0 } == ["replaced \(Self.faster)"])
        // Its head was remembered a pass before: one count read (block 101), then block 102.
        #expect(services.chain.withState { $0.batches.map(\.method) }
                == ["eth_getTransactionReceipt", "eth_blockNumber+eth_getTransactionCount", "eth_getTransactionCount", "eth_getBlockByNumber"])
        let api = try await services.transactions.status(Self.original)
        #expect(api.status == "replaced" && api.replacedBy == Self.faster.description)

        // The new one is tracked and followed: its receipt settles it.
        #expect(try store.trackedTransaction(Self.faster)?.state == .pending)
        services.chain.update { $0.receipts[Self.faster] = FakeChain.receipt(Self.faster, from: Self.alice, to: Self.bob, block: 102) }
        #expect(await watcher.poll() == 1)
        #expect(try store.trackedTransaction(Self.faster)?.state == .confirmed)
        #expect(try store.trackedTransaction(Self.original)?.state == .replaced, "the old one stays replaced")
    }

    @Test func aCancelSendsNothingToTheSenderItself() async throws {
        #expect(await watcher.poll() == 0)
        mine(FakeChain.transaction(Self.faster, from: Self.alice, to: Self.alice, nonce: 3, value: 0, block: 101), at: 101)
        #expect(await watcher.poll() == 1)
        let cancelled = try #require(try store.trackedTransaction(Self.original))
        #expect(cancelled.state == .cancelled && cancelled.replacedBy == Self.faster)
    }

    @Test func aTransferToTheSenderThatMovesValueIsAReplacementNotACancel() async throws {
        #expect(await watcher.poll() == 0)
        mine(FakeChain.transaction(Self.faster, from: Self.alice, to: Self.alice, nonce: 3, value: 1, block: 101), at: 101)
        #expect(await watcher.poll() == 1)
        #expect(try store.trackedTransaction(Self.original)?.state == .replaced)
    }

    @Test func anUnusedNonceStaysPendingAndIsDroppedOnlyWhenForgottenPastItsTime() async throws {
        services.clock.advance(3_600)
        #expect(await watcher.poll() == 0, "an hour old, but the node still has it and nonce 3 is unused")
        services.chain.update { $0.pool = [:] }
        #expect(await watcher.poll() == 1)
        #expect(try store.trackedTransaction(Self.original)?.state == .dropped)
    }

    @Test func aForgottenOldTransactionWhoseNonceWasTakenIsReplacedNotDropped() async throws {
        services.clock.advance(3_600)
        mine(FakeChain.transaction(Self.faster, from: Self.alice, to: Self.bob, nonce: 3, block: 101), at: 101)
        #expect(await watcher.poll() == 1)
        let replaced = try #require(try store.trackedTransaction(Self.original))
        #expect(replaced.state == .replaced && replaced.replacedBy == Self.faster)
    }

    @Test func withoutARememberedHeadTheSearchFindsItAmongAMillionBlocksInFewBatches() async throws {
        // Mined long ago, before the watcher first looked (a restart): nothing remembered.
        services.chain.update { state in
            state.blocks[370_123] = [FakeChain.transaction(Self.faster, from: Self.alice, to: Self.bob, nonce: 3, block: 370_123)]
            state.block = 1_000_000
            state.pool = [:]
        }
        #expect(await watcher.poll() == 1)
        #expect(try store.trackedTransaction(Self.original)?.replacedBy == Self.faster)
        let reads = services.chain.withState { $0.batches.filter { $0.method == "eth_getTransactionCount" } }
        #expect(reads.count <= 6 && reads.allSatisfy { $0.count <= TransactionWatcher.probes }, "\(reads)")
        #expect(services.chain.withState { $0.batches.filter { $0.method == "eth_getBlockByNumber" }.count } == 1)
    }

    @Test func aNodeWithoutTheOldStateCannotNameItButTheTransactionIsStillReplaced() async throws {
        services.chain.update { state in
            state.blocks[370_123] = [FakeChain.transaction(Self.faster, from: Self.alice, to: Self.bob, nonce: 3, block: 370_123)]
            state.block = 1_000_000
            state.stateFrom = 999_000  // a pruned node
            state.pool = [:]
        }
        #expect(await watcher.poll() == 1)
        let replaced = try #require(try store.trackedTransaction(Self.original))
        #expect(replaced.state == .replaced && replaced.replacedBy == nil && replaced.reason?.contains("could not say which") == true)
        let reads = services.chain.withState { $0.batches.filter { $0.method == "eth_getTransactionCount" } }
        #expect(reads.count <= TransactionWatcher.searchRounds)
    }

    @Test func itselfMinedSinceItsReceiptWasAskedIsNotAReplacement() async throws {
        #expect(await watcher.poll() == 0)
        // Mined, but the node had no receipt yet when asked (the receipt comes a pass later).
        mine(FakeChain.transaction(Self.original, from: Self.alice, to: Self.bob, nonce: 3, value: 5, block: 101), at: 101)
        #expect(await watcher.poll() == 0)
        #expect(try store.trackedTransaction(Self.original)?.state == .pending)
        services.chain.update { $0.receipts[Self.original] = FakeChain.receipt(Self.original, from: Self.alice, to: Self.bob, block: 101) }
        #expect(await watcher.poll() == 1)
        #expect(try store.trackedTransaction(Self.original)?.state == .confirmed)
    }

    @Test func oneTrackedByHashAloneLearnsItsSenderAndNonceThenIsFoundReplaced() async throws {
        let byHash = Self.hash(3)
        services.chain.update { $0.pool[byHash] = FakeChain.transaction(byHash, from: Self.bob, to: Self.alice, nonce: 0) }
        _ = try await services.transactions.track(byHash, client: "ip:10.0.0.1")
        #expect(try store.trackedTransaction(byHash)?.sender == nil)
        #expect(await watcher.poll() == 0)
        let learned = try #require(try store.trackedTransaction(byHash))
        #expect(learned.sender == Self.bob && learned.nonce == 0 && learned.unknownClient == nil)
        #expect(await watcher.poll() == 0, "bob's nonce 0 is unused: pending")
        let bobs = Self.hash(4)
        mine(FakeChain.transaction(bobs, from: Self.bob, to: Self.bob, nonce: 0, value: 0, block: 101), at: 101)
        services.chain.update { $0.pool[Self.original] = FakeChain.transaction(Self.original, from: Self.alice, to: Self.bob, nonce: 3, value: 5) }
        #expect(await watcher.poll() == 1)
        let cancelled = try #require(try store.trackedTransaction(byHash))
        #expect(cancelled.state == .cancelled && cancelled.replacedBy == bobs)
        #expect(try store.trackedTransaction(Self.original)?.state == .pending, "alice's is another sender's nonce")
    }

    @Test func aLaggingEndpointsOlderHeadIsNoCrashAndTheNextPassFindsIt() async throws {
        #expect(await watcher.poll() == 0)  // nonce 3 unused at head 100
        // The count says taken at head 101, but the head asked next comes from an endpoint behind (block 95).
        mine(FakeChain.transaction(Self.faster, from: Self.alice, to: Self.bob, nonce: 3, block: 101), at: 101)
        services.chain.update { $0.staleHead = 95 }
        #expect(await watcher.poll() == 0)
        #expect(try store.trackedTransaction(Self.original)?.state == .pending, "not replaced without a name: asked again")
        services.chain.update { $0.staleHead = nil }
        #expect(await watcher.poll() == 1)
        #expect(try store.trackedTransaction(Self.original)?.replacedBy == Self.faster)
    }

    @Test func theAgentSaysWhichTransactionTookItsPlace() async throws {
        #expect(await watcher.poll() == 0)
        mine(FakeChain.transaction(Self.faster, from: Self.alice, to: Self.alice, nonce: 3, value: 0, block: 101), at: 101)
        #expect(await watcher.poll() == 1)
        let answer = try await services.app.agent.handle(message: "is \(Self.original) confirmed?", conversation: nil, signedIn: Self.alice)
        #expect(answer.reply == "Transaction 0x01010101…0101 was cancelled in the wallet: 0x02020202…0202 took its place; ask me about that one to see how it went.")
    }

    @Test func theSearchProbesAtMostItsShareOfBlocksBetweenTheBounds() {
        #expect(TransactionWatcher.between(100, 102) == [101])
        #expect(TransactionWatcher.between(100, 101) == [] && TransactionWatcher.between(100, 90) == [])
        #expect(TransactionWatcher.between(0, 16) == Array(1...15))
        let wide = TransactionWatcher.between(1_000, 1_000_000)
        #expect(wide.count == 15 && wide == wide.sorted() && Set(wide).count == 15 && wide.allSatisfy { $0 > 1_000 && $0 < 1_000_000 })
        #expect(TransactionWatcher.backFrom(100) == [99, 96, 84, 36, 0])
        #expect(TransactionWatcher.backFrom(1) == [0])
        #expect(TransactionWatcher.backFrom(.max / 2).count == TransactionWatcher.probes)
    }
}
