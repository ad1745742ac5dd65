import Foundation
import Synchronization

/// Concurrent requests for the same key share one execution: the first caller runs `work`,
/// the others wait for its result. Keeps a burst of cache misses from becoming a burst of RPC calls.
final class SingleFlight<Value: Sendable>: Sendable {
    private final class Flight: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var waiters = 0
        var result: Result<Value, AppError>?
    }

    private let flights = Mutex<[String: Flight]>([:])

    func run(_ key: String, _ work: () throws(AppError) -> Value) throws(AppError) -> Value {
        let (flight, leader) = flights.withLock { all -> (Flight, Bool) in
            if let existing = all[key] {
                existing.waiters += 1
                return (existing, false)
            }
            let flight = Flight()
            all[key] = flight
            return (flight, true)
        }
        if !leader {
            flight.done.wait()
            return try flight.result!.get()
        }
        let result: Result<Value, AppError>
        do { result = .success(try work()) } catch { result = .failure(error) }
        let waiters = flights.withLock { all -> Int in
            all[key] = nil
            flight.result = result
            return flight.waiters
        }
        for _ in 0..<waiters { flight.done.signal() }
        return try result.get()
    }
}
