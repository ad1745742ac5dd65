import SonicAgent

/// DeFi requests understood in full (staking, wrapping, swaps, quotes). The services that carry
/// them out (reads of the SFC and the router; previewed cards for the wallet) come with the
/// devnet's contracts and their bindings. Until then the reply says exactly what was understood
/// and that nothing was prepared: never a card that could not be carried out. Allowances are
/// carried out (`AgentService+Tokens.swift`); this answer is theirs only without the services.
extension AgentService {
    static func understood(_ request: DeFiRequest, nativeSymbol: String) -> String {
        let said = "I understood: \(request.summary(nativeSymbol: nativeSymbol))."
        let coming: String
        switch request {
        case .stake, .unstake, .withdraw, .claimRewards, .restake, .stakingPositions:
            coming = "Staking through the agent comes next: reading your delegations from the SFC and preparing each step as a previewed "
                + "transaction for your wallet to sign. It is not here yet, so nothing was prepared."
        case .swap(_, _, _, let slippage):
            let tolerance = slippage == nil ? " The slippage would be 0.5% unless you say otherwise." : ""
            coming = "Swaps through the agent come next: a quote from the router, a preview with the minimum you receive, then your wallet signs. "
                + "They are not here yet, so nothing was prepared.\(tolerance)"
        case .quote:
            coming = "Quotes through the agent come next, from the router's own pricing. They are not here yet, so no quote was taken."
        case .wrap, .unwrap:
            coming = "Wrapping through the agent comes next, as a previewed transaction for your wallet to sign. It is not here yet, so nothing was prepared."
        case .showApprovals, .revoke:
            coming = "Managing allowances through the agent comes next: reading the approvals you have given and preparing a previewed revoke "
                + "for your wallet to sign. It is not here yet, so nothing was prepared."
        }
        return "\(said) \(coming)"
    }
}
