import SonicConfig

/// What a visitor may do, signed out, signed in and with Premium, from the configuration: the
/// one place the weights of the limits are kept. Admission and the agent's meter take their
/// weights from here, and `GET /api/plans` answers the same figures, so the Premium page says
/// what the subscription buys without numbers of its own.
public struct Plans: Sendable, Encodable {
    /// One kind of visitor's allowances; 0 means no limit is applied.
    public struct Plan: Sendable, Encodable, Equatable {
        public let requestsPerMinute: Int
        public let modelCallsPerDay: Int
        public let alerts: Int
        public let webhooks: Bool

        enum CodingKeys: String, CodingKey {
            case requestsPerMinute = "requests_per_minute", modelCallsPerDay = "model_calls_per_day", alerts, webhooks
        }
    }

    /// A signed-in session counts its requests against twice the per-IP limit, a subscriber's four times.
    public static func requestWeight(subscriber: Bool) -> Double { subscriber ? 4 : 2 }
    /// A subscriber's language-model calls a day: four times everyone else's.
    public static func modelCallWeight(subscriber: Bool) -> Double { subscriber ? 4 : 1 }

    public let signedOut: Plan
    public let signedIn: Plan
    public let premium: Plan

    public init(configuration: Configuration) {
        let requests = configuration.rateLimitPerMinute, calls = configuration.llmCallsPerDay
        signedOut = Plan(requestsPerMinute: requests, modelCallsPerDay: calls, alerts: 0, webhooks: false)
        signedIn = Plan(requestsPerMinute: Int(Double(requests) * Self.requestWeight(subscriber: false)), modelCallsPerDay: calls,
                        alerts: configuration.alertsPerAddress, webhooks: false)
        premium = Plan(requestsPerMinute: Int(Double(requests) * Self.requestWeight(subscriber: true)),
                       modelCallsPerDay: Int(Double(calls) * Self.modelCallWeight(subscriber: true)), alerts: configuration.alertsPerSubscriber, webhooks: true)
    }

    enum CodingKeys: String, CodingKey { case signedOut = "signed_out", signedIn = "signed_in", premium }
}
