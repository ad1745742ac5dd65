import Foundation

/// Runs async code to its end on the thread that asks for it: the node client's async calls
/// from code that has a thread of its own and nothing else to do meanwhile (the indexer, the
/// transaction watcher). Every job of the task runs on that thread, and a job
/// another thread makes ready (a continuation `CurlMultiTransport` resumed) is handed to it, so
/// such code never waits for a thread of Swift's small global pool.
///
/// API requests use `RequestExecutor` instead (in `SonicApp`), which lets its thread go while
/// the task waits.
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

    /// Runs `operation` to its end on the calling thread and returns what it returned: async
    /// code (node calls, say) called from a thread of its own, such as the indexer's.
    public static func run<Value: Sendable, Failure: Error>(_ operation: @escaping @Sendable () async throws(Failure) -> Value)
        throws(Failure) -> Value
    {
        let executor = ThreadExecutor()
        let result = ResultBox<Result<Value, Failure>>()
        Task(executorPreference: executor) {
            do throws(Failure) { result.value = .success(try await operation()) } catch { result.value = .failure(error) }
            executor.finish()
        }
        executor.runUntilFinished()
        return try result.value!.get()
    }
}

/// Written by the task before it finishes, read by the thread after: `runUntilFinished` orders them.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
