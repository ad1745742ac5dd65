/// A DeFi request being put together over several messages: what is known, and which detail
/// was last asked for, so that a bare "3" or "USDC" answers it.
public struct PendingDeFi: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable {
        case stake, unstake, withdraw, claimRewards, restake, wrap, unwrap, swap, quote, revoke
    }

    public enum Detail: String, Codable, Sendable {
        case validator, amount, tokenIn, tokenOut
    }

    public var operation: Operation
    public var validator: Int?
    public var amount: DeFiAmount?
    /// The token given in a swap or quote, the token wrapped or unwrapped, the token of an allowance.
    public var tokenIn: TokenReference?
    public var tokenOut: TokenReference?
    public var slippage: Slippage?
    public var spender: Spender?
    public var request: Int?
    public var asked: Detail?
    /// Said before the next question ("You asked for 100 USDC: I swap an amount you give").
    public var preface: String?

    public init(_ operation: Operation) { self.operation = operation }
}
