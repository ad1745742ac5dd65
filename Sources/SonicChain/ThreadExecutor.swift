import Foundation

/// Runs async code on the thread that asks for it: a request's handler on the worker that took the request, as the services ran when
/// they were synchronous: the FastCGI worker runs every job of the request's task, and a job that
/// another thread makes ready (a continuation it resumed) is handed to that worker, which waits
/// for it. So a handler never waits for a thread of Swift's small global pool, where a blocking
/// node or database call would hold up every other request.
///
/// This is the executor for transports that block (libcurl's easy interface, SQLite). A
/// non-blocking transport lets the worker serve other requests meanwhile; that is a pool
/// executor on the server's event loop, and the services do not change for it.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Under `condition`.
    private var jobs: [UnownedJob] = []
    private var finished = false

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs the jobs of the task until it has finished.
    private func runUntilFinished() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Runs `operation` to its end on the calling thread and returns what it returned.
    public static func run<Value: Sendable>(_ operation: @escaping @Sendable () async -> Value) -> Value {
        let executor = ThreadExecutor()
        let result = ResultBox<Value>()
        Task(executorPreference: executor) {
            result.value = await operation()
            executor.finish()
        }
        executor.runUntilFinished()
        return result.value!
    }
}

/// Written by the task before it finishes, read by the thread after: `runUntilFinished` orders them.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
