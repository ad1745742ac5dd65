/// What a message asks of the person's alerts ("tell me when I receive S", "stop the alerts",
/// "what alerts do I have"). The evaluation set's closed intents have none for alerts, so these
/// messages are labelled `general_query`; the planner carries them out as `Action.alert`.
public enum AlertRequest: Sendable, Equatable {
    /// A new alert: `minimum` in S for `incoming` (optional) and `largeOutgoing` (required),
    /// `days` for `premiumEnding`.
    case set(AlertKind, minimum: DecimalAmount?, days: Int?)
    /// The alerts set, in words.
    case list
    /// Removes the alerts of one kind, or all of them (nil).
    case stop(AlertKind?)
}

/// The kinds of alert, named as the alerts API names them (`docs/alerts.md`).
public enum AlertKind: String, CaseIterable, Sendable {
    /// S or a token arrives (S of at least `minimum`, when given).
    case incoming
    /// A transaction the person sent failed.
    case failed
    /// Premium ends within `days` days.
    case premiumEnding = "premium_ending"
    /// At least `minimum` S left the person's address.
    case largeOutgoing = "large_outgoing"
}
