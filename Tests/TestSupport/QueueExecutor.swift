import Foundation

/// Runs the jobs of tasks that prefer it on threads of its own, not on Swift's global pool:
/// that pool has a thread per core, and other suites' blocking waits may hold them all for
/// seconds. `Task(executorPreference: QueueExecutor.shared) { … }` for a task a test must see
/// run on time.
///
/// A job waits for a thread at most about `patience`: when the threads it has are all busy
/// (or blocked in a test's `eventually`) for that long, it starts another. (A concurrent Dispatch
/// queue has a thread per core on Linux too, and added one only about once a second, so a
/// recorder's task could wait past a test's five-second bound on a loaded two-core machine.)
/// A burst of short jobs is run by the threads it has, not by a thread each.
public final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = QueueExecutor()

    /// Threads started at once, before any job has waited.
    static let initialThreads = 4
    /// More threads than any test suite holds blocked at once; beyond it jobs queue.
    static let maxThreads = 256
    /// How long the oldest queued job may wait before another thread is started.
    static let patience = 0.01

    private let condition = NSCondition()
    private var jobs: [(job: UnownedJob, queued: Double)] = []
    private var waiting = 0
    private var threads = 0
    private var watching = false

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append((job, Self.now()))
        let start = waiting == 0 && threads < Self.initialThreads
        if start { threads += 1 }
        let watch = !watching
        watching = true
        condition.signal()
        condition.unlock()
        if start { Self.thread("test-tasks") { [self] in work() } }
        if watch { Self.thread("test-tasks-watch") { [self] in watchForWaitingJobs() } }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty {
                waiting += 1
                condition.wait()
                waiting -= 1
            }
            let job = jobs.removeFirst().job
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Starts a thread whenever the oldest queued job has waited longer than `patience`.
    private func watchForWaitingJobs() {
        while true {
            condition.lock()
            let starved = jobs.first.map { Self.now() - $0.queued > Self.patience } ?? false
            let start = starved && threads < Self.maxThreads
            if start { threads += 1 }
            condition.unlock()
            if start { Self.thread("test-tasks") { [self] in work() } }
            usleep(UInt32(Self.patience * 1e6 / 2))
        }
    }

    private static func thread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
