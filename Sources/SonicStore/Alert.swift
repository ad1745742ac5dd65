import Ethereum
import Foundation
import GRDB

/// An alert a signed-in person set on their address: what to watch for, and where to send it
/// besides the page (a webhook, for subscribers).
public struct Alert: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, DatabaseValueConvertible {
        /// S or a token arrived (of at least `minimumWei` S when set).
        case incoming
        /// A transaction the address sent failed.
        case failed
        /// The address sent at least `minimumWei` S.
        case largeOutgoing = "large_outgoing"
        /// Premium ends within `days` days.
        case premiumEnding = "premium_ending"
    }

    public var id: Int64
    public var address: Address
    public var kind: Kind
    /// The least amount of S that counts (`incoming`: optional; `largeOutgoing`: required).
    public var minimumWei: UInt256?
    /// Days before the end of premium (`premiumEnding`).
    public var days: Int?
    /// Where deliveries are POSTed, signed with `webhookSecret` (nil: the page only).
    public var webhookURL: String?
    /// The HMAC key of the webhook's signatures; shown once, when the alert is made.
    public var webhookSecret: String?
    public var createdAt: Date
    /// The last entry of the address change log when the alert was made (set by the store): it
    /// goes off for what is recorded after it, never for what happened before it was set.
    public var startsAfter: Int64

    public init(id: Int64 = 0, address: Address, kind: Kind, minimumWei: UInt256? = nil, days: Int? = nil, webhookURL: String? = nil,
                webhookSecret: String? = nil, createdAt: Date, startsAfter: Int64 = 0) {
        self.id = id
        self.address = address
        self.kind = kind
        self.minimumWei = minimumWei
        self.days = days
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
        self.createdAt = createdAt
        self.startsAfter = startsAfter
    }

    enum Columns: Int, TableColumns {
        case id, address, kind, minimumWei, days, webhookUrl, webhookSecret, createdAt, startsAfter
        static let table = "alert"
    }

    /// Reads a row selected with `Columns.selection()`, its columns from `offset` on (after
    /// another record's, in a join).
    init(row: some StoredRow, offset: Int = 0) throws(StoreError) {
        func at(_ column: Columns) -> Int { offset + column.rawValue }
        self.init(id: try row.value(Columns.id, at: at(.id)), address: try row.value(Columns.address, at: at(.address)),
                  kind: try row.value(Columns.kind, at: at(.kind)), minimumWei: try row.optional(Columns.minimumWei, at: at(.minimumWei)),
                  days: try row.optional(Columns.days, at: at(.days)), webhookURL: try row.optional(Columns.webhookUrl, at: at(.webhookUrl)),
                  webhookSecret: try row.optional(Columns.webhookSecret, at: at(.webhookSecret)),
                  createdAt: Date(timeIntervalSince1970: try row.value(Columns.createdAt, at: at(.createdAt))),
                  startsAfter: try row.value(Columns.startsAfter, at: at(.startsAfter)))
    }
}

/// One time an alert went off: what happened (once per alert and `key`), and how its webhook
/// delivery went (the log a person reads).
public struct AlertEvent: Sendable, Equatable {
    public enum Delivery: String, Sendable, CaseIterable, DatabaseValueConvertible {
        /// No webhook: shown in the page only.
        case none
        /// Waiting for its next attempt.
        case pending
        case delivered
        /// Every attempt failed; no more are made.
        case failed
    }

    public var id: Int64
    public var alertID: Int64
    public var address: Address
    public var kind: Alert.Kind
    /// What makes it this event and no other (a transaction hash, a premium end date): an alert
    /// goes off once per key.
    public var key: String
    public var hash: Hash32?
    public var amountWei: UInt256?
    public var tokenSymbol: String?
    public var tokenDecimals: Int?
    /// What a person reads: "Received 2.5 S from 0x…".
    public var message: String
    public var createdAt: Date
    public var delivery: Delivery
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var deliveredAt: Date?

    public init(id: Int64 = 0, alertID: Int64, address: Address, kind: Alert.Kind, key: String, hash: Hash32? = nil, amountWei: UInt256? = nil,
                tokenSymbol: String? = nil, tokenDecimals: Int? = nil, message: String, createdAt: Date, delivery: Delivery,
                attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil, deliveredAt: Date? = nil) {
        self.id = id
        self.alertID = alertID
        self.address = address
        self.kind = kind
        self.key = key
        self.hash = hash
        self.amountWei = amountWei
        self.tokenSymbol = tokenSymbol
        self.tokenDecimals = tokenDecimals
        self.message = message
        self.createdAt = createdAt
        self.delivery = delivery
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }

    enum Columns: Int, TableColumns {
        case id, alertId, address, kind, eventKey, hash, amountWei, tokenSymbol, tokenDecimals, message, createdAt, delivery, attempts
        case nextAttemptAt, lastError, deliveredAt
        static let table = "alert_event"
    }

    init(row: some StoredRow) throws(StoreError) {
        self.init(id: try row.value(Columns.id), alertID: try row.value(Columns.alertId), address: try row.value(Columns.address),
                  kind: try row.value(Columns.kind), key: try row.value(Columns.eventKey), hash: try row.optional(Columns.hash),
                  amountWei: try row.optional(Columns.amountWei), tokenSymbol: try row.optional(Columns.tokenSymbol),
                  tokenDecimals: try row.optional(Columns.tokenDecimals), message: try row.value(Columns.message),
                  createdAt: Date(timeIntervalSince1970: try row.value(Columns.createdAt)), delivery: try row.value(Columns.delivery),
                  attempts: try row.value(Columns.attempts), nextAttemptAt: (try row.optional(Columns.nextAttemptAt) as Double?).map(Date.init(timeIntervalSince1970:)),
                  lastError: try row.optional(Columns.lastError),
                  deliveredAt: (try row.optional(Columns.deliveredAt) as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
