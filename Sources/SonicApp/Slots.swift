import Synchronization

/// At most `limit` of one kind of long work at once. A CSV export writes on its FastCGI worker
/// until its last row: capped, exports can never take the workers that cache and database
/// answers need. `take()` hands out a ticket that frees its slot when it is released (the
/// answer that held it written or dropped), or nil when every slot is taken.
public final class Slots: Sendable {
    public let limit: Int
    private let taken = Mutex(0)

    /// A held slot, freed when the last reference to it goes.
    public final class Ticket: Sendable {
        private let slots: Slots
        fileprivate init(_ slots: Slots) { self.slots = slots }
        deinit { slots.taken.withLock { $0 -= 1 } }
    }

    public init(limit: Int) { self.limit = max(1, limit) }

    public func take() -> Ticket? {
        let granted = taken.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        return granted ? Ticket(self) : nil
    }

    /// Slots held now (for tests and metrics).
    public var inUse: Int { taken.withLock { $0 } }
}
