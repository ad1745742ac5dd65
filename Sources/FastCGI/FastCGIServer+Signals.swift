import Foundation

extension FastCGIServer {
    /// Starts the server and serves until SIGTERM or SIGINT, then stops gracefully.
    ///
    /// The signals are blocked before any thread starts (threads inherit the mask) and taken
    /// with `sigwait` here, in one place: libfcgi's own handler only sets a flag that a thread
    /// blocked in accept never sees.
    /// - Returns: the signal that stopped the server.
    /// - Parameter beforeExit: runs after accepting has stopped, to answer parked requests.
    public nonisolated func runUntilSignalled(beforeExit: () -> Void = {}) throws(FastCGIError) -> Int32 {
        var signals = Self.blockStopSignals()
        try start()
        var received: Int32 = 0
        sigwait(&signals, &received)
        stop()
        beforeExit()
        return received
    }

    /// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts from now on.
    /// Call it first thing in `main`, before anything starts a thread (the app's watchers): a
    /// thread that does not block them could take the signal, and `sigwait` would never see it.
    @discardableResult
    public static func blockStopSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        return signals
    }
}
