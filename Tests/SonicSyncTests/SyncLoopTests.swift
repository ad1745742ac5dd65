import Foundation
import Logging
import Testing
@testable import SonicSync

/// The run loop with a scripted indexer and a recording wait: no chain, no sleeps.
@Suite struct SyncLoopTests {
    /// Steps that return or throw in turn; then "caught up" forever.
    final class Script: @unchecked Sendable {
        var steps: [Result<Indexer.Progress, SyncError>]
        var waits: [Double] = []
        var idles = 0
        /// The wait answers "stop" once this many waits happened.
        let stopAfter: Int

        init(_ steps: [Result<Indexer.Progress, SyncError>], stopAfter: Int = .max) {
            self.steps = steps
            self.stopAfter = stopAfter
        }

        func loop(once: Bool = false) -> SyncLoop {
            var options = SyncLoop.Options()
            options.interval = 0.25
            options.once = once
            return SyncLoop(options: options, logger: Logger(label: "test"), step: { () throws(SyncError) in
                guard !self.steps.isEmpty else { return SyncLoopTests.progress(0, indexed: 9) }
                return try self.steps.removeFirst().get()
            }, idle: { self.idles += 1 }, wait: { seconds in
                self.waits.append(seconds)
                return self.waits.count >= self.stopAfter
            })
        }
    }

    static func progress(_ blocks: Int, indexed: UInt64?) -> Indexer.Progress {
        Indexer.Progress(blocks: blocks, indexed: indexed, head: 9, rolledBack: nil)
    }

    @Test func onceIndexesUntilCaughtUpWithoutWaitingForNewBlocks() throws {
        let script = Script([.success(Self.progress(50, indexed: 49)), .success(Self.progress(3, indexed: 52)), .success(Self.progress(0, indexed: 52))])
        #expect(try script.loop(once: true).run() == .caughtUp(indexed: 52))
        #expect(script.waits == [0, 0])
        #expect(script.idles == 0)
    }

    /// Standing by (another sonic-sync took the index over) is no failure: asked again every
    /// second, without backing off, and nothing is done while caught up (no idle work).
    @Test func standingByAsksAgainEverySecondWithoutBackingOff() throws {
        let script = Script([.failure(.standby), .failure(.standby), .failure(.standby), .success(Self.progress(2, indexed: 11))], stopAfter: 5)
        #expect(try script.loop().run() == .stopped)
        #expect(script.waits == [1, 1, 1, 0, 0.25])
        #expect(script.idles == 1, "only once active and caught up again")
    }

    @Test func failuresBackOffDoublingUpToFiveSecondsThenRecover() throws {
        let failure = SyncError.inconsistent("node answered nonsense")
        let script = Script(Array(repeating: .failure(failure), count: 7) + [.success(Self.progress(0, indexed: 9))], stopAfter: 8)
        #expect(try script.loop().run() == .stopped)
        // 0.25 × 2, 4, 8, 16, then 5 s at most; after the success, the caught-up interval.
        #expect(script.waits == [0.5, 1, 2, 4, 5, 5, 5, 0.25])
        #expect(script.idles == 1)
    }

    @Test func aWrongChainStopsTheLoopEvenWhenFollowing() {
        let script = Script([.failure(.wrongChain(expected: 146, served: 14601))])
        #expect(throws: SyncError.self) { try script.loop().run() }
        #expect(script.waits.isEmpty)
    }

    @Test func withOnceTheFirstFailureEndsTheRun() {
        let script = Script([.failure(.inconsistent("gap"))])
        #expect(throws: SyncError.self) { try script.loop(once: true).run() }
    }

    @Test func progressIsLoggedEveryFewSecondsAndAReorganisationAlways() throws {
        let lines = Lines()
        var options = SyncLoop.Options()
        options.progressEvery = 5
        var clock = Date(timeIntervalSince1970: 0)
        var steps: [Indexer.Progress] = [.init(blocks: 50, indexed: 49, head: 99, rolledBack: nil),
                                         .init(blocks: 0, indexed: 47, head: 99, rolledBack: 2),
                                         .init(blocks: 50, indexed: 97, head: 99, rolledBack: nil)]
        let loop = SyncLoop(options: options, logger: Logger(label: "test") { _ in lines }, now: { clock }, step: { () throws(SyncError) in
            clock += 3
            return steps.isEmpty ? .init(blocks: 0, indexed: 97, head: 99, rolledBack: nil) : steps.removeFirst()
        }, wait: { _ in steps.isEmpty })
        #expect(try loop.run() == .stopped)
        #expect(lines.messages == ["sonic-sync: the chain reorganised; undid 2 block(s), back to block 47",
                                   "sonic-sync: indexed to block 47, head 99, lag 52, 8 blocks/s"])
    }

    /// Keeps what a logger was told.
    final class Lines: LogHandler, @unchecked Sendable {
        var messages: [String] = []
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { nil } set {} }
        func log(event: LogEvent) { messages.append(event.message.description) }
    }

    @Test func aStopSignalEndsTheWaitAtOnce() {
        #expect(!StopSignal.wait(0.01))
        StopSignal.requested.store(true, ordering: .relaxed)
        defer { StopSignal.requested.store(false, ordering: .relaxed) }
        #expect(StopSignal.wait(60))
    }

    @Test func aStopAskedForWhileCaughtUpEndsTheLoopAfterTheBatchInHand() throws {
        let script = Script([.success(Self.progress(50, indexed: 49))], stopAfter: 2)
        #expect(try script.loop().run() == .stopped)
        #expect(script.waits == [0, 0.25])
    }
}
