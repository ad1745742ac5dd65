import Ethereum
import Foundation
import SonicAlerts
import SonicStore

/// The alerts a signed-in person sets on their address, and the log of what they delivered:
/// checked here, carried out by the alert engine in sonic-sync. Everyone signed in gets a few
/// alerts shown in the page; subscribers get more, and webhooks.
public struct AlertService: Sendable {
    let repository: (any AlertRepository)?
    let clock: any TimeSource
    /// Webhooks to loopback and private addresses (`SONIC_WEBHOOK_ALLOW_PRIVATE`): tests and local set-ups only.
    let allowPrivate: Bool
    /// Alerts an address may have (`SONIC_ALERTS_PER_ADDRESS`), and with premium (`SONIC_ALERTS_PER_SUBSCRIBER`).
    let limit: Int
    let subscriberLimit: Int

    public init(repository: (any AlertRepository)?, clock: any TimeSource, allowPrivate: Bool, limit: Int, subscriberLimit: Int) {
        self.repository = repository
        self.clock = clock
        self.allowPrivate = allowPrivate
        self.limit = limit
        self.subscriberLimit = subscriberLimit
    }

    /// What a person asks for, as the API received it.
    public struct Request: Sendable {
        public var kind: String?
        /// An amount of S in decimal ("2.5").
        public var minimum: String?
        public var days: Int?
        public var webhookURL: String?

        public init(kind: String?, minimum: String? = nil, days: Int? = nil, webhookURL: String? = nil) {
            self.kind = kind
            self.minimum = minimum
            self.days = days
            self.webhookURL = webhookURL
        }
    }

    /// The most alerts `address` may have.
    public func limit(subscriber: Bool) -> Int { subscriber ? subscriberLimit : limit }

    /// Checks `request` and stores the alert for `address`; answers it with the webhook's
    /// signing secret, shown only now.
    /// - Throws: the field at fault, `forbidden` for a webhook without premium, `conflict` past the count.
    public func create(_ request: Request, for address: Address, subscriber: Bool) async throws(AppError) -> (alert: Alert, secret: String?) {
        guard let repository else { throw .databaseDown }
        let kinds = Alert.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = request.kind else { throw .invalidInput(field: "kind", summary: "Missing kind", detail: "kind is required: one of \(kinds)") }
        guard let kind = Alert.Kind(rawValue: text) else {
            throw .invalidInput(field: "kind", summary: "Invalid kind", detail: "kind must be one of \(kinds), got \"\(text.prefix(40))\"")
        }
        var minimum: UInt256?
        if let amount = request.minimum {
            guard kind == .incoming || kind == .largeOutgoing else {
                throw .invalidInput(field: "minimum", summary: "Unexpected minimum", detail: "minimum applies to incoming and large_outgoing alerts only")
            }
            minimum = try Validate.amount(amount, decimals: 18, symbol: "S", field: "minimum")
        } else if kind == .largeOutgoing {
            throw .invalidInput(field: "minimum", summary: "Missing minimum", detail: "a large_outgoing alert needs minimum, the least amount of S that counts (\"100\")")
        }
        if kind == .premiumEnding {
            guard let days = request.days, (1...60).contains(days) else {
                throw .invalidInput(field: "days", summary: "Invalid days", detail: "a premium_ending alert needs days, a whole number from 1 to 60")
            }
        } else if request.days != nil {
            throw .invalidInput(field: "days", summary: "Unexpected days", detail: "days applies to premium_ending alerts only")
        }
        var secret: String?
        if let url = request.webhookURL {
            guard subscriber else {
                throw .forbidden(summary: "Webhooks come with Premium", detail: "alerts are shown in the page for everyone; sending them to a webhook needs an active Premium subscription")
            }
            do { _ = try WebhookDestination(url, allowPrivate: allowPrivate) } catch {
                throw .invalidInput(field: "webhook_url", summary: "Invalid webhook_url", detail: "\(error)")
            }
            secret = Self.newSecret()
        }
        let most = limit(subscriber: subscriber)
        let existing = try await storeCall { () async throws(StoreError) in try await repository.alerts(of: address) }
        guard existing.count < most else {
            throw .conflict(summary: "Too many alerts", detail: "\(address.checksummed) has \(existing.count) alerts, the most it may have"
                            + (subscriber ? "; remove one first" : "; remove one, or Premium allows \(subscriberLimit)"))
        }
        var alert = Alert(address: address, kind: kind, minimumWei: minimum, days: request.days, webhookURL: request.webhookURL,
                          webhookSecret: secret, createdAt: clock.now())
        alert.id = try await storeCall { () async throws(StoreError) in try await repository.createAlert(alert) }
        return (alert, secret)
    }

    public func alerts(of address: Address) async throws(AppError) -> [Alert] {
        guard let repository else { throw .databaseDown }
        return try await storeCall { () async throws(StoreError) in try await repository.alerts(of: address) }
    }

    public func delete(_ id: Int64, of address: Address) async throws(AppError) {
        guard let repository else { throw .databaseDown }
        guard try await storeCall({ () async throws(StoreError) in try await repository.deleteAlert(id, of: address) }) else {
            throw .notFound(detail: "\(address.checksummed) has no alert \(id)")
        }
    }

    /// The newest `limit` events of `address` after id `after`, oldest first: what went off,
    /// and how each webhook delivery went.
    public func events(of address: Address, after: Int64, limit: Int) async throws(AppError) -> [AlertEvent] {
        guard let repository else { throw .databaseDown }
        return try await storeCall { () async throws(StoreError) in try await repository.alertEvents(of: address, after: after, limit: limit) }
    }

    /// `whsec_` and 32 random bytes in hex (the system's cryptographic generator).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
