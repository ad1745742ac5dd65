import Ethereum

/// A DeFi request understood in full and typed: what the app's staking, swap and allowance
/// services carry out (`AgentService+DeFi.swift`). Validators are the SFC's validator ids;
/// amounts are exactly what the person wrote, or a share of the balance.
public enum DeFiRequest: Sendable, Equatable {
    /// Delegate S to a validator.
    case stake(validator: Int, amount: DeFiAmount)
    /// Undelegate: starts a withdrawal request that opens after the withdrawal period.
    case unstake(validator: Int, amount: DeFiAmount)
    /// Take out what undelegating released, once open: from one validator, one request, or all.
    case withdraw(validator: Int?, request: Int?)
    /// Claim pending rewards: from one validator, or from every one staked with.
    case claimRewards(validator: Int?)
    /// Stake the pending rewards again with the validator that earned them.
    case restake(validator: Int?)
    /// The person's stake, pending rewards and withdrawal requests.
    case stakingPositions
    /// S into wS, one for one.
    case wrap(amount: DeFiAmount)
    /// wS back into S.
    case unwrap(amount: DeFiAmount)
    /// A trade through the router; `slippage` only when the message states it (the app's
    /// default applies otherwise).
    case swap(amountIn: DeFiAmount, tokenIn: TokenReference, tokenOut: TokenReference, slippage: Slippage?)
    /// What a trade would give, without making it: "what would 100 SUSD get me in S".
    case quote(amountIn: DeFiAmount, tokenIn: TokenReference, tokenOut: TokenReference)
    /// The allowances the person has given, all or one token's.
    case showApprovals(token: TokenReference?)
    /// Set an allowance back to zero; for one spender when named.
    case revoke(token: TokenReference, spender: Spender?)
}

/// How much a DeFi request moves: an exact amount, or a share of the balance ("all", "half").
public enum DeFiAmount: Sendable, Hashable, Codable {
    case exactly(DecimalAmount)
    case share(Share)

    /// "100 S", "half of your S".
    public func describe(_ token: String) -> String {
        switch self {
        case .exactly(let amount): "\(amount.grouped) \(token)"
        case .share(let share): share.describe(token)
        }
    }
}

/// The most a swap may receive less than quoted, in basis points (1% is 100), as stated in the
/// message ("with 1% slippage"); between 0.01% and 50%.
public struct Slippage: Sendable, Hashable, Codable {
    public let basisPoints: Int

    public static let range = 1...5_000

    /// nil when `percent` has more than two decimal places or lies outside `range`.
    public init?(percent: DecimalAmount) {
        let parts = percent.text.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = Int(parts[0].isEmpty ? "0" : parts[0]), whole <= 100 else { return nil }
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard fraction.count <= 2, let hundredths = Int(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) else { return nil }
        let points = whole * 100 + hundredths
        guard Self.range.contains(points) else { return nil }
        basisPoints = points
    }

    /// "1%", "0.5%", "0.05%".
    public var percent: String {
        let hundredths = basisPoints % 100
        let fraction = hundredths == 0 ? "" : hundredths % 10 == 0 ? ".\(hundredths / 10)" : hundredths < 10 ? ".0\(hundredths)" : ".\(hundredths)"
        return "\(basisPoints / 100)\(fraction)%"
    }
}

/// Who an allowance is for: an address written in the message, or what the person called it
/// ("the router", "Shadow router"), for the app to look up among the allowances.
public enum Spender: Sendable, Hashable, Codable {
    case address(Address)
    case named(String)

    public var describe: String {
        switch self {
        case .address(let address): address.checksummed
        case .named(let name): "the \(name)"
        }
    }
}
