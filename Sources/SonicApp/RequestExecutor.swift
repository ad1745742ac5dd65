import Foundation
import Synchronization

/// A request's executor: the FastCGI worker that took the request runs the jobs of its task
/// while the task has any ready, so an answer from the cache or the database is written by that
/// worker, on its kept-alive connection, with no hand-over. When the task waits for something
/// another thread will finish (a node's answer from `CurlMultiTransport`), the worker leaves it
/// and goes back to serve other requests; the jobs that follow run on `JobPool`'s threads, and
/// the answer is written from there. So a slow node holds no worker, and cache and database
/// answers never queue behind node calls (docs/architecture.md, docs/benchmarks.md).
public final class RequestExecutor: TaskExecutor, @unchecked Sendable {
    private let pool: JobPool
    private let state = Mutex<(jobs: [UnownedJob], attached: Bool)>(([], true))

    public init(pool: JobPool) { self.pool = pool }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let forward = state.withLock { state in
            guard state.attached else { return true }
            state.jobs.append(job)
            return false
        }
        if forward { pool.enqueue(job, on: asUnownedTaskExecutor()) }
    }

    /// Runs the task's ready jobs on the calling thread until there are none: the task has
    /// finished, or it waits for another thread. From then on its jobs go to the pool.
    public func runWhileReady() {
        while let job = state.withLock({ state -> UnownedJob? in
            guard !state.jobs.isEmpty else {
                state.attached = false
                return nil
            }
            return state.jobs.removeFirst()
        }) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs `operation` as a task on this thread until it finishes or waits (see above).
    public static func start(on pool: JobPool, _ operation: sending @escaping @isolated(any) () async -> Void) {
        let executor = RequestExecutor(pool: pool)
        Task(executorPreference: executor, operation: operation)
        executor.runWhileReady()
    }
}

/// Runs every job of a task on `JobPool`'s threads: the app's own background tasks (the change
/// listener's), kept off Swift's global pool, where a blocking wait elsewhere could hold them up.
final class JobPoolExecutor: TaskExecutor, @unchecked Sendable {
    private let pool: JobPool

    init(pool: JobPool) { self.pool = pool }

    func enqueue(_ job: consuming ExecutorJob) {
        pool.enqueue(UnownedJob(job), on: asUnownedTaskExecutor())
    }
}

/// Threads that run the jobs of request tasks their worker has left (see `RequestExecutor`):
/// continuations after a node's answer, mostly short (decoding, a database write, the JSON).
/// Started on first use; `stop()` ends the threads and returns once they have ended.
public final class JobPool: Sendable {
    public let threads: Int
    /// The threads' names are this and their index (at most 15 bytes in all, as the kernel keeps them).
    public let name: String
    private let condition = NSCondition()
    private let state = Mutex<(jobs: [(UnownedJob, UnownedTaskExecutor)], started: Bool, stopping: Bool)>(([], false, false))
    private let ended = DispatchGroup()

    public init(threads: Int, name: String = "jobs") {
        self.threads = max(1, threads)
        self.name = name
    }

    func enqueue(_ job: UnownedJob, on executor: UnownedTaskExecutor) {
        let startNow = state.withLock { state -> Bool in
            state.jobs.append((job, executor))
            defer { state.started = true }
            return !state.started
        }
        if startNow { start() }
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    private func start() {
        // Every thread counted before any starts, so a `stop()` that comes while they are being
        // made waits for all of them.
        for _ in 0..<threads { ended.enter() }
        for index in 0..<threads {
            let thread = Thread { [self] in
                // As `ps -L`, `top -H` and /proc show it.
                try? "\(name)-\(index)".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
                run()
                ended.leave()
            }
            thread.stackSize = 512 << 10
            thread.start()
        }
    }

    private func run() {
        while true {
            condition.lock()
            var next: (UnownedJob, UnownedTaskExecutor)?
            var stop = false
            while true {
                (next, stop) = state.withLock { state in
                    state.jobs.isEmpty ? (nil, state.stopping) : (state.jobs.removeFirst(), false)
                }
                if next != nil || stop { break }
                condition.wait()
            }
            condition.unlock()
            guard let (job, executor) = next else { return }
            job.runSynchronously(on: executor)
        }
    }

    /// Lets the threads finish the jobs queued, ends them, and returns once they have ended.
    public func stop() {
        let started = state.withLock { state in
            state.stopping = true
            return state.started
        }
        guard started else { return }
        condition.lock()
        condition.broadcast()
        condition.unlock()
        ended.wait()
    }
}
