import Ethereum

/// What the agent decided to do about a message. Reads are carried out by `SonicApp`; writes
/// become transactions prepared for the person's wallet; nothing is signed or sent here.
/// Values are checked and typed: an address or hash here was written by the person (or is
/// their connected address), an amount is exactly what they wrote.
public enum Action: Sendable, Equatable {
    case balance(address: Address, token: TokenReference)
    case history(address: Address, limit: Int?)
    case status(hash: Hash32)
    case subscriptionStatus(address: Address)
    case gasPrice
    case send(from: Address, to: Address, amount: DecimalAmount, token: TokenReference)
    case subscribe(from: Address, months: Int)
    case mint(name: String?, description: String?)
    case swapInfo(tokenIn: TokenReference?, tokenOut: TokenReference?, amount: DecimalAmount?)
    case defiInfo
    case answer(query: String)
    /// A question back: a needed detail is missing, ambiguous or unusable.
    case clarify(question: String)
    /// Declined, with the reason: requests for secrets or to set the rules aside, and what the
    /// agent recognises but cannot do yet (DeFi transactions, managing allowances).
    case refuse(reason: String)
    case cancelled
}
