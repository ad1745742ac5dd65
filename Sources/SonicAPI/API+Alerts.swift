import Ethereum
import Foundation
import SonicApp
import SonicHTTP
import SonicStore

extension API {
    /// An alert as the API shows it (never its webhook secret, which is shown once, when made).
    struct AlertResponse: Encodable {
        let id: Int64
        let kind: String
        let minimum: String?
        let minimumWei: String?
        let days: Int?
        let webhookURL: String?
        let createdAt: String

        init(_ alert: Alert) {
            id = alert.id
            kind = alert.kind.rawValue
            minimum = alert.minimumWei.map { Units.exact($0, decimals: 18) }
            minimumWei = alert.minimumWei?.description
            days = alert.days
            webhookURL = alert.webhookURL
            createdAt = alert.createdAt.ISO8601Format()
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, minimum, minimumWei = "minimum_wei", days, webhookURL = "webhook_url", createdAt = "created_at"
        }
    }

    struct AlertList: Encodable {
        let alerts: [AlertResponse]
        /// How many alerts the address may have, and whether they may go to a webhook.
        let limit: Int
        let webhooks: Bool
    }

    struct CreatedAlert: Encodable {
        let alert: AlertResponse
        /// The webhook's signing secret: shown this once.
        let webhookSecret: String?

        enum CodingKeys: String, CodingKey { case alert, webhookSecret = "webhook_secret" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(alert, forKey: .alert)
            try container.encode(webhookSecret, forKey: .webhookSecret)  // null without a webhook, never absent
        }
    }

    /// One event of the delivery log.
    struct AlertEventResponse: Encodable {
        let id: Int64
        let alertID: Int64
        let kind: String
        let message: String
        let hash: String?
        let amountWei: String?
        let token: String?
        let createdAt: String
        let delivery: String
        let attempts: Int
        let nextAttemptAt: String?
        let lastError: String?
        let deliveredAt: String?

        init(_ event: AlertEvent) {
            id = event.id
            alertID = event.alertID
            kind = event.kind.rawValue
            message = event.message
            hash = event.hash?.description
            amountWei = event.amountWei?.description
            token = event.tokenSymbol
            createdAt = event.createdAt.ISO8601Format()
            delivery = event.delivery.rawValue
            attempts = event.attempts
            nextAttemptAt = event.nextAttemptAt?.ISO8601Format()
            lastError = event.lastError
            deliveredAt = event.deliveredAt?.ISO8601Format()
        }

        enum CodingKeys: String, CodingKey {
            case id, alertID = "alert_id", kind, message, hash, amountWei = "amount_wei", token, createdAt = "created_at", delivery, attempts
            case nextAttemptAt = "next_attempt_at", lastError = "last_error", deliveredAt = "delivered_at"
        }
    }

    struct AlertEvents: Encodable {
        let events: [AlertEventResponse]
    }

    struct AlertBody: Decodable {
        let kind: String?
        let minimum: String?
        let days: Int?
        let webhookURL: String?

        enum CodingKeys: String, CodingKey { case kind, minimum, days, webhookURL = "webhook_url" }
    }

    /// The signed-in address, and whether it subscribes; 401 when signed out.
    func signedIn(_ call: Route.Call, for what: String) async throws -> (Address, subscriber: Bool) {
        guard let session = try await session(of: call.request) else {
            throw AppError.unauthenticated(field: nil, summary: "Sign-in required", detail: "sign in with your wallet to \(what)")
        }
        return (session.address, await app.subscribers.isSubscriber(session.address.lowercased))
    }

    /// GET /api/alerts: the signed-in address's alerts, how many it may have, and whether webhooks.
    func listAlerts(_ call: Route.Call) async throws -> Response {
        let (address, subscriber) = try await signedIn(call, for: "see your alerts")
        let alerts = try await app.alerts.alerts(of: address).map(AlertResponse.init)
        return .json(AlertList(alerts: alerts, limit: app.alerts.limit(subscriber: subscriber), webhooks: subscriber))
    }

    /// POST /api/alerts `{kind, minimum?, days?, webhook_url?}`: a new alert (201).
    func createAlert(_ call: Route.Call) async throws -> Response {
        var (address, subscriber) = try await signedIn(call, for: "set alerts")
        let body = try call.body(as: AlertBody.self)
        // Premium bought a moment ago counts: read again before refusing a webhook for it.
        if body.webhookURL != nil, !subscriber { subscriber = await app.subscribers.recheck(address) }
        let request = AlertService.Request(kind: body.kind, minimum: body.minimum, days: body.days, webhookURL: body.webhookURL)
        let (alert, secret) = try await app.alerts.create(request, for: address, subscriber: subscriber)
        return .json(CreatedAlert(alert: AlertResponse(alert), webhookSecret: secret), status: .created)
    }

    /// DELETE /api/alerts/{id}: removes one of the signed-in address's alerts (204).
    func deleteAlert(_ call: Route.Call) async throws -> Response {
        let (address, _) = try await signedIn(call, for: "remove alerts")
        let text = call.parameters[0]
        guard let id = Int64(text), id > 0 else {
            throw AppError.invalidInput(field: "id", summary: "Invalid id", detail: "id must be an alert's number, got \"\(RequestBody.preview(text))\"")
        }
        try await app.alerts.delete(id, of: address)
        return Response(status: .noContent)
    }

    /// GET /api/alerts/events?after=ID&limit=N: what the alerts delivered, oldest first (the
    /// newest `limit`, at most 100, after `after`), with each webhook's attempts.
    func alertEvents(_ call: Route.Call) async throws -> Response {
        let (address, _) = try await signedIn(call, for: "see your alerts")
        let query = call.request.queryItems
        var after: Int64 = 0, limit = 50
        if let text = query["after"] {
            guard let value = Int64(text), value >= 0 else {
                throw AppError.invalidInput(field: "after", summary: "Invalid after", detail: "after must be an event id (0 or more), got \"\(RequestBody.preview(text))\"")
            }
            after = value
        }
        if let text = query["limit"] {
            guard let value = Int(text), (1...100).contains(value) else {
                throw AppError.invalidInput(field: "limit", summary: "Invalid limit", detail: "limit must be from 1 to 100, got \"\(RequestBody.preview(text))\"")
            }
            limit = value
        }
        return Response.json(AlertEvents(events: try await app.alerts.events(of: address, after: after, limit: limit).map(AlertEventResponse.init))).notStored()
    }
}
