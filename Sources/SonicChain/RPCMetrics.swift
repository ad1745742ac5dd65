import Foundation
import Synchronization

/// Calls per JSON-RPC method: how many, how many failed, and their latency.
public final class RPCMetrics: Sendable {
    public struct MethodStats: Sendable, Equatable {
        public var calls = 0
        public var errors = 0
        public var totalSeconds = 0.0
        public var maxSeconds = 0.0
        /// Latency counts per upper bound in seconds (cumulative buckets as Prometheus uses).
        public var buckets: [Double: Int] = Dictionary(uniqueKeysWithValues: RPCMetrics.bounds.map { ($0, 0) })
    }

    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private let stats = Mutex<[String: MethodStats]>([:])

    public init() {}

    func record(method: String, seconds: Double, failed: Bool) {
        stats.withLock { all in
            var entry = all[method, default: MethodStats()]
            entry.calls += 1
            if failed { entry.errors += 1 }
            entry.totalSeconds += seconds
            entry.maxSeconds = max(entry.maxSeconds, seconds)
            for bound in Self.bounds where seconds <= bound { entry.buckets[bound, default: 0] += 1 }
            all[method] = entry
        }
    }

    /// A copy of the figures so far, by method.
    public func snapshot() -> [String: MethodStats] { stats.withLock { $0 } }
}
