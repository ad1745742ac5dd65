import RequestDeadline
import Dispatch

/// A caller waiting for a connection of the pool, and then for its statement: when its time
/// runs out (its timeout or the task's `Deadline`), or its task is cancelled, it is given up
/// wherever it is: taken out of the queue, or its connection closed mid-statement.
/// Touched on the loop's thread only, once submitted.
final class PostgresRequest: @unchecked Sendable {
    enum Place { case new, queued, connecting, holding(PostgresConnection), done }

    /// Uptime (ns) by which it must be done.
    let expires: UInt64
    var place = Place.new
    var timer: Int?
    /// Why it was given up, if it was: `.timeout` or `.cancelled`.
    var abandoned: PostgresError?
    /// Its connection must be closed, not reused, when it is done (a failed `ROLLBACK`).
    var discard = false
    /// Given the connection it may use (set before it is submitted); it hands it back with `PostgresPool.done`.
    var whenGranted: (PostgresConnection) -> Void = { _ in }
    /// Told it will get none.
    let refused: (PostgresError) -> Void

    init(expires: UInt64, refused: @escaping (PostgresError) -> Void) {
        self.expires = expires
        self.refused = refused
    }

    /// Uptime (ns) `seconds` from now, or sooner when the task's deadline is.
    static func expiry(within seconds: Double) -> UInt64 {
        let left = Deadline.remaining(within: seconds)
        return DispatchTime.now().uptimeNanoseconds + UInt64(max(0, left) * 1e9)
    }

    var hasExpired: Bool { DispatchTime.now().uptimeNanoseconds >= expires }

    static func timedOut(_ waited: String) -> PostgresError {
        PostgresError(.timeout, "the time for this database call ran out while \(waited)")
    }
}
