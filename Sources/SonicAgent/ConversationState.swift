import Ethereum

/// What the agent remembers between messages of one conversation, stored as JSON. A stored
/// state that does not decode (an older shape) is dropped and the conversation starts afresh.
public struct ConversationState: Codable, Sendable, Equatable {
    /// A transfer being put together over several messages.
    public struct PendingSend: Codable, Sendable, Equatable {
        public var to: Address?
        public var amount: DecimalAmount?
        public var token: TokenReference
        /// A share of the balance ("all my S") instead of an amount.
        public var share: Share?

        public init(to: Address? = nil, amount: DecimalAmount? = nil, token: TokenReference, share: Share? = nil) {
            self.to = to
            self.amount = amount
            self.token = token
            self.share = share
        }
    }

    public var pendingSend: PendingSend?
    /// The pending transfer is complete but waits for a "yes": it was read from a message in
    /// another language, or goes to the person's own address.
    public var awaitingYes: Bool = false
    /// A subscription purchase waiting for its number of months.
    public var pendingSubscription: Bool = false
    /// The last action prepared for the wallet, for "make that 3" and "send it to 0x… instead".
    public var lastSend: PendingSend?
    /// A card for the wallet was just shown: "yes" is answered with where to confirm it.
    public var cardShown: Bool = false
    /// Several transfers asked for together, all of them, and which one the last card was.
    public var series: [Transfer] = []
    public var seriesIndex: Int = 0
    /// The nonce of the last card of the series, set by the app: the next card is prepared
    /// only once the wallet has used it.
    public var seriesNonce: UInt64?
    /// The addresses offered when asked which should receive: "each" or "both" sends to all.
    public var choices: [Address] = []
    /// A DeFi request waiting for a validator, an amount or a token.
    public var pendingDeFi: PendingDeFi?
    /// The last DeFi request understood in full, for "make that 10".
    public var lastDeFi: PendingDeFi?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case pendingSend, awaitingYes, pendingSubscription, lastSend, cardShown, series, seriesIndex, seriesNonce, choices, pendingDeFi, lastDeFi
    }

    /// Throws: `DecodingError` for a value of the wrong shape; keys added later may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pendingSend = try container.decodeIfPresent(PendingSend.self, forKey: .pendingSend)
        awaitingYes = try container.decodeIfPresent(Bool.self, forKey: .awaitingYes) ?? false
        pendingSubscription = try container.decode(Bool.self, forKey: .pendingSubscription)
        lastSend = try container.decodeIfPresent(PendingSend.self, forKey: .lastSend)
        cardShown = try container.decodeIfPresent(Bool.self, forKey: .cardShown) ?? false
        series = try container.decodeIfPresent([Transfer].self, forKey: .series) ?? []
        seriesIndex = try container.decodeIfPresent(Int.self, forKey: .seriesIndex) ?? 0
        seriesNonce = try container.decodeIfPresent(UInt64.self, forKey: .seriesNonce)
        choices = try container.decodeIfPresent([Address].self, forKey: .choices) ?? []
        pendingDeFi = try container.decodeIfPresent(PendingDeFi.self, forKey: .pendingDeFi)
        lastDeFi = try container.decodeIfPresent(PendingDeFi.self, forKey: .lastDeFi)
    }

    /// Whether transfers of a series wait to be prepared.
    public var seriesContinues: Bool { seriesIndex + 1 < series.count }
}
