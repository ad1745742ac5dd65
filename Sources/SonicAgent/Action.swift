import Ethereum

/// What the agent decided to do about a message. Reads are carried out by `SonicApp`; writes
/// become transactions prepared for the person's wallet; nothing is signed or sent here.
/// Values are checked and typed: an address or hash here was written by the person (or is
/// their connected address), an amount is exactly what they wrote.
public enum Action: Sendable, Equatable {
    /// The balance of one token, named in the message.
    case balance(address: Address, token: TokenReference)
    /// Every token the address holds: the balance question that names none.
    case balances(address: Address)
    /// Recent transactions; within `period` when the question names days, only what came in
    /// (or went out) when it asks that.
    case history(address: Address, limit: Int?, period: Period? = nil, flow: Flow? = nil)
    case status(hash: Hash32)
    case subscriptionStatus(address: Address)
    case gasPrice
    /// What a transfer the message describes in full would cost: its own preview's estimate,
    /// the one its card would show.
    case transferCost(from: Address, to: Address, amount: DecimalAmount, token: TokenReference)
    /// A transfer out of the person's own wallet (`from` is always their connected address).
    case send(from: Address, to: Address, amount: DecimalAmount, token: TokenReference)
    /// A transfer of a share of the balance ("all my S": what is left after the fee), worked
    /// out by the app from the balance at the time.
    case sendShare(from: Address, to: Address, share: Share, token: TokenReference)
    /// One of several transfers asked for in one message: all are said back, and the card is
    /// for `transfers[next]`; the rest follow one at a time, each once the previous is sent.
    case sendSeveral(from: Address, transfers: [Transfer], next: Int)
    case subscribe(from: Address, months: Int)
    case mint(name: String?, description: String?)
    /// A staking, swap or allowance request understood in full (`DeFiRequest`).
    case defi(DeFiRequest)
    /// A question about staking, lending or yields: answered from what we know.
    case defiInfo
    case answer(query: String)
    /// Set, list or stop the signed-in person's alerts (`address`), in words (`Planner+Alerts`).
    case alert(AlertRequest, address: Address)
    /// A greeting, thanks or goodbye, answered in kind.
    case smallTalk(SmallTalk)
    /// "Yes" to a card already shown: the confirmation happens in the wallet, not here.
    case confirmInWallet
    /// A question back: a needed detail is missing, ambiguous or unusable.
    case clarify(question: String)
    /// Declined, with the reason: requests for secrets or to set the rules aside, to move
    /// someone else's funds, and what the agent recognises but does not do (lending,
    /// liquidity, bridging), with what it would need.
    case refuse(reason: String)
    case cancelled
}

/// A transfer out of the person's wallet, one of several asked for together.
public struct Transfer: Codable, Sendable, Hashable {
    public var to: Address
    public var amount: DecimalAmount
    public var token: TokenReference
}
