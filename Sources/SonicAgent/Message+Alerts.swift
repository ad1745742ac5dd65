/// Asking to be told of something ("tell me when I receive S", "alert me if premium is about to
/// end", "let me know if a transaction of mine fails"), to stop being told ("stop the alerts"),
/// or which alerts are set. A message that names an address or a hash is about that, not about
/// alerts; "let me know when it's done" after a request names no event and stays that request's.
extension Message {
    /// Words that ask to be told, or name alerts themselves.
    private static let tellWords: Set<String> = [
        "alert", "alerts", "alerting", "notify", "notified", "notifying", "notification", "notifications", "remind", "reminder", "reminders",
        "reminding", "warn", "warning", "ping",
    ]
    /// Words that name alerts themselves ("stop the alerts", "stop alerting me about…").
    private static let alertNouns: Set<String> = ["alert", "alerts", "alerting", "notification", "notifications", "notifying", "reminder", "reminders"]
    private static let stopWords: Set<String> = ["stop", "remove", "delete", "cancel", "disable", "clear", "mute", "off", "unset"]
    private static let failWords: Set<String> = ["fail", "fails", "failed", "failing", "failure", "failures", "revert", "reverts", "reverted"]
    private static let premiumWords: Set<String> = ["premium", "subscription", "membership", "sub"]
    private static let endWords: Set<String> = ["end", "ends", "ending", "expire", "expires", "expiring", "expiry", "lapse", "lapses", "runs", "run", "over"]
    private static let incomingWords: Set<String> = [
        "receive", "received", "receives", "receiving", "arrive", "arrives", "arrived", "arriving", "incoming", "deposit", "deposits", "paid",
    ]
    private static let outgoingWords: Set<String> = ["leave", "leaves", "leaving", "outgoing", "withdrawal", "withdrawals", "send", "sends", "sent", "spend", "spends"]

    /// The alert request this message makes, if it makes one.
    var alertRequest: AlertRequest? {
        guard addresses.isEmpty, hashes.isEmpty else { return nil }
        let tells = has(Self.tellWords) || phrase("let me know") || phrase("tell me when") || phrase("tell me if") || phrase("heads up")
        guard tells else { return nil }
        let kind = alertKind
        let aboutAlerts = has(Self.alertNouns)
        if aboutAlerts, has(Self.stopWords) || phrase("turn off") || phrase("switch off") || phrase("no more") { return .stop(kind) }
        if aboutAlerts, kind == nil, has(["what", "which", "list", "show", "have", "any", "my", "set"]) { return .list }
        guard let kind else { return nil }
        let amount = EntityExtractor(message: self).numberSpans.first.flatMap { try? DecimalAmount($0.value) }
        switch kind {
        case .incoming, .largeOutgoing: return .set(kind, minimum: amount, days: nil)
        case .premiumEnding: return .set(kind, minimum: nil, days: daysAhead)
        case .failed: return .set(kind, minimum: nil, days: nil)
        }
    }

    /// Which event the message names, if any.
    private var alertKind: AlertKind? {
        if has(Self.failWords) { return .failed }
        if has(Self.premiumWords) && (has(Self.endWords) || phrase("about to") || phrase("running out")) { return .premiumEnding }
        // "someone sends me S", "S sent to me" arrive; "I send", "leaves my wallet" go out.
        if has(Self.incomingWords) || phrase("sends me") || phrase("send me") || phrase("sent me") || phrase("sent to me") || phrase("comes in")
            || phrase("get paid") || phrase("i get") {
            return .incoming
        }
        if has(Self.outgoingWords) || phrase("goes out") || phrase("large transfer") { return .largeOutgoing }
        return nil
    }

    /// "3 days before": the number before "day"/"days"; "a week" is 7; nil when none is said.
    private var daysAhead: Int? {
        for (index, token) in tokens.enumerated() where index + 1 < tokens.count {
            guard case .word(let unit) = tokens[index + 1].kind else { continue }
            if case .number(let value) = token.kind, ["day", "days"].contains(unit) { return Int(value) }
            if case .number(let value) = token.kind, ["week", "weeks"].contains(unit) { return Int(value).map { EntityExtractor.saturating($0, 7) } }
        }
        return has(["week"]) ? 7 : nil
    }
}
