import Ethereum
import Foundation
import SonicStore

/// Decides which alerts go off: goes through the per-address change log from where it last
/// stopped, matching each address's alerts against the activity the indexer recorded, and
/// checks premium end dates. Each alert goes off once per event key; an event with a webhook
/// is queued for `WebhookDeliverer`.
public struct AlertEngine: Sendable {
    /// Reads when premium ends for an address (Unix time; 0 if never bought).
    public typealias PremiumEnd = @Sendable (Address) async throws -> UInt64

    let repository: any AlertRepository & AddressChangeRepository
    /// Log entries read per pass.
    let page: Int

    public init(repository: any AlertRepository & AddressChangeRepository, page: Int = 1_000) {
        self.repository = repository
        self.page = page
    }

    /// Goes through the log entries since the last pass (the first pass starts at the newest:
    /// alerts are about what happens from now on) and records the alerts that went off.
    /// - Returns: how many events were recorded.
    @discardableResult
    public func evaluate(now: Date) async throws(StoreError) -> Int {
        guard let cursor = try await repository.alertCursor() else {
            try await repository.setAlertCursor(try await repository.lastAddressChange())
            return 0
        }
        let changes = try await repository.addressChanges(after: cursor, limit: page)
        guard let last = changes.last?.seq else { return 0 }
        var recorded = 0
        var alertsOf: [Address: [Alert]] = [:]
        for change in changes where change.kind != .alert {
            guard let hash = change.hash else { continue }
            let known: [Alert]
            if let cached = alertsOf[change.address] { known = cached } else {
                known = try await repository.alerts(of: change.address)
                alertsOf[change.address] = known
            }
            // An alert set after this change was recorded is about what comes next, not this.
            let alerts = known.filter { change.seq > $0.startsAfter }
            guard !alerts.isEmpty else { continue }
            for entry in try await repository.activity(of: change.address, hash: hash) {
                for alert in alerts {
                    guard let message = Self.message(alert, entry) else { continue }
                    let event = AlertEvent(alertID: alert.id, address: alert.address, kind: alert.kind, key: "\(hash)", hash: hash,
                                           amountWei: entry.amountWei, tokenSymbol: entry.tokenSymbol, tokenDecimals: entry.tokenDecimals,
                                           message: message, createdAt: now, delivery: alert.webhookURL == nil ? .none : .pending,
                                           nextAttemptAt: alert.webhookURL == nil ? nil : now)
                    if try await repository.recordAlertEvent(event) { recorded += 1 }
                }
            }
        }
        try await repository.setAlertCursor(last)
        return recorded
    }

    /// What a person reads when `alert` goes off for `entry`; nil when it does not.
    static func message(_ alert: Alert, _ entry: ActivityEntry) -> String? {
        let amount = "\(Units.readable(entry.amountWei, decimals: entry.tokenDecimals, places: 4)) \(entry.tokenSymbol)"
        let who = entry.counterparty.map { " \(Self.short($0))" } ?? ""
        let isS = entry.tokenSymbol == "S" && entry.tokenAddress == nil
        switch alert.kind {
        case .incoming:
            guard entry.direction == .incoming, entry.status == .confirmed, entry.kind == .transfer || entry.kind == .tokenTransfer else { return nil }
            if let least = alert.minimumWei { guard isS, entry.amountWei >= least else { return nil } }
            return "Received \(amount)" + (who.isEmpty ? "" : " from\(who)")
        case .largeOutgoing:
            guard entry.direction == .outgoing, entry.status == .confirmed, isS, let least = alert.minimumWei, entry.amountWei >= least else { return nil }
            return "Sent \(amount)" + (who.isEmpty ? "" : " to\(who)")
        case .failed:
            guard entry.status == .failed, entry.direction != .incoming else { return nil }
            return "Your transaction \(Self.short(entry.hash)) failed" + (entry.reason.map { ": \($0.prefix(120))" } ?? "")
        case .premiumEnding:
            return nil
        }
    }

    /// Records a `premiumEnding` event for each such alert whose address's premium ends within
    /// its days (once per end date), reading the end dates with `premiumEnd`.
    /// - Returns: how many events were recorded.
    @discardableResult
    public func checkPremium(now: Date, premiumEnd: PremiumEnd) async throws(StoreError) -> Int {
        var recorded = 0
        for alert in try await repository.alerts(ofKind: .premiumEnding) {
            guard let days = alert.days, let end = try? await premiumEnd(alert.address), end > 0 else { continue }
            let left = Double(end) - now.timeIntervalSince1970
            guard left > 0, left <= Double(days) * 86_400 else { continue }
            let date = Date(timeIntervalSince1970: Double(end))
            let daysLeft = Int(left / 86_400)
            let when = daysLeft == 0 ? "within a day" : "in \(daysLeft) day\(daysLeft == 1 ? "" : "s")"
            let event = AlertEvent(alertID: alert.id, address: alert.address, kind: .premiumEnding, key: "premium-\(end)",
                                   message: "Premium ends on \(date.formatted(.iso8601.year().month().day())) (\(when))",
                                   createdAt: now, delivery: alert.webhookURL == nil ? .none : .pending,
                                   nextAttemptAt: alert.webhookURL == nil ? nil : now)
            if try await repository.recordAlertEvent(event) { recorded += 1 }
        }
        return recorded
    }

    static func short(_ address: Address) -> String {
        let text = address.checksummed
        return "\(text.prefix(6))…\(text.suffix(4))"
    }

    static func short(_ hash: Hash32) -> String {
        let text = hash.description
        return "\(text.prefix(10))…"
    }
}
