import Ethereum
import SonicChain
import SonicStore

/// S a DeFi contract moved for `address` inside a transaction, and the staking it is about.
struct DeFiMove {
    let address: Address
    let kind: ActivityEntry.Kind
    let direction: ActivityEntry.Direction
    let amount: UInt256
    var validator: UInt64? = nil
    var request: UInt64? = nil
}

extension ActivityDecoder {
    /// S that the SFC, wS or the router moved for someone inside a transaction, from their
    /// events (only from the catalog's own contracts: anyone can emit a look-alike event):
    /// `Undelegated` and `RestakedRewards` move no S (direction `self`); `Withdrawn`,
    /// `ClaimedRewards`, wS's `Withdrawal` to its caller and the router's S paid out of a swap are
    /// S received. `Delegated` and `Deposit` are the transaction's own value (`topLevelKind`).
    func defiEntry(_ log: Log, transaction: TransactionInfo, method: String?) -> DeFiMove? {
        if log.address == catalog.sfc, let event = try? SFC.Event(log: log) {
            switch event {
            case .delegated: return nil
            case .undelegated(let delegator, let validator, let request, let amount):
                return DeFiMove(address: delegator, kind: .unstake, direction: .own, amount: amount, validator: validator, request: request)
            case .withdrawn(let delegator, let validator, let request, let amount, _):
                return DeFiMove(address: delegator, kind: .stakeWithdrawal, direction: .incoming, amount: amount, validator: validator, request: request)
            case .claimedRewards(let delegator, let validator, let rewards):
                return DeFiMove(address: delegator, kind: .rewardsClaim, direction: .incoming, amount: rewards, validator: validator)
            case .restakedRewards(let delegator, let validator, let rewards):
                return DeFiMove(address: delegator, kind: .rewardsRestake, direction: .own, amount: rewards, validator: validator)
            }
        }
        guard log.address == catalog.wrappedNative, log.topics.first?.bytes == WrappedNative.withdrawalEvent.topic,
              let values = try? WrappedNative.withdrawalEvent.decodeLog(topics: log.topics.map(\.bytes), data: log.data.bytes).map(\.value),
              values.count == 2, case .address(let source) = values[0], case .uint(let raw) = values[1], let amount = UInt256(raw)
        else { return nil }
        if source == transaction.from, transaction.to == catalog.wrappedNative {
            return DeFiMove(address: source, kind: .unwrap, direction: .incoming, amount: amount)
        }
        // The router unwraps a swap's wS and pays the S to the swap's `to`.
        if source == catalog.router, transaction.to == catalog.router, method == "swapExactTokensForETH" || method == "swapTokensForExactETH",
           let to = swapRecipient(transaction.input.bytes) {
            return DeFiMove(address: to, kind: .contractPayout, direction: .incoming, amount: amount)
        }
        return nil
    }

    /// The kind of a successful transaction's own line when its value went to staking or wrapping.
    func topLevelKind(recipient: Address?, method: String?) -> ActivityEntry.Kind? {
        if let sfc = catalog.sfc, recipient == sfc, method == "delegate" { return .stake }
        if let wrapped = catalog.wrappedNative, recipient == wrapped, method == "deposit" { return .wrap }
        return nil
    }

    /// The validator of the SFC's `delegate(uint256 toValidatorID)`, from its input.
    func delegatedValidator(_ input: [UInt8]) -> UInt64? {
        guard input.count == 36, let values = try? ABI.decode(Array(input.dropFirst(4)), as: [.uint(bits: 256)]),
              case .uint(let id)? = values.first else { return nil }
        return UInt64(exactly: id)
    }

    /// The `to` of the router's swap…ForETH(uint256, uint256, address[], address to, uint256).
    private func swapRecipient(_ input: [UInt8]) -> Address? {
        guard input.count > 4, let values = try? ABI.decode(Array(input.dropFirst(4)), as: [.uint(bits: 256), .uint(bits: 256), .array(.address), .address, .uint(bits: 256)]),
              values.count == 5, case .address(let to) = values[3] else { return nil }
        return to
    }
}
