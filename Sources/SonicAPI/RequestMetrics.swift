import Foundation
import SonicHTTP
import Metrics
import Prometheus
import SonicApp
import SonicChain
import SonicStore
import Synchronization

/// What `/metrics` shows, in the Prometheus text format: requests by route, method and status
/// with latency histograms (swift-metrics counters and timers on a swift-prometheus registry,
/// one per app so tests never share one), the state gauges read when scraped, the RPC calls
/// `SonicChain` counts, and the indexer's progress from the database.
public final class RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
    static let requestsName = "sonic_http_requests_total"
    static let durationName = "sonic_http_request_duration_seconds"

    /// The swift-metrics handles, made once per label set (the hot path only looks them up,
    /// under one short lock).
    private let handles = ReadWriteLocked<[String: (Metrics.Counter, Metrics.Timer)]>([:])

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.durationName] = Self.bounds.map { .nanoseconds(Int64($0 * 1e9)) }
        self.factory = factory
    }

    /// The values of the `method` label: the route table's methods and HEAD (answered as GET).
    /// Any other method is counted as `OTHER`, so invented methods never make new series.
    static let methodLabels = Set(API.routes.map(\.method.rawValue) + ["HEAD"])

    func record(route: String, method: HTTPRequest.Method, status: Int, seconds: Double) {
        let method = Self.methodLabels.contains(method.rawValue) ? method.rawValue : "OTHER"
        let key = "\(route) \(method) \(status)"
        let known = handles.read { $0[key] }
        let (counter, timer) = known ?? handles.write { all in
            if let existing = all[key] { return existing }
            let made = (Metrics.Counter(label: Self.requestsName, dimensions: [("route", route), ("method", method), ("status", String(status))],
                                        factory: factory),
                        Metrics.Timer(label: Self.durationName, dimensions: [("route", route)], factory: factory))
            all[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Sets a gauge (made on first use) to `value`.
    func gauge(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        registry.makeGauge(name: name, labels: labels).set(value)
    }
}

extension API {
    /// GET /metrics: everything below, in the Prometheus text format.
    func metricsText() async -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: Array(await prometheusText().utf8))
    }

    /// Everything `/metrics` shows, in the Prometheus text format.
    func prometheusText() async -> String {
        let (context, balances) = (app.context, app.balances)
        metrics.gauge("sonic_long_polls_waiting", [], Double(app.waiters.count))
        metrics.gauge("sonic_balance_cache_hits", [], Double(balances.hits.load(ordering: .relaxed)))
        metrics.gauge("sonic_balance_cache_misses", [], Double(balances.misses.load(ordering: .relaxed)))
        let tracked = (try? await app.database?.trackedCounts()) ?? [:]
        for state in TrackedTransaction.State.allCases {
            let count = tracked[state] ?? 0
            metrics.gauge("sonic_tracked_transactions", [("state", state.rawValue)], Double(count))
        }
        // The indexer (sonic-sync, another process) records its progress in the database.
        if let state = try? await app.database?.indexerState(chainID: context.network.chainID) {
            metrics.gauge("sync_head", [], Double(state.indexed))
            metrics.gauge("sync_lag_blocks", [], Double(state.lag ?? 0))
            metrics.gauge("sync_blocks_total", [], Double(state.blocksTotal))
            metrics.gauge("sync_updated_seconds", [], state.updatedAt.timeIntervalSince1970.rounded())
        }
        var out = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self).split(separator: "\n").map(String.init)
        // JSON-RPC calls, counted by SonicChain (which does not depend on the metrics packages).
        out += ["# TYPE sonic_rpc_calls_total counter"]
        let rpc = app.client.metrics.snapshot().sorted { $0.key < $1.key }
        for (method, stats) in rpc {
            out.append("sonic_rpc_calls_total{method=\"\(method)\",outcome=\"ok\"} \(stats.calls - stats.errors)")
            out.append("sonic_rpc_calls_total{method=\"\(method)\",outcome=\"error\"} \(stats.errors)")
        }
        out += ["# TYPE sonic_rpc_call_duration_seconds histogram"]
        for (method, stats) in rpc {
            for bound in RPCMetrics.bounds {
                out.append("sonic_rpc_call_duration_seconds_bucket{method=\"\(method)\",le=\"\(bound)\"} \(stats.buckets[bound] ?? 0)")
            }
            out.append("sonic_rpc_call_duration_seconds_bucket{method=\"\(method)\",le=\"+Inf\"} \(stats.calls)")
            out.append("sonic_rpc_call_duration_seconds_sum{method=\"\(method)\"} \(stats.totalSeconds)")
            out.append("sonic_rpc_call_duration_seconds_count{method=\"\(method)\"} \(stats.calls)")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
