import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing
@testable import SonicApp

/// A request's task runs on the worker that took it until it waits for another thread; then the
/// worker is free and the task ends on the pool.
@Suite(.serialized) struct RequestExecutorTests {
    /// The calling thread.
    static func threadID() -> UInt { UInt(pthread_self()) }

    @Test func aTaskThatNeverWaitsRunsWhollyOnTheCallingThread() {
        let pool = JobPool(threads: 2, name: "never")
        defer { pool.stop() }
        let worker = Self.threadID()
        let ranOn = Mutex<[UInt]>([])
        RequestExecutor.start(on: pool) {
            ranOn.withLock { $0.append(Self.threadID()) }
            await Task.yield()  // a suspension another thread does not end: still this worker's
            ranOn.withLock { $0.append(Self.threadID()) }
        }
        // start returned: the task has finished, every part of it on this thread.
        #expect(ranOn.withLock { $0 } == [worker, worker])
        #expect(!threadNames().contains { $0.hasPrefix("never-") })  // the pool was never needed
    }

    @Test func aTaskWaitingForAnotherThreadFreesTheWorkerAndEndsOnThePool() {
        let pool = JobPool(threads: 2, name: "freed")
        defer { pool.stop() }
        let worker = Self.threadID()
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let ranOn = Mutex<[UInt]>([])
        RequestExecutor.start(on: pool) {
            ranOn.withLock { $0.append(Self.threadID()) }
            // What a node call through CurlMultiTransport does: resumed by a thread of its own.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread {
                    release.wait()
                    continuation.resume()
                }.start()
            }
            ranOn.withLock { $0.append(Self.threadID()) }
            finished.signal()
        }
        // start returned while the task still waits: the worker is free for other requests.
        #expect(ranOn.withLock { $0 } == [worker])
        release.signal()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        let threads = ranOn.withLock { $0 }
        #expect(threads.count == 2 && threads[1] != worker)
        #expect(threadNames().contains { $0.hasPrefix("freed-") })
    }

    @Test func stoppingThePoolEndsItsThreads() {
        let pool = JobPool(threads: 3, name: "stopped")
        let (done, left) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        RequestExecutor.start(on: pool) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Resumed only once this thread has left the task, so the rest runs on the pool
                // (resumed sooner, it would go on here, and the pool would never start).
                Thread { left.wait(); continuation.resume() }.start()
            }
            done.signal()
        }
        left.signal()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(eventually { threadNames().contains { $0.hasPrefix("stopped-") } })
        pool.stop()
        #expect(eventually { !threadNames().contains { $0.hasPrefix("stopped-") } })
    }
}
