import Foundation
import SonicChain
import Synchronization

/// Requests waiting for a change (long-polls), held without a thread each.
///
/// A waiter is a key (a transaction hash), a deadline and a `resume` closure that answers the
/// request from whatever thread calls it, given the new value when the waker has it (so a
/// thousand waiters do not each read it again). `wake` answers every waiter of the keys at once;
/// a sweeper thread answers those whose deadline passed (with no value). `resume` runs outside
/// the lock; a large wake is answered on several threads. Each client (`ip:…`) may have at most
/// `perClient` waiters at once: a request beyond that is not parked.
public final class ParkingLot: Sendable {
    public typealias Resume = @Sendable ((any Sendable)?) -> Void

    struct Waiter {
        let id: Int
        let client: String
        let deadline: Date
        let resume: Resume
    }

    struct State {
        var byKey: [String: [Waiter]] = [:]
        /// Waiters per client, for the cap (clients with none are absent).
        var byClient: [String: Int] = [:]
        var nextID = 0
        /// No waiter's deadline is earlier (one may be later: a woken waiter's deadline stays
        /// here until the next sweep), so the sweeper looks at the waiters only when one is due.
        var earliest = Date.distantFuture

        /// Forgets `gone` in the per-client counts.
        mutating func release(_ gone: some Sequence<Waiter>) {
            for waiter in gone {
                let left = (byClient[waiter.client] ?? 1) - 1
                byClient[waiter.client] = left > 0 ? left : nil
            }
        }
    }

    private let waiters = Mutex(State())
    private let sweeper = Mutex<RepeatingThread?>(nil)
    /// Waiters one client may have at once; 0 for no cap.
    public let perClient: Int

    /// - Parameter perClient: waiters one client may have at once (0: no cap).
    public init(perClient: Int = 0) {
        self.perClient = perClient
    }

    /// How many requests are waiting now.
    public var count: Int { waiters.withLock { $0.byKey.values.reduce(0) { $0 + $1.count } } }

    /// Parks a waiter of `client` on `key` until it is woken or `deadline` passes; `resume`
    /// answers it. False, and nothing parked, when the client has `perClient` waiting already.
    @discardableResult
    public func park(_ key: String, client: String = "", until deadline: Date, resume: @escaping Resume) -> Bool {
        waiters.withLock { state in
            let held = state.byClient[client] ?? 0
            guard perClient == 0 || held < perClient else { return false }
            state.byClient[client] = held + 1
            state.nextID += 1
            state.byKey[key, default: []].append(Waiter(id: state.nextID, client: client, deadline: deadline, resume: resume))
            state.earliest = min(state.earliest, deadline)
            return true
        }
    }

    /// How many requests `client` has waiting now.
    public func count(of client: String) -> Int { waiters.withLock { $0.byClient[client] ?? 0 } }

    /// Answers every waiter of `key`, with `value` when the caller has the new state.
    public func wake(_ key: String, with value: (any Sendable)? = nil) {
        wake([(key, value)])
    }

    /// Answers every waiter of each key, with its value; returns how many were answered.
    @discardableResult
    public func wake(_ changes: [(key: String, value: (any Sendable)?)]) -> Int {
        let woken: [(Waiter, (any Sendable)?)] = waiters.withLock { state in
            let woken = changes.flatMap { change in (state.byKey.removeValue(forKey: change.key) ?? []).map { ($0, change.value) } }
            state.release(woken.lazy.map(\.0))
            return woken
        }
        Self.resume(woken)
        return woken.count
    }

    /// Runs the resumes: inline when few, else spread over the cores (each answer is a socket
    /// write and close, independent of the others).
    static func resume(_ woken: [(Waiter, (any Sendable)?)]) {
        guard woken.count > 64 else {
            for (waiter, value) in woken { waiter.resume(value) }
            return
        }
        let chunks = min(8, max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
        let size = (woken.count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for index in (chunk * size)..<min(woken.count, (chunk + 1) * size) { woken[index].0.resume(woken[index].1) }
        }
    }

    /// Answers every waiter whose deadline has passed.
    public func expire(now: Date = Date()) {
        var due: [Waiter] = []
        waiters.withLock { state in
            guard state.earliest <= now else { return }
            var earliest = Date.distantFuture
            for (key, list) in state.byKey {
                guard list.contains(where: { $0.deadline <= now }) else {
                    earliest = min(earliest, list.lazy.map(\.deadline).min() ?? earliest)
                    continue
                }
                let waiting = list.filter { $0.deadline > now }
                due += list.filter { $0.deadline <= now }
                earliest = min(earliest, waiting.lazy.map(\.deadline).min() ?? earliest)
                state.byKey[key] = waiting.isEmpty ? nil : waiting
            }
            state.earliest = earliest
            state.release(due)
        }
        Self.resume(due.map { ($0, nil) })
    }

    /// Answers everyone now (graceful stop).
    public func wakeAll() {
        let all = waiters.withLock { state -> [Waiter] in
            defer { state.byKey = [:]; state.byClient = [:]; state.earliest = .distantFuture }
            return state.byKey.values.flatMap { $0 }
        }
        Self.resume(all.map { ($0, nil) })
    }

    /// Sweeps expired waiters every `interval` seconds on a thread of its own, until `stopSweeper()`.
    public func startSweeper(interval: Double = 0.05) {
        sweeper.withLock { running in
            guard running == nil else { return }
            running = RepeatingThread(name: "parking-sweeper", interval: interval) { [weak self] in self?.expire() }
        }
    }

    /// Stops the sweeper and waits for its thread to end.
    public func stopSweeper() {
        sweeper.withLock { $0.take() }?.stop()
    }
}
