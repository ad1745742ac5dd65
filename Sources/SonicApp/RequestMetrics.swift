import Foundation
import SonicChain
import Synchronization

/// Requests by route, method and status, with latency histograms, for `/metrics`.
public final class RequestMetrics: Sendable {
    struct Key: Hashable { let route: String; let method: String; let status: Int }
    struct Latency { var buckets = [Int](repeating: 0, count: RequestMetrics.bounds.count); var count = 0; var sum = 0.0 }

    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    private let counts = Mutex<[Key: Int]>([:])
    private let latency = Mutex<[String: Latency]>([:])

    func record(route: String, method: String, status: Int, seconds: Double) {
        counts.withLock { $0[Key(route: route, method: method, status: status), default: 0] += 1 }
        latency.withLock { all in
            var entry = all[route, default: Latency()]
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { entry.buckets[index] += 1 }
            entry.count += 1
            entry.sum += seconds
            all[route] = entry
        }
    }

    func lines() -> [String] {
        var out = ["# HELP sonic_http_requests_total Requests answered, by route, method and status.", "# TYPE sonic_http_requests_total counter"]
        for (key, value) in counts.withLock({ $0 }).sorted(by: { "\($0.key)" < "\($1.key)" }) {
            out.append("sonic_http_requests_total{route=\"\(key.route)\",method=\"\(key.method)\",status=\"\(key.status)\"} \(value)")
        }
        out += ["# HELP sonic_http_request_duration_seconds Time to answer, by route (long-polls include their wait).",
                "# TYPE sonic_http_request_duration_seconds histogram"]
        for (route, entry) in latency.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.bounds.enumerated() {
                out.append("sonic_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"\(bound)\"} \(entry.buckets[index])")
            }
            out.append("sonic_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(entry.count)")
            out.append("sonic_http_request_duration_seconds_sum{route=\"\(route)\"} \(entry.sum)")
            out.append("sonic_http_request_duration_seconds_count{route=\"\(route)\"} \(entry.count)")
        }
        return out
    }
}

extension App {
    /// Everything `/metrics` shows, in the Prometheus text format.
    func prometheusText() -> String {
        var out = metrics.lines()
        out += ["# HELP sonic_rpc_calls_total JSON-RPC calls to the node, by method and outcome.", "# TYPE sonic_rpc_calls_total counter"]
        let rpc = context.client.metrics.snapshot().sorted { $0.key < $1.key }
        for (method, stats) in rpc {
            out.append("sonic_rpc_calls_total{method=\"\(method)\",outcome=\"ok\"} \(stats.calls - stats.errors)")
            out.append("sonic_rpc_calls_total{method=\"\(method)\",outcome=\"error\"} \(stats.errors)")
        }
        out += ["# HELP sonic_rpc_call_duration_seconds JSON-RPC call latency by method.", "# TYPE sonic_rpc_call_duration_seconds histogram"]
        for (method, stats) in rpc {
            for bound in RPCMetrics.bounds {
                out.append("sonic_rpc_call_duration_seconds_bucket{method=\"\(method)\",le=\"\(bound)\"} \(stats.buckets[bound] ?? 0)")
            }
            out.append("sonic_rpc_call_duration_seconds_bucket{method=\"\(method)\",le=\"+Inf\"} \(stats.calls)")
            out.append("sonic_rpc_call_duration_seconds_sum{method=\"\(method)\"} \(stats.totalSeconds)")
            out.append("sonic_rpc_call_duration_seconds_count{method=\"\(method)\"} \(stats.calls)")
        }
        let cache = balances.counters.withLock { $0 }
        out += ["# HELP sonic_balance_cache_total Balance lookups answered from cache (hit) or the node (miss).",
                "# TYPE sonic_balance_cache_total counter",
                "sonic_balance_cache_total{result=\"hit\"} \(cache.hits)", "sonic_balance_cache_total{result=\"miss\"} \(cache.misses)",
                "# HELP sonic_long_polls_waiting Requests parked waiting for a transaction to change.", "# TYPE sonic_long_polls_waiting gauge",
                "sonic_long_polls_waiting \(waiters.count)",
                "# HELP sonic_tracked_transactions Tracked transactions by state.", "# TYPE sonic_tracked_transactions gauge"]
        for (state, count) in (try? context.store?.trackedCounts()) ?? [:] {
            out.append("sonic_tracked_transactions{state=\"\(state)\"} \(count)")
        }
        // The indexer (sonic-sync, another process) records its progress in the database.
        if let state = try? context.store?.indexerState(chainID: context.network.chainID) {
            out += ["# HELP sync_head The last block the indexer has written.", "# TYPE sync_head gauge", "sync_head \(state.indexed)",
                    "# HELP sync_lag_blocks Blocks between the node's head and the indexer, when it last wrote.", "# TYPE sync_lag_blocks gauge",
                    "sync_lag_blocks \(state.lag ?? 0)",
                    "# HELP sync_blocks_total Blocks the indexer has written.", "# TYPE sync_blocks_total counter",
                    "sync_blocks_total \(state.blocksTotal)",
                    "# HELP sync_updated_seconds Unix time of the indexer's last write.", "# TYPE sync_updated_seconds gauge",
                    "sync_updated_seconds \(Int(state.updatedAt.timeIntervalSince1970))"]
        }
        return out.joined(separator: "\n") + "\n"
    }
}
