/// What a message asks to have done, beyond information: the `action` entity of `defi_query`
/// and `token_approval` (Tests/Fixtures/agent-labels.md). The agent recognises these requests;
/// carrying them out comes with the DeFi tools. In JSON it is the label alone: `"stake"`.
public enum RequestedAction: Sendable, Equatable, Codable {
    case defi(DeFiAction)
    case approval(ApprovalAction)

    /// The label the evaluation set uses: "stake", "claim_rewards", "revoke".
    public var label: String {
        switch self {
        case .defi(let action): action.rawValue
        case .approval(let action): action.rawValue
        }
    }

    /// Throws: `DecodingError.dataCorrupted` for a label that is neither a DeFi nor an approval action.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let label = try container.decode(String.self)
        if let action = DeFiAction(rawValue: label) {
            self = .defi(action)
        } else if let action = ApprovalAction(rawValue: label) {
            self = .approval(action)
        } else {
            let known = (DeFiAction.allCases.map(\.rawValue) + ApprovalAction.allCases.map(\.rawValue)).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "action \"\(label)\" is not one of \(known)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(label)
    }
}

/// What a DeFi request asks to do.
public enum DeFiAction: String, CaseIterable, Codable, Sendable {
    /// Delegate to a validator ("stake", "delegate", "deposit into staking").
    case stake
    /// Undelegate: start the unlock of staked funds.
    case unstake
    /// Take out funds once unstaked.
    case withdraw
    /// Collect staking or farming rewards ("claim", "collect", "harvest").
    case claimRewards = "claim_rewards"
    /// Stake the rewards again ("restake", "compound").
    case restake
    /// Deposit or supply into a lending market.
    case lend
    case borrow
    case repay
    case addLiquidity = "add_liquidity"
    case removeLiquidity = "remove_liquidity"
}

/// What a request about allowances asks to do; seeing them is a question, not an action.
public enum ApprovalAction: String, CaseIterable, Codable, Sendable {
    /// Set an allowance back to zero.
    case revoke
}
