import Foundation
import Synchronization

/// Requests waiting for a change (long-polls), held without a thread each.
///
/// A waiter is a key (a transaction hash), a deadline and a `resume` closure that answers the
/// request from whatever thread calls it. `wake(key)` answers every waiter of the key at once;
/// a sweeper thread answers those whose deadline passed. `resume` runs outside the lock.
public final class ParkingLot: Sendable {
    struct Waiter {
        let id: Int
        let deadline: Date
        let resume: @Sendable () -> Void
    }

    private let waiters = Mutex<(byKey: [String: [Waiter]], nextID: Int)>(([:], 0))

    public init() {}

    /// How many requests are waiting now.
    public var count: Int { waiters.withLock { $0.byKey.values.reduce(0) { $0 + $1.count } } }

    /// Parks a waiter on `key` until it is woken or `deadline` passes; `resume` answers it.
    public func park(_ key: String, until deadline: Date, resume: @escaping @Sendable () -> Void) {
        waiters.withLock { state in
            state.nextID += 1
            state.byKey[key, default: []].append(Waiter(id: state.nextID, deadline: deadline, resume: resume))
        }
    }

    /// Answers every waiter of `key`.
    public func wake(_ key: String) {
        let woken = waiters.withLock { $0.byKey.removeValue(forKey: key) } ?? []
        for waiter in woken { waiter.resume() }
    }

    /// Answers every waiter whose deadline has passed.
    public func expire(now: Date = Date()) {
        var due: [Waiter] = []
        waiters.withLock { state in
            for (key, list) in state.byKey {
                let (late, waiting) = (list.filter { $0.deadline <= now }, list.filter { $0.deadline > now })
                guard !late.isEmpty else { continue }
                due += late
                state.byKey[key] = waiting.isEmpty ? nil : waiting
            }
        }
        for waiter in due { waiter.resume() }
    }

    /// Answers everyone now (graceful stop).
    public func wakeAll() {
        let all = waiters.withLock { state -> [Waiter] in
            defer { state.byKey = [:] }
            return state.byKey.values.flatMap { $0 }
        }
        for waiter in all { waiter.resume() }
    }

    /// Sweeps expired waiters every `interval` seconds on a thread of its own.
    public func startSweeper(interval: Double = 0.05) {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: interval)
                expire()
            }
        }
        thread.name = "parking-sweeper"
        thread.start()
    }
}
