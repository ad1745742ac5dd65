/// A DeFi request said back in words, and as the fields of its JSON (`Action+JSON.swift`).
extension DeFiRequest {
    /// "stake 100 S with validator 3", "swap 5 S for SUSD with 1% slippage", "revoke the SUSD allowance for the router".
    public func summary(nativeSymbol native: String) -> String {
        func name(_ token: TokenReference) -> String { token.name(nativeSymbol: native) }
        switch self {
        case .stake(let validator, let amount): return "stake \(amount.describe(native)) with validator \(validator)"
        case .unstake(let validator, let amount): return "unstake \(amount.describe(native)) from validator \(validator)"
        case .withdraw(let validator, let request):
            let which = request.map { " (withdrawal request \($0))" } ?? ""
            return "withdraw your unstaked \(native)\(which)" + (validator.map { " from validator \($0)" } ?? " once its withdrawal period has passed")
        case .claimRewards(let validator): return "claim your rewards " + (validator.map { "from validator \($0)" } ?? "from every validator you stake with")
        case .restake(let validator): return "restake your rewards " + (validator.map { "with validator \($0)" } ?? "with the validators that earned them")
        case .stakingPositions: return "show your stake, rewards and withdrawal requests"
        case .wrap(let amount): return "wrap \(amount.describe(native)) into W\(native)"
        case .unwrap(let amount): return "unwrap \(amount.describe("W" + native)) into \(native)"
        case .swap(let amount, let tokenIn, let tokenOut, let slippage):
            return "swap \(amount.describe(name(tokenIn))) for \(name(tokenOut))" + (slippage.map { " with at most \($0.percent) slippage" } ?? "")
        case .quote(let amount, let tokenIn, let tokenOut): return "quote \(amount.describe(name(tokenIn))) in \(name(tokenOut))"
        case .showApprovals(let token): return "show the allowances you have given" + (token.map { " for \(name($0))" } ?? "")
        case .revoke(let token, let spender): return "revoke your \(name(token)) allowance" + (spender.map { " for \($0.describe)" } ?? " for every spender")
        }
    }

    /// The operation's name in JSON: "stake", "claim_rewards", "show_approvals".
    public var operation: String {
        switch self {
        case .stake: "stake"
        case .unstake: "unstake"
        case .withdraw: "withdraw"
        case .claimRewards: "claim_rewards"
        case .restake: "restake"
        case .stakingPositions: "staking_positions"
        case .wrap: "wrap"
        case .unwrap: "unwrap"
        case .swap: "swap"
        case .quote: "quote"
        case .showApprovals: "show_approvals"
        case .revoke: "revoke"
        }
    }
}
