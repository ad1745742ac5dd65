import Ethereum

/// What the agent remembers between messages of one conversation, stored as JSON. A stored
/// state that does not decode (an older shape) is dropped and the conversation starts afresh.
public struct ConversationState: Codable, Sendable, Equatable {
    /// A transfer being put together over several messages.
    public struct PendingSend: Codable, Sendable, Equatable {
        public var to: Address?
        public var amount: DecimalAmount?
        public var token: TokenReference
    }

    public var pendingSend: PendingSend?
    /// A subscription purchase waiting for its number of months.
    public var pendingSubscription: Bool = false
    /// The last action prepared for the wallet, for "make that 3".
    public var lastSend: PendingSend?

    public init() {}
}
