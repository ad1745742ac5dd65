import Ethereum
import Foundation
import GRDB

/// Alerts, their events and deliveries, and the per-address change log on PostgreSQL: `Store`'s
/// statements in PostgreSQL's words. The change log is written by the triggers of migration v11,
/// which also send `NOTIFY address_change`.
extension PostgresStore: AlertRepository, AddressChangeRepository {
    public func createAlert(_ alert: Alert) async throws(StoreError) -> Int64 {
        try await rows("""
            INSERT INTO alert (address, kind, minimum_wei, days, webhook_url, webhook_secret, created_at, starts_after)
            VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) FROM address_change)) RETURNING id
            """, [alert.address, alert.kind, alert.minimumWei, alert.days, alert.webhookURL, alert.webhookSecret,
                  alert.createdAt.timeIntervalSince1970]).first?[0] ?? 0
    }

    public func alerts(of address: Address) async throws(StoreError) -> [Alert] {
        try await alerts("SELECT \(Alert.Columns.selection()) FROM alert WHERE address = ? ORDER BY id", [address])
    }

    public func alerts(ofKind kind: Alert.Kind) async throws(StoreError) -> [Alert] {
        try await alerts("SELECT \(Alert.Columns.selection()) FROM alert WHERE kind = ? ORDER BY id", [kind])
    }

    private func alerts(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) async throws(StoreError) -> [Alert] {
        var alerts: [Alert] = []
        for row in try await rows(sql, arguments) { alerts.append(try Alert(row: row)) }
        return alerts
    }

    public func deleteAlert(_ id: Int64, of address: Address) async throws(StoreError) -> Bool {
        try await transaction { (db: Transaction) async throws(StoreError) in
            try await db.execute("DELETE FROM alert_event WHERE alert_id = (SELECT id FROM alert WHERE id = ? AND address = ?)", [id, address])
            return try await db.execute("DELETE FROM alert WHERE id = ? AND address = ?", [id, address]) > 0
        }
    }

    public func recordAlertEvent(_ event: AlertEvent) async throws(StoreError) -> Bool {
        try await execute("""
            INSERT INTO alert_event (alert_id, address, kind, event_key, hash, amount_wei, token_symbol, token_decimals, message,
                created_at, delivery, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
            ON CONFLICT DO NOTHING
            """, [event.alertID, event.address, event.kind, event.key, event.hash, event.amountWei, event.tokenSymbol,
                  event.tokenDecimals, event.message, event.createdAt.timeIntervalSince1970, event.delivery,
                  event.nextAttemptAt?.timeIntervalSince1970]) > 0
    }

    public func alertEvents(of address: Address, after: Int64, limit: Int) async throws(StoreError) -> [AlertEvent] {
        var events: [AlertEvent] = []
        for row in try await rows("""
            SELECT * FROM (SELECT \(AlertEvent.Columns.selection()) FROM alert_event WHERE address = ? AND id > ? ORDER BY id DESC LIMIT ?) AS newest
            ORDER BY id
            """, [address, after, limit]) {
            events.append(try AlertEvent(row: row))
        }
        return events
    }

    public func takeDueDeliveries(at now: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [(event: AlertEvent, alert: Alert)] {
        try await transaction { (db: Transaction) async throws(StoreError) in
            var due: [(event: AlertEvent, alert: Alert)] = []
            for row in try await db.rows("""
                SELECT \(AlertEvent.Columns.selection(from: "e")), \(Alert.Columns.selection(from: "a"))
                FROM alert_event e JOIN alert a ON a.id = e.alert_id
                WHERE e.delivery = 'pending' AND e.next_attempt_at <= ? ORDER BY e.next_attempt_at, e.id LIMIT ? FOR UPDATE OF e
                """, [now.timeIntervalSince1970, limit]) {
                due.append((try AlertEvent(row: row), try Alert(row: row, offset: AlertEvent.Columns.count)))
            }
            if !due.isEmpty {
                try await db.execute("UPDATE alert_event SET next_attempt_at = ? WHERE id IN (\(Store.placeholders(due.count)))",
                                     [leaseUntil.timeIntervalSince1970] + due.map { $0.event.id as (any DatabaseValueConvertible)? })
            }
            return due
        }
    }

    public func recordDeliveryAttempt(_ eventID: Int64, delivered: Bool, error: String?, retryAt: Date?, at now: Date) async throws(StoreError) {
        let state: AlertEvent.Delivery = delivered ? .delivered : (retryAt == nil ? .failed : .pending)
        try await execute("""
            UPDATE alert_event SET delivery = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, delivered_at = ? WHERE id = ?
            """, [state, delivered ? nil : error.map { String($0.prefix(200)) }, delivered ? nil : retryAt?.timeIntervalSince1970,
                  delivered ? now.timeIntervalSince1970 : nil, eventID])
    }

    public func activity(of address: Address, hash: Hash32) async throws(StoreError) -> [ActivityEntry] {
        var entries: [ActivityEntry] = []
        for row in try await rows("SELECT \(ActivityEntry.Columns.selection()) FROM activity WHERE address = ? AND hash = ? ORDER BY seq", [address, hash]) {
            entries.append(try ActivityEntry(row: row))
        }
        return entries
    }

    public func alertCursor() async throws(StoreError) -> Int64? {
        try await rows("SELECT seq FROM alert_cursor WHERE name = 'address_change'").first?[0]
    }

    public func setAlertCursor(_ seq: Int64) async throws(StoreError) {
        try await execute("""
            INSERT INTO alert_cursor (name, seq) VALUES ('address_change', ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq
            """, [seq])
    }

    public func lastAddressChange() async throws(StoreError) -> Int64 {
        try await rows("SELECT coalesce(max(seq), 0) FROM address_change").first?[0] ?? 0
    }

    public func addressChanges(after seq: Int64, limit: Int) async throws(StoreError) -> [AddressChange] {
        try await changes("SELECT \(AddressChange.Columns.selection()) FROM address_change WHERE seq > ? ORDER BY seq LIMIT ?", [seq, limit])
    }

    public func addressChanges(of address: Address, after seq: Int64, limit: Int) async throws(StoreError) -> [AddressChange] {
        try await changes("SELECT \(AddressChange.Columns.selection()) FROM address_change WHERE address = ? AND seq > ? ORDER BY seq LIMIT ?",
                          [address, seq, limit])
    }

    private func changes(_ sql: String, _ arguments: [(any DatabaseValueConvertible)?]) async throws(StoreError) -> [AddressChange] {
        var changes: [AddressChange] = []
        for row in try await rows(sql, arguments) { changes.append(try AddressChange(row: row)) }
        return changes
    }
}
