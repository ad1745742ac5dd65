/// Requests the agent recognises but cannot carry out yet (DeFi transactions, allowances): the
/// reply says what was understood and that nothing was prepared.
extension Planner {
    func notYetAvailable(_ entities: Entities) -> String {
        switch entities.action {
        case .defi(let action)?:
            "I understood: \(Self.describe(action, entities)). I can't do that for you yet: staking, lending and liquidity "
                + "through the agent come in a later version, so nothing was prepared."
        case .approval(.revoke)?:
            "I can't revoke \(entities.token.map { "the \($0) allowance" } ?? "allowances") for you yet: managing token approvals "
                + "through the agent comes in a later version, so nothing was prepared."
        case nil:
            "I can't list token approvals yet: managing them through the agent comes in a later version."
        }
    }

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
