import Ethereum
import SonicChain
import SonicStore

extension ActivityDecoder {
    /// S that the SFC, wS or the router moved for someone inside a transaction, from their
    /// events (only from the catalog's own contracts: anyone can emit a look-alike event):
    /// `Undelegated` and `RestakedRewards` move no S (direction `self`); `Withdrawn`,
    /// `ClaimedRewards`, wS's `Withdrawal` to its caller and the router's S paid out of a swap are
    /// S received. `Delegated` and `Deposit` are the transaction's own value (`topLevelKind`).
    func defiEntry(_ log: Log, transaction: TransactionInfo, method: String?)
        -> (address: Address, kind: ActivityEntry.Kind, direction: ActivityEntry.Direction, amount: UInt256)?
    {
        if log.address == catalog.sfc, let event = try? SFC.Event(log: log) {
            switch event {
            case .delegated: return nil
            case .undelegated(let delegator, _, _, let amount): return (delegator, .unstake, .own, amount)
            case .withdrawn(let delegator, _, _, let amount, _): return (delegator, .stakeWithdrawal, .incoming, amount)
            case .claimedRewards(let delegator, _, let rewards): return (delegator, .rewardsClaim, .incoming, rewards)
            case .restakedRewards(let delegator, _, let rewards): return (delegator, .rewardsRestake, .own, rewards)
            }
        }
        guard log.address == catalog.wrappedNative, log.topics.first?.bytes == WrappedNative.withdrawalEvent.topic,
              let values = try? WrappedNative.withdrawalEvent.decodeLog(topics: log.topics.map(\.bytes), data: log.data.bytes).map(\.value),
              values.count == 2, case .address(let source) = values[0], case .uint(let raw) = values[1], let amount = UInt256(raw)
        else { return nil }
        if source == transaction.from, transaction.to == catalog.wrappedNative { return (source, .unwrap, .incoming, amount) }
        // The router unwraps a swap's wS and pays the S to the swap's `to`.
        if source == catalog.router, transaction.to == catalog.router, method == "swapExactTokensForETH" || method == "swapTokensForExactETH",
           let to = swapRecipient(transaction.input.bytes) {
            return (to, .contractPayout, .incoming, amount)
        }
        return nil
    }

    /// The kind of a successful transaction's own line when its value went to staking or wrapping.
    func topLevelKind(recipient: Address?, method: String?) -> ActivityEntry.Kind? {
        if let sfc = catalog.sfc, recipient == sfc, method == "delegate" { return .stake }
        if let wrapped = catalog.wrappedNative, recipient == wrapped, method == "deposit" { return .wrap }
        return nil
    }

    /// The `to` of the router's swap…ForETH(uint256, uint256, address[], address to, uint256).
    private func swapRecipient(_ input: [UInt8]) -> Address? {
        guard input.count > 4, let values = try? ABI.decode(Array(input.dropFirst(4)), as: [.uint(bits: 256), .uint(bits: 256), .array(.address), .address, .uint(bits: 256)]),
              values.count == 5, case .address(let to) = values[3] else { return nil }
        return to
    }
}
