import CLibPQ
import Foundation
import Synchronization

/// The one thread that drives every libpq connection of a pool: it waits in `epoll_wait` for
/// their sockets and for work handed to it (`execute`), and runs timers. Everything that touches
/// a `PGconn` runs here, so connections need no locks; callers only hand work over and await.
final class PostgresLoop: @unchecked Sendable {
    private let epoll: Int32
    /// An eventfd in the epoll set: written by `execute` and `stop` to wake the thread.
    private let wake: Int32
    private let state = Mutex(Shared())
    private let ended = DispatchSemaphore(value: 0)

    private struct Shared {
        var running = true
        var work: [() -> Void] = []
    }

    // Touched by the loop's thread only.
    private var watchers: [Int32: (UInt32) -> Void] = [:]
    private var timers: [Int: (at: UInt64, work: () -> Void)] = [:]
    private var nextTimer = 0

    init(threadName: String) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wake = sonic_pq_eventfd()
        precondition(epoll >= 0 && wake >= 0, "epoll or eventfd could not be made")
        _ = sonic_pq_epoll_watch(epoll, wake, 1, 0, 1)
        Thread { [self] in
            // The name `top` and the tests see (Foundation's Thread.name is not the kernel's).
            try? threadName.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            run()
        }.start()
    }

    deinit {
        close(epoll)
        close(wake)
    }

    /// Runs `work` on the loop's thread, soon. After `stop`, never: then it returns false.
    @discardableResult
    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { state in
            guard state.running else { return false }
            state.work.append(work)
            return true
        }
        if accepted { signal() }
        return accepted
    }

    /// Runs the work handed over so far, then ends the thread; returns once it has ended.
    /// `finally` runs last on the loop's thread (closing connections, failing callers).
    func stop(finally: @escaping @Sendable () -> Void) {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            if state.running { state.work.append(finally) }
            return state.running
        }
        guard wasRunning else { return }
        signal()
        ended.wait()
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
    }

    /// Watches `fd` (loop thread): `handler` gets the events while it is readable or writable as asked.
    func watch(_ fd: Int32, readable: Bool, writable: Bool, _ handler: @escaping (UInt32) -> Void) {
        let added = watchers.updateValue(handler, forKey: fd) == nil
        _ = sonic_pq_epoll_watch(epoll, fd, readable ? 1 : 0, writable ? 1 : 0, added ? 1 : 0)
    }

    /// Stops watching `fd` (loop thread); call it before the descriptor is closed.
    func forget(_ fd: Int32) {
        guard watchers.removeValue(forKey: fd) != nil else { return }
        _ = sonic_pq_epoll_forget(epoll, fd)
    }

    /// Runs `work` on the loop's thread at uptime `at` (ns); returns an id for `cancelTimer`.
    @discardableResult
    func schedule(at: UInt64, _ work: @escaping () -> Void) -> Int {
        nextTimer += 1
        timers[nextTimer] = (at, work)
        return nextTimer
    }

    func cancelTimer(_ id: Int) { timers[id] = nil }

    private func run() {
        defer { ended.signal() }
        var ids = [Int32](repeating: 0, count: 64)
        var events = [UInt32](repeating: 0, count: 64)
        while true {
            let (work, running) = state.withLock { state in
                defer { state.work = [] }
                return (state.work, state.running)
            }
            for item in work { item() }
            guard running else { return }
            runDueTimers()
            let count = sonic_pq_epoll_wait(epoll, &ids, &events, 64, timeoutMilliseconds())
            for index in 0..<max(0, Int(count)) {
                let fd = ids[index]
                if fd == wake {
                    var value: UInt64 = 0
                    _ = read(wake, &value, 8)
                } else {
                    watchers[fd]?(events[index])
                }
            }
        }
    }

    private func runDueTimers() {
        let now = DispatchTime.now().uptimeNanoseconds
        let due = timers.filter { $0.value.at <= now }.sorted { $0.value.at < $1.value.at }
        for (id, timer) in due {
            timers[id] = nil
            timer.work()
        }
    }

    /// Until the next timer is due (at most a second).
    private func timeoutMilliseconds() -> Int32 {
        guard let next = timers.values.map(\.at).min() else { return 1000 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard next > now else { return 0 }
        return Int32(min(1000, (next - now + 999_999) / 1_000_000))
    }
}
