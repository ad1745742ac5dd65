import Foundation

/// Chain reads that many requests share, kept for a short time: a value is fresh for `ttl`
/// seconds (Sonic makes a block every ~0.7 s), and concurrent misses for one key make one call.
/// Used for the network's state, fee suggestions and subscription status; balances have their
/// own cache (`BalanceService`), which also serves stale values while the node is down.
final class ReadCache<Value: Sendable>: Sendable {
    let ttl: Double
    /// Past this many entries, expired ones are dropped when a new one is stored.
    let capacity: Int
    private let entries = ReadWriteLocked<[String: (value: Value, at: Double)]>([:])
    private let flights = SingleFlight<Value>()

    init(ttl: Double, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The value under `key`: the kept one while fresh, else what `fetch` returns (shared by
    /// concurrent callers). Errors are not kept.
    func value(_ key: String, now: Double = Date().timeIntervalSince1970, fetch: () async throws(AppError) -> Value) async throws(AppError) -> Value {
        if let kept = entries.read({ $0[key] }), now - kept.at < ttl { return kept.value }
        // A caller that came as a flight ended takes what it kept rather than fetch again.
        let value = try await flights.run(key) { () async throws(AppError) -> Value in
            if let kept = entries.read({ $0[key] }), now - kept.at < ttl { return kept.value }
            return try await fetch()
        }
        // Kept as of `now`: the value is at least that fresh.
        entries.write { all in
            if all.count >= capacity { all = all.filter { now - $0.value.at < ttl } }
            all[key] = (value, now)
        }
        return value
    }

    /// How many callers wait for the fetch of `key` in flight (for tests).
    func waiting(_ key: String) -> Int { flights.waiting(key) }

    /// Forgets `key` (what it describes changed on chain).
    func invalidate(_ key: String) {
        _ = entries.write { $0.removeValue(forKey: key) }
    }

    var count: Int { entries.read { $0.count } }
}
