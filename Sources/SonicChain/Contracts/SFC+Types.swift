import Ethereum

extension SFC {
    /// A validator as `getValidator` returns it, in Sonic's order: status, receivedStake, auth,
    /// createdEpoch, createdTime, deactivatedTime, deactivatedEpoch.
    public struct Validator: Sendable, Hashable {
        public let id: UInt64
        public let status: Status
        /// All stake delegated to it, its own included.
        public let receivedStake: UInt256
        /// The validator's own address (its self-stake is delegated from it).
        public let auth: Address
        public let createdEpoch: UInt64
        public let createdTime: UInt64
        /// 0 while active.
        public let deactivatedTime: UInt64
        public let deactivatedEpoch: UInt64

        public var isActive: Bool { status.isEmpty }

        public init(id: UInt64, status: Status, receivedStake: UInt256, auth: Address, createdEpoch: UInt64, createdTime: UInt64,
                    deactivatedTime: UInt64 = 0, deactivatedEpoch: UInt64 = 0) {
            self.id = id
            self.status = status
            self.receivedStake = receivedStake
            self.auth = auth
            self.createdEpoch = createdEpoch
            self.createdTime = createdTime
            self.deactivatedTime = deactivatedTime
            self.deactivatedEpoch = deactivatedEpoch
        }

        init(id: UInt64, values: [ABIValue]) throws {
            guard values.count == 7, case .address(let auth) = values[2] else { throw UnexpectedOutput(function: SFC.getValidator.canonical) }
            let numbers = [values[0], values[1], values[3], values[4], values[5], values[6]].compactMap(\.uint256)
            guard numbers.count == 6, let status = numbers[0].uint64, let createdEpoch = numbers[2].uint64,
                  let createdTime = numbers[3].uint64, let deactivatedTime = numbers[4].uint64, let deactivatedEpoch = numbers[5].uint64 else {
                throw UnexpectedOutput(function: SFC.getValidator.canonical)
            }
            self.init(id: id, status: Status(rawValue: status), receivedStake: numbers[1], auth: auth, createdEpoch: createdEpoch,
                      createdTime: createdTime, deactivatedTime: deactivatedTime, deactivatedEpoch: deactivatedEpoch)
        }
    }

    /// A validator's status bits (SFC.sol's constants); none set means active.
    public struct Status: OptionSet, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt64
        public init(rawValue: UInt64) { self.rawValue = rawValue }

        /// Its self-stake was withdrawn (or fell below the minimum).
        public static let withdrawn = Status(rawValue: 1)
        /// Offline too long.
        public static let offline = Status(rawValue: 1 << 3)
        /// Average uptime too low.
        public static let lowUptime = Status(rawValue: 1 << 4)
        /// Signed two blocks at one height: its stake is slashed.
        public static let doubleSign = Status(rawValue: 1 << 7)

        /// In words for a person: "active", "offline", "withdrawn, offline", …
        public var description: String {
            if isEmpty { return "active" }
            let names: [(Status, String)] = [(.withdrawn, "withdrawn"), (.offline, "offline"), (.lowUptime, "low uptime"), (.doubleSign, "double-signed (slashed)")]
            let known = names.filter { contains($0.0) }.map(\.1)
            return known.isEmpty ? "inactive (status \(rawValue))" : known.joined(separator: ", ")
        }
    }

    /// An undelegation waiting for its withdrawal: `getWithdrawalRequest`'s (epoch, time, amount).
    public struct WithdrawalRequest: Sendable, Hashable {
        public let validatorID: UInt64
        public let id: UInt64
        /// The epoch in which it was made.
        public let epoch: UInt64
        /// Unix time at which it was made.
        public let time: UInt64
        public let amount: UInt256

        public init(validatorID: UInt64, id: UInt64, epoch: UInt64, time: UInt64, amount: UInt256) {
            self.validatorID = validatorID
            self.id = id
            self.epoch = epoch
            self.time = time
            self.amount = amount
        }

        /// When it may be withdrawn: both `withdrawalPeriodTime` after its time and
        /// `withdrawalPeriodEpochs` after its epoch (SFC.sol's `_withdraw`; a validator
        /// deactivated earlier counts from its deactivation instead).
        public func opening(periodTime: UInt64, periodEpochs: UInt64, validator: Validator? = nil) -> (time: UInt64, epoch: UInt64) {
            var time = self.time
            var epoch = self.epoch
            if let validator, validator.deactivatedTime != 0, validator.deactivatedTime < time {
                time = validator.deactivatedTime
                epoch = validator.deactivatedEpoch
            }
            return (time.addingReportingOverflow(periodTime).overflow ? .max : time + periodTime,
                    epoch.addingReportingOverflow(periodEpochs).overflow ? .max : epoch + periodEpochs)
        }
    }

    /// `getEpochSnapshot`'s (endTime, endBlock, epochFee, baseRewardPerSecond, totalStake, totalSupply).
    public struct EpochSnapshot: Sendable, Hashable {
        public let epoch: UInt64
        public let endTime: UInt64
        public let endBlock: UInt64
        public let epochFee: UInt256
        public let baseRewardPerSecond: UInt256
        public let totalStake: UInt256
        public let totalSupply: UInt256
    }
}
