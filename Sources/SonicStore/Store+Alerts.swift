import Ethereum
import Foundation
import GRDB

/// Alerts and what they delivered: made and read by the API for a signed-in address, gone
/// through by the alert engine (`SonicAlerts`, in sonic-sync) as the change log grows.
public protocol AlertRepository: Repository {
    /// Stores `alert` and answers its id.
    func createAlert(_ alert: Alert) async throws(StoreError) -> Int64
    func alerts(of address: Address) async throws(StoreError) -> [Alert]
    /// Every alert of `kind`, for checks that are not driven by the change log (premium ending).
    func alerts(ofKind kind: Alert.Kind) async throws(StoreError) -> [Alert]
    /// Removes alert `id` of `address` with its events; false when it has no such alert.
    func deleteAlert(_ id: Int64, of address: Address) async throws(StoreError) -> Bool
    /// Records `event` unless its alert already went off for its key; true when recorded.
    func recordAlertEvent(_ event: AlertEvent) async throws(StoreError) -> Bool
    /// The newest `limit` events of `address` after id `after`, oldest first.
    func alertEvents(of address: Address, after: Int64, limit: Int) async throws(StoreError) -> [AlertEvent]
    /// Takes the events whose webhook delivery is due at `now`, with their alert, oldest first:
    /// each one's next attempt moves to `leaseUntil` in the same write, so no other deliverer
    /// sends it meanwhile, and one whose attempt is never recorded (its deliverer died) is due
    /// again then.
    func takeDueDeliveries(at now: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [(event: AlertEvent, alert: Alert)]
    /// Records an attempt: delivered, or failed with `error` and tried again at `retryAt` (nil: given up).
    func recordDeliveryAttempt(_ eventID: Int64, delivered: Bool, error: String?, retryAt: Date?, at now: Date) async throws(StoreError)
    /// The activity of `address` in transaction `hash` (a transfer and a token transfer may share one).
    func activity(of address: Address, hash: Hash32) async throws(StoreError) -> [ActivityEntry]
    /// The last entry of the address change log the alert engine has gone through (nil: none yet).
    func alertCursor() async throws(StoreError) -> Int64?
    func setAlertCursor(_ seq: Int64) async throws(StoreError)
}

extension Store: AlertRepository {
    public func createAlert(_ alert: Alert) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO alert (address, kind, minimum_wei, days, webhook_url, webhook_secret, created_at, starts_after)
                VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM address_change))
                """, arguments: [alert.address, alert.kind, alert.minimumWei, alert.days, alert.webhookURL, alert.webhookSecret,
                                 alert.createdAt.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
    }

    public func alerts(of address: Address) throws(StoreError) -> [Alert] {
        try alerts(sql: "SELECT \(Alert.Columns.selection()) FROM alert WHERE address = ? ORDER BY id", [address])
    }

    public func alerts(ofKind kind: Alert.Kind) throws(StoreError) -> [Alert] {
        try alerts(sql: "SELECT \(Alert.Columns.selection()) FROM alert WHERE kind = ? ORDER BY id", [kind])
    }

    private func alerts(sql: String, _ arguments: StatementArguments) throws(StoreError) -> [Alert] {
        var alerts: [Alert] = []
        for row in try read({ db in try Row.fetchAll(db, sql: sql, arguments: arguments) }) { alerts.append(try Alert(row: row)) }
        return alerts
    }

    public func deleteAlert(_ id: Int64, of address: Address) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM alert_event WHERE alert_id = (SELECT id FROM alert WHERE id = ? AND address = ?)", arguments: [id, address])
            try db.execute(sql: "DELETE FROM alert WHERE id = ? AND address = ?", arguments: [id, address])
            return db.changesCount > 0
        }
    }

    public func recordAlertEvent(_ event: AlertEvent) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO alert_event (alert_id, address, kind, event_key, hash, amount_wei, token_symbol, token_decimals, message,
                    created_at, delivery, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
                """, arguments: [event.alertID, event.address, event.kind, event.key, event.hash, event.amountWei, event.tokenSymbol,
                                 event.tokenDecimals, event.message, event.createdAt.timeIntervalSince1970, event.delivery,
                                 event.nextAttemptAt?.timeIntervalSince1970])
            return db.changesCount > 0
        }
    }

    public func alertEvents(of address: Address, after: Int64, limit: Int) throws(StoreError) -> [AlertEvent] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT \(AlertEvent.Columns.selection()) FROM alert_event WHERE address = ? AND id > ? ORDER BY id DESC LIMIT ?)
                ORDER BY id
                """, arguments: [address, after, limit])
        }
        var events: [AlertEvent] = []
        for row in rows { events.append(try AlertEvent(row: row)) }
        return events
    }

    public func takeDueDeliveries(at now: Date, limit: Int, leaseUntil: Date) throws(StoreError) -> [(event: AlertEvent, alert: Alert)] {
        let rows = try write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(AlertEvent.Columns.selection(from: "e")), \(Alert.Columns.selection(from: "a"))
                FROM alert_event e JOIN alert a ON a.id = e.alert_id
                WHERE e.delivery = 'pending' AND e.next_attempt_at <= ? ORDER BY e.next_attempt_at, e.id LIMIT ?
                """, arguments: [now.timeIntervalSince1970, limit])
            let ids: [Int64] = rows.map { $0[AlertEvent.Columns.id.rawValue] }
            if !ids.isEmpty {
                try db.execute(sql: "UPDATE alert_event SET next_attempt_at = ? WHERE id IN (\(Self.placeholders(ids.count)))",
                               arguments: StatementArguments([leaseUntil.timeIntervalSince1970] + ids.map { $0 as any DatabaseValueConvertible }))
            }
            return rows
        }
        var due: [(event: AlertEvent, alert: Alert)] = []
        for row in rows { due.append((try AlertEvent(row: row), try Alert(row: row, offset: AlertEvent.Columns.count))) }
        return due
    }

    public func recordDeliveryAttempt(_ eventID: Int64, delivered: Bool, error: String?, retryAt: Date?, at now: Date) throws(StoreError) {
        try write { db in
            let state: AlertEvent.Delivery = delivered ? .delivered : (retryAt == nil ? .failed : .pending)
            try db.execute(sql: """
                UPDATE alert_event SET delivery = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, delivered_at = ?
                WHERE id = ?
                """, arguments: [state, delivered ? nil : error.map { String($0.prefix(200)) }, delivered ? nil : retryAt?.timeIntervalSince1970,
                                 delivered ? now.timeIntervalSince1970 : nil, eventID])
        }
    }

    public func activity(of address: Address, hash: Hash32) throws(StoreError) -> [ActivityEntry] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT \(ActivityEntry.Columns.selection()) FROM activity WHERE address = ? AND hash = ? ORDER BY seq",
                             arguments: [address, hash])
        }
        var entries: [ActivityEntry] = []
        for row in rows { entries.append(try ActivityEntry(row: row)) }
        return entries
    }

    public func alertCursor() throws(StoreError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM alert_cursor WHERE name = 'address_change'") }
    }

    public func setAlertCursor(_ seq: Int64) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO alert_cursor (name, seq) VALUES ('address_change', ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq
                """, arguments: [seq])
        }
    }
}
