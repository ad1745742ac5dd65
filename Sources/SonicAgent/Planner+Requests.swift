/// DeFi requests said back in words, as the parser understood them.
extension Planner {
    /// "stake 500 S with validator 15", "claim your rewards from validator 2", "add liquidity with S".
    static func describe(_ action: DeFiAction, _ entities: Entities) -> String {
        let what = [entities.amount, entities.token].compactMap { $0 }.joined(separator: " ")
        let object = what.isEmpty ? "" : " " + what
        let request = switch action {
        case .stake, .unstake, .withdraw: action.rawValue + object
        case .claimRewards: "claim your\(object) rewards"
        case .restake: "restake your\(object) rewards"
        case .lend: "lend" + (what.isEmpty ? " on a lending market" : object)
        case .borrow: "borrow" + (what.isEmpty ? " against your collateral" : object)
        case .repay: "repay" + (what.isEmpty ? " your loan" : object)
        case .addLiquidity: "add liquidity" + (what.isEmpty ? "" : " with \(what)")
        case .removeLiquidity: "remove liquidity" + (what.isEmpty ? "" : " in \(what)")
        }
        guard let validator = entities.validator else { return request }
        let preposition = [.stake, .restake].contains(action) ? "with" : [.unstake, .withdraw, .claimRewards].contains(action) ? "from" : "at"
        return "\(request) \(preposition) validator \(validator)"
    }
}
