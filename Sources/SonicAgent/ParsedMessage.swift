/// What the parser understood: an intent and its entities, normalised as
/// Tests/Fixtures/agent-labels.md defines them.
public struct ParsedMessage: Sendable, Equatable, Encodable {
    public var intent: Intent
    public var entities: Entities

    public init(intent: Intent, entities: Entities) {
        self.intent = intent
        self.entities = entities
    }
}

/// Entities of a message; absent ones are left out of the JSON (no nulls). Each intent carries
/// only its own (`EntityExtractor.entities(for:)`).
public struct Entities: Sendable, Equatable, Codable {
    public var address: String?
    public var token: String?
    public var amount: String?
    public var to: String?
    public var txHash: String?
    public var limit: Int?
    public var months: Int?
    public var name: String?
    public var description: String?
    public var tokenIn: String?
    public var tokenOut: String?
    /// What a DeFi or allowance request asks to do; questions carry none.
    public var action: RequestedAction?
    /// A validator's number, as staking requests name it ("validator #7").
    public var validator: Int?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case address, token, amount, to, txHash = "tx_hash", limit, months, name, description, tokenIn = "token_in", tokenOut = "token_out"
        case action, validator
    }
}
