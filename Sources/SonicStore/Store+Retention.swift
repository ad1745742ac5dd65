import Foundation
import GRDB

/// How many rows a trim removed, by table.
public struct Trimmed: Sendable, Equatable {
    public var conversations = 0
    public var cached = 0
    public var trackedTransactions = 0
    public var alertEvents = 0

    public init(conversations: Int = 0, cached: Int = 0, trackedTransactions: Int = 0, alertEvents: Int = 0) {
        self.conversations = conversations
        self.cached = cached
        self.trackedTransactions = trackedTransactions
        self.alertEvents = alertEvents
    }
}

extension Store {
    /// Removes conversations last written before `conversations`, cached reads stored before
    /// `cache`, and tracked transactions settled (any state but pending) before `tracked`,
    /// with alert events made before then whose webhook is not pending: what only grows
    /// otherwise. Pending transactions are the watcher's to settle or drop.
    @discardableResult
    public func trim(conversationsBefore conversations: Date, cacheBefore cache: Date, trackedBefore tracked: Date) throws(StoreError) -> Trimmed {
        try write { db in
            var trimmed = Trimmed()
            try db.execute(sql: "DELETE FROM conversation WHERE updated_at < ?", arguments: [conversations.timeIntervalSince1970])
            trimmed.conversations = db.changesCount
            try db.execute(sql: "DELETE FROM cache WHERE stored_at < ?", arguments: [cache.timeIntervalSince1970])
            trimmed.cached = db.changesCount
            try db.execute(sql: "DELETE FROM tracked_transaction WHERE state != 'pending' AND updated_at < ?", arguments: [tracked.timeIntervalSince1970])
            trimmed.trackedTransactions = db.changesCount
            try db.execute(sql: "DELETE FROM alert_event WHERE delivery != 'pending' AND created_at < ?", arguments: [tracked.timeIntervalSince1970])
            trimmed.alertEvents = db.changesCount
            return trimmed
        }
    }
}
