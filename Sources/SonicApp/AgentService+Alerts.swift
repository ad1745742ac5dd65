import Ethereum
import SonicAgent
import SonicStore

/// Alerts asked for in the chat, carried out through `AlertService` with the same checks and
/// limits as the dashboard's card: only for the signed-in address, whose alerts they are.
extension AgentService {
    func carryOut(_ request: AlertRequest, for address: Address) async -> (String, [Card], [Source]?) {
        guard let alerts else { return ("Alerts are not available right now: the database cannot be reached.", [], nil) }
        do throws(AppError) {
            switch request {
            case .set(let kind, let minimum, let days):
                let subscriber = await subscribers?.isSubscriber(address.lowercased) ?? false
                let (alert, _) = try await alerts.create(.init(kind: kind.rawValue, minimum: minimum?.text, days: days), for: address, subscriber: subscriber)
                let count = try await alerts.alerts(of: address).count
                return ("Done: \(Self.describe(alert)). It shows on the dashboard while it is open (and as a browser notification if you turn "
                        + "those on there); nothing reaches a closed tab\(subscriber ? ", but you can send alerts to a webhook from the dashboard's Alerts card" : "; with Premium an alert can also go to a webhook")"
                        + ". You have \(count) of \(alerts.limit(subscriber: subscriber)) alerts.", [], nil)
            case .list:
                let set = try await alerts.alerts(of: address)
                guard !set.isEmpty else { return ("You have no alerts. Say \"tell me when I receive S\" to set one.", [], nil) }
                let lines = set.map { "• " + Self.describe($0) + ($0.webhookURL == nil ? "" : " (also to your webhook)") }
                return ((["You have \(set.count) alert\(set.count == 1 ? "" : "s"):"] + lines).joined(separator: "\n"), [], nil)
            case .stop(let kind):
                let chosen = try await alerts.alerts(of: address).filter { kind == nil || $0.kind.rawValue == kind?.rawValue }
                guard !chosen.isEmpty else { return (kind == nil ? "You have no alerts to stop." : "You have no alert of that kind to stop.", [], nil) }
                for alert in chosen { try await alerts.delete(alert.id, of: address) }
                return ("Stopped: " + chosen.map(Self.describe).joined(separator: "; ") + ".", [], nil)
            }
        } catch {
            return (error.sentence, [], nil)
        }
    }

    /// An alert in words: "you'll hear when S arrives (at least 2.5 S)".
    static func describe(_ alert: Alert) -> String {
        let least = alert.minimumWei.map { "\(Units.readable($0, decimals: 18)) S" }
        switch alert.kind {
        case .incoming: return least.map { "you'll hear when at least \($0) arrives" } ?? "you'll hear when S or a token arrives"
        case .failed: return "you'll hear when a transaction of yours fails"
        case .premiumEnding: return "you'll hear \(alert.days ?? 0) day\(alert.days == 1 ? "" : "s") before your premium ends"
        case .largeOutgoing: return "you'll hear when at least \(least ?? "?") leaves your address"
        }
    }
}
