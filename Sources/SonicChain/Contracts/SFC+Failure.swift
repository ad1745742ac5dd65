import Ethereum
import Foundation

extension SFC {
    /// Why the SFC refused a call: its custom errors (SFC.sol declares them; it has no revert
    /// strings), each explained in words a person understands. Decode one from revert data with
    /// `Failure(revertData:)` or from a failed call with `Failure(_:)`.
    public enum Failure: String, CaseIterable, Sendable, Hashable {
        case zeroAmount = "ZeroAmount"
        case zeroRewards = "ZeroRewards"
        case requestExists = "RequestExists"
        case requestNotExists = "RequestNotExists"
        case notEnoughTimePassed = "NotEnoughTimePassed"
        case notEnoughEpochsPassed = "NotEnoughEpochsPassed"
        case validatorNotExists = "ValidatorNotExists"
        case validatorNotActive = "ValidatorNotActive"
        case validatorDelegationLimitExceeded = "ValidatorDelegationLimitExceeded"
        case transfersNotAllowed = "TransfersNotAllowed"
        case insufficientSelfStake = "InsufficientSelfStake"
        case stakeIsFullySlashed = "StakeIsFullySlashed"
        case transferFailed = "TransferFailed"
        case nothingToStash = "NothingToStash"
        case notDriverAuth = "NotDriverAuth"

        /// The custom error's declaration (none of these takes arguments).
        public var signature: ABISignature { Contract.signature("error \(rawValue)()") }

        /// Every custom error above, for `RevertReason(data:errors:)`.
        public static let errors = allCases.map(\.signature)

        /// The failure whose selector starts `data`; nil for any other revert.
        public init?(revertData data: [UInt8]) {
            guard data.count == 4, let match = Self.allCases.first(where: { $0.signature.selector == data }) else { return nil }
            self = match
        }

        /// The SFC failure behind a failed call or estimate; nil when it failed otherwise.
        public init?(_ error: ChainError) {
            guard case .reverted(_, _, let reason) = error else { return nil }
            self.init(reason: reason)
        }

        /// The SFC failure a revert reason names; nil for any other reason.
        public init?(reason: RevertReason) {
            switch reason {
            case .unknown(let data): self.init(revertData: data)
            case .custom(let name, _): self.init(rawValue: name)
            default: return nil
            }
        }

        /// In words, without facts the error does not carry; `explanation(opening:)` adds them.
        public var description: String {
            switch self {
            case .zeroAmount: "the amount is zero: it must be more than 0 S"
            case .zeroRewards: "nothing to claim yet: rewards arrive as epochs are sealed"
            case .requestExists: "this withdrawal request number is already used with this validator: choose another"
            case .requestNotExists: "there is no such withdrawal request (never made, or already withdrawn)"
            case .notEnoughTimePassed: "the withdrawal is not open yet: its waiting time has not passed"
            case .notEnoughEpochsPassed: "the withdrawal is not open yet: not enough epochs have passed"
            case .validatorNotExists: "there is no such validator"
            case .validatorNotActive: "this validator is not active"
            case .validatorDelegationLimitExceeded:
                "this validator cannot take that much: its stake may be at most its self-stake times the network's maximum ratio"
            case .transfersNotAllowed: "the staking contract does not take plain S: delegate to a validator instead"
            case .insufficientSelfStake: "the validator's self-stake would fall below the minimum"
            case .stakeIsFullySlashed: "this validator was slashed: nothing is left to withdraw"
            case .transferFailed: "the staking contract could not pay the receiving address"
            case .nothingToStash: "there are no new rewards to set aside"
            case .notDriverAuth: "only the network's node may do that"
            }
        }

        /// The description, with the opening date of a withdrawal that is not open yet
        /// ("the withdrawal opens on 2026-12-19T10:00:00Z, after epoch 42").
        public func explanation(opening: (time: UInt64, epoch: UInt64)?) -> String {
            guard let opening, self == .notEnoughTimePassed || self == .notEnoughEpochsPassed else { return description }
            let date = Date(timeIntervalSince1970: TimeInterval(opening.time)).formatted(.iso8601)
            return "the withdrawal opens on \(date), once epoch \(opening.epoch) has begun"
        }
    }
}
