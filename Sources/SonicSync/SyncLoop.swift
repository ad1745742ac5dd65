import Foundation
import Logging

/// The indexer's run loop: steps until caught up, then waits for new blocks; backs off after
/// failures; stops when asked, between batches (each batch is one database transaction).
///
/// Everything it touches is given to it, so the loop itself is tested with a fake step and a
/// fake wait: `step` indexes one batch, `idle` is called each time it is caught up (a backfill
/// of one address, say), and `wait(seconds)` sleeps and answers whether a stop was asked for.
public struct SyncLoop {
    public struct Options: Sendable {
        /// Seconds to wait for a new block when caught up.
        public var interval: Double = 0.25
        /// Seconds between progress lines in the log.
        public var progressEvery: Double = 5
        /// Stop once caught up (and at the first failure) instead of following the chain.
        public var once = false

        public init() {}
    }

    public enum Outcome: Sendable, Equatable {
        /// Caught up (with `once`): the last indexed block, nil when nothing is indexed.
        case caughtUp(indexed: UInt64?)
        /// A stop was asked for.
        case stopped
    }

    let options: Options
    let step: () throws(SyncError) -> Indexer.Progress
    let idle: () -> Void
    let wait: (Double) -> Bool
    let logger: Logger
    let now: () -> Date

    public init(options: Options, logger: Logger, now: @escaping () -> Date = Date.init,
                step: @escaping () throws(SyncError) -> Indexer.Progress, idle: @escaping () -> Void = {}, wait: @escaping (Double) -> Bool) {
        self.options = options
        self.logger = logger
        self.now = now
        self.step = step
        self.idle = idle
        self.wait = wait
    }

    /// The wait after `failures` failures in a row: the interval doubled each time, at most 5 s.
    public func backoff(after failures: Int) -> Double {
        min(5, options.interval * Double(1 << min(failures, 5)))
    }

    /// Runs until stopped (or caught up, with `once`).
    /// - Throws: the step's error when it cannot go on: any with `once`, a wrong chain always.
    public func run() throws(SyncError) -> Outcome {
        var meter = ProgressMeter(every: options.progressEvery, now: now())
        var failures = 0
        var standingBy = false
        while true {
            let progress: Indexer.Progress
            do {
                progress = try step()
            } catch .standby {
                // Not a failure: another sonic-sync indexes; asked again every second.
                if !standingBy { logger.info("sonic-sync: \(SyncError.standby)") }
                standingBy = true
                if options.once { throw .standby }
                if wait(1) { return .stopped }
                continue
            } catch {
                failures += 1
                logger.warning("sonic-sync: \(error)")
                if options.once { throw error }
                if case .wrongChain = error { throw error }
                if wait(backoff(after: failures)) { return .stopped }
                continue
            }
            failures = 0
            if standingBy { logger.info("sonic-sync: active again: indexing") }
            standingBy = false
            if let undone = progress.rolledBack {
                logger.warning("sonic-sync: the chain reorganised; undid \(undone) block(s), back to block \(progress.indexed ?? 0)")
            }
            if let line = meter.record(progress, now: now()) { logger.info("sonic-sync: \(line)") }
            let caughtUp = progress.blocks == 0 && progress.rolledBack == nil
            if caughtUp && options.once { return .caughtUp(indexed: progress.indexed) }
            if caughtUp { idle() }
            if wait(caughtUp ? options.interval : 0) { return .stopped }
        }
    }
}

/// Blocks per second and lag, as a line every few seconds.
struct ProgressMeter {
    let every: Double
    var since: Date
    var blocks = 0

    init(every: Double, now: Date) {
        self.every = every
        since = now
    }

    mutating func record(_ progress: Indexer.Progress, now: Date) -> String? {
        blocks += progress.blocks
        let elapsed = now.timeIntervalSince(since)
        guard elapsed >= every else { return nil }
        defer { since = now; blocks = 0 }
        let rate = Double(blocks) / elapsed
        let indexed = progress.indexed ?? 0
        return "indexed to block \(indexed), head \(progress.head), lag \(progress.head - min(progress.head, indexed)), "
            + "\(Int(rate.rounded())) blocks/s"
    }
}
