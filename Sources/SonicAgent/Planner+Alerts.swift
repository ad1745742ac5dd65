import Ethereum

/// Alerts asked for in words: only for a signed-in person (the alerts are their address's), a
/// large outgoing alert only with its amount, premium's warning a week ahead unless told.
extension Planner {
    static let signInForAlerts = "Sign in first (the button at the top right): alerts belong to your signed-in wallet. Then ask me again."
    /// Days ahead a premium warning comes when the message names none.
    static let premiumWarningDays = 7

    func alert(_ request: AlertRequest, connected: Address?) -> Action {
        guard let connected else { return .clarify(question: Self.signInForAlerts) }
        switch request {
        case .set(.largeOutgoing, nil, _):
            return .clarify(question: "From how much S on should an outgoing transfer alert you? For example \"alert me when more than 100 S leaves my wallet\".")
        case .set(.premiumEnding, _, let days):
            let days = days ?? Self.premiumWarningDays
            guard (1...60).contains(days) else {
                return .clarify(question: "I can warn you 1 to 60 days before premium ends. How many days ahead?")
            }
            return .alert(.set(.premiumEnding, minimum: nil, days: days), address: connected)
        default:
            return .alert(request, address: connected)
        }
    }
}
