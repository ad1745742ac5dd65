import Dispatch

/// The time by which the work of the current task must be done: a request's answer, say.
///
/// Set for a task with `Deadline.$current.withValue(.after(seconds:)) { … }`; every node call
/// (`RPCClient`) and database call (`PostgresPool`) made inside it is bounded by what is left,
/// and is not made once it has passed, so a slow node or database cannot make an answer later
/// than its deadline. Without one, calls are bounded only by their client's timeout.
///
/// Its own target, below every client that waits: import it through those (`SonicChain`
/// re-exports it) or directly.
public struct Deadline: Sendable {
    /// Uptime in nanoseconds (`DispatchTime`), which does not jump with the wall clock.
    public let uptimeNanoseconds: UInt64

    @TaskLocal public static var current: Deadline?

    public init(uptimeNanoseconds: UInt64) { self.uptimeNanoseconds = uptimeNanoseconds }

    /// `seconds` from now.
    public static func after(seconds: Double) -> Deadline {
        Deadline(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9))
    }

    /// Seconds left until the deadline; 0 once it has passed.
    public var secondsLeft: Double {
        let now = DispatchTime.now().uptimeNanoseconds
        return uptimeNanoseconds > now ? Double(uptimeNanoseconds - now) / 1e9 : 0
    }

    /// `limit`, or the seconds left of the current task's deadline when that is sooner.
    public static func remaining(within limit: Double) -> Double {
        guard let current else { return limit }
        return min(limit, current.secondsLeft)
    }
}
