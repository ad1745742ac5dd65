import Foundation

/// A thread of its own that runs `body` every `interval` seconds until `stop()`, which wakes it
/// at once and returns only after it has ended: background work that can be stopped and joined
/// (the transaction watcher, the parking sweeper, the alert runner).
public final class RepeatingThread: Sendable {
    /// Signalled by `stop()`: the thread's wait between runs ends early.
    private let stopRequest = DispatchSemaphore(value: 0)
    /// Signalled by the thread as it ends.
    private let ended = DispatchSemaphore(value: 0)

    /// Starts the thread, called `name` (as `ps -L` and /proc show it).
    public init(name: String, interval: Double, _ body: @escaping @Sendable () -> Void) {
        let (stopRequest, ended) = (stopRequest, ended)
        let thread = Thread {
            // As `ps -L`, `top -H` and /proc show it (at most 15 bytes; Foundation's `name` is its own only).
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            defer { ended.signal() }
            repeat { body() } while stopRequest.wait(timeout: .now() + interval) == .timedOut
        }
        thread.start()
    }

    /// Ends the thread after the run in hand and waits until it has ended.
    public func stop() {
        stopRequest.signal()
        ended.wait()
    }
}
