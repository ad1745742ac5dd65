import Ethereum
import Foundation
import Synchronization

/// Token buckets per client: `limit` requests a `period` (seconds) on average, in bursts of up
/// to `limit`. A refused request learns how long until the next token. The same type counts
/// requests a minute per IP or session, the ceiling over all of one IP's sessions, sign-ins an
/// hour and language-model calls a day.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Double
    }

    public let limit: Int
    public let period: Double
    private let buckets = SpinningLocked<[String: Bucket]>([:])

    /// - Parameters:
    ///   - limit: requests a `period`; 0 turns limiting off.
    ///   - period: seconds over which `limit` requests are allowed (60: a minute).
    public init(limit: Int, period: Double = 60) {
        self.limit = limit
        self.period = period
    }

    /// Takes a token for `key` (limit scaled by `weight`); nil when allowed, else seconds to wait.
    public func take(_ key: String, weight: Double = 1, now: Double = Date().timeIntervalSince1970) -> Double? {
        guard limit > 0 else { return nil }
        let capacity = Double(limit) * weight
        let rate = capacity / period
        return buckets.withLock { all in
            // A bucket untouched for a whole period is full again: forgetting it changes nothing.
            if all.count > 50_000 { all = all.filter { now - $0.value.updated < period } }
            var bucket = all[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            defer { all[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / rate
        }
    }
}

/// Whether a signed-in address has premium, for its higher rate limit: read from the contract
/// at most once a minute per address (ten seconds after a failed read), so admission costs one
/// contract read per signed-in address and minute.
public final class SubscriberCache: Sendable {
    let subscriptions: SubscriptionService
    let lifetime: Double
    private let known = Mutex<[String: (active: Bool, until: Double)]>([:])

    init(subscriptions: SubscriptionService, lifetime: Double = 60) {
        self.subscriptions = subscriptions
        self.lifetime = lifetime
    }

    /// Forgets what is known of `address` (everyone's when nil): its premium may have changed.
    public func forget(_ address: String? = nil) {
        known.withLock { all in if let address { all[address] = nil } else { all = [:] } }
    }

    /// Reads `address`'s premium from the contract again, forgetting what was kept: for a
    /// refusal that depends on it (premium bought a moment ago must count).
    public func recheck(_ address: Address) async -> Bool {
        subscriptions.invalidate(address)
        forget(address.lowercased)
        return await isSubscriber(address.lowercased)
    }

    public func isSubscriber(_ address: String, now: Double = Date().timeIntervalSince1970) async -> Bool {
        if let entry = known.withLock({ $0[address] }), entry.until > now { return entry.active }
        var status: SubscriptionService.Status?
        if let parsed = try? Address(address) { status = try? await subscriptions.status(parsed) }
        known.withLock { all in
            if all.count > 10_000 { all = all.filter { $0.value.until > now } }
            all[address] = (status?.active ?? false, now + (status == nil ? 10 : lifetime))
        }
        return status?.active ?? false
    }
}
