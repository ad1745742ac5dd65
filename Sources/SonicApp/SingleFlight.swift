import Synchronization

/// Concurrent requests for the same key share one execution: the first caller runs `work`,
/// the others wait for its result as suspended continuations, resumed when it is ready; none
/// holds a thread meanwhile (their workers go on, `RequestExecutor`).
/// Keeps a burst of cache misses from becoming a burst of RPC calls.
final class SingleFlight<Value: Sendable>: Sendable {
    private typealias Waiter = CheckedContinuation<Result<Value, AppError>?, Never>

    /// The callers waiting on each key's flight; a key is here while its flight runs.
    private let flights = Mutex<[String: [Waiter]]>([:])

    func run(_ key: String, _ work: () async throws(AppError) -> Value) async throws(AppError) -> Value {
        while true {
            let leader = flights.withLock { all -> Bool in
                guard all[key] == nil else { return false }
                all[key] = []
                return true
            }
            if leader { return try await lead(key, work) }
            // Join the flight; nil when it ended before we joined: then try to lead one.
            let shared: Result<Value, AppError>? = await withCheckedContinuation { (waiter: Waiter) in
                let joined = flights.withLock { all -> Bool in
                    guard all[key] != nil else { return false }
                    all[key]!.append(waiter)
                    return true
                }
                if !joined { waiter.resume(returning: nil) }
            }
            if let shared { return try shared.get() }
        }
    }

    /// How many callers wait for the flight of `key` (besides its leader).
    func waiting(_ key: String) -> Int { flights.withLock { $0[key]?.count ?? 0 } }

    private func lead(_ key: String, _ work: () async throws(AppError) -> Value) async throws(AppError) -> Value {
        let result: Result<Value, AppError>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        let waiters = flights.withLock { $0.removeValue(forKey: key) ?? [] }
        for waiter in waiters { waiter.resume(returning: result) }
        return try result.get()
    }
}
