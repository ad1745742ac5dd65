import Dispatch

/// Runs the jobs of tasks that prefer it on a Dispatch queue of its own, not on Swift's global
/// pool: that pool has a thread per core, and other suites' blocking waits may hold them all
/// for seconds. `Task(executorPreference: QueueExecutor.shared) { … }` for a task a test must
/// see run on time.
public final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = QueueExecutor()
    private let queue = DispatchQueue(label: "test-tasks", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
