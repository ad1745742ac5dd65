/// What a message asks for: the closed set of Tests/Fixtures/agent-labels.md.
public enum Intent: String, CaseIterable, Codable, Sendable {
    case balanceCheck = "balance_check"
    case sendTransaction = "send_transaction"
    case transactionHistory = "transaction_history"
    case transactionStatus = "transaction_status"
    case nftCreation = "nft_creation"
    case subscriptionStatus = "subscription_status"
    case subscriptionPurchase = "subscription_purchase"
    case gasPrice = "gas_price"
    case swap = "swap"
    case defiQuery = "defi_query"
    /// What an address has allowed others to spend, and revoking it.
    case tokenApproval = "token_approval"
    case generalQuery = "general_query"

    /// Whether carrying out this intent moves value, and so needs a preview and the person's signature.
    public var movesValue: Bool {
        switch self {
        case .sendTransaction, .nftCreation, .subscriptionPurchase, .swap: true
        default: false
        }
    }
}
