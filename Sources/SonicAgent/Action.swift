/// What the agent decided to do about a message. Reads are carried out by `SonicApp`; writes
/// become transactions prepared for the person's wallet; nothing is signed or sent here.
public enum Action: Sendable, Equatable {
    case balance(address: String, token: String)
    case history(address: String, limit: Int?)
    case status(hash: String)
    case subscriptionStatus(address: String)
    case gasPrice
    case send(from: String, to: String, amount: String, token: String)
    case subscribe(from: String, months: Int)
    case mint(name: String?, description: String?)
    case swapInfo(tokenIn: String?, tokenOut: String?, amount: String?)
    case defiInfo
    case answer(query: String)
    /// A question back: a needed detail is missing or ambiguous.
    case clarify(question: String)
    /// Declined, with the reason: requests for secrets or to set the rules aside, and what the
    /// agent recognises but cannot do yet (DeFi transactions, managing allowances).
    case refuse(reason: String)
    case cancelled
}

/// What the agent remembers between messages of one conversation.
public struct ConversationState: Codable, Sendable, Equatable {
    /// A transfer being put together over several messages.
    public struct PendingSend: Codable, Sendable, Equatable {
        public var to: String?
        public var amount: String?
        public var token: String
    }

    public var pendingSend: PendingSend?
    /// A subscription purchase waiting for its number of months.
    public var pendingSubscription: Bool = false
    /// The last action prepared for the wallet, for "make that 3".
    public var lastSend: PendingSend?

    public init() {}
}
