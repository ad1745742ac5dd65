import BigInt
import Ethereum

extension SFC {
    /// A delegator's event of the SFC, decoded from a log: what the indexer records and the
    /// history shows.
    public enum Event: Sendable, Hashable {
        case delegated(delegator: Address, validatorID: UInt64, amount: UInt256)
        case undelegated(delegator: Address, validatorID: UInt64, requestID: UInt64, amount: UInt256)
        case withdrawn(delegator: Address, validatorID: UInt64, requestID: UInt64, amount: UInt256, penalty: UInt256)
        case claimedRewards(delegator: Address, validatorID: UInt64, rewards: UInt256)
        case restakedRewards(delegator: Address, validatorID: UInt64, rewards: UInt256)

        public static let delegated = Contract.signature("event Delegated(address indexed delegator, uint256 indexed toValidatorID, uint256 amount)")
        public static let undelegated = Contract.signature(
            "event Undelegated(address indexed delegator, uint256 indexed toValidatorID, uint256 indexed wrID, uint256 amount)")
        public static let withdrawn = Contract.signature(
            "event Withdrawn(address indexed delegator, uint256 indexed toValidatorID, uint256 indexed wrID, uint256 amount, uint256 penalty)")
        public static let claimedRewards = Contract.signature(
            "event ClaimedRewards(address indexed delegator, uint256 indexed toValidatorID, uint256 rewards)")
        public static let restakedRewards = Contract.signature(
            "event RestakedRewards(address indexed delegator, uint256 indexed toValidatorID, uint256 rewards)")
        /// The five, for a log filter's first topic.
        public static let all = [delegated, undelegated, withdrawn, claimedRewards, restakedRewards]

        /// The event in `log`; nil when the log is another event.
        /// - Throws: `ABIError` or `UnexpectedOutput` when it has a known topic but not its shape.
        public init?(log: Log) throws {
            let topics = log.topics.map(\.bytes)
            guard let signature = Self.all.first(where: { $0.topic == topics.first }) else { return nil }
            let values = try signature.decodeLog(topics: topics, data: log.data.bytes).map(\.value)
            guard case .address(let delegator)? = values.first else { throw UnexpectedOutput(function: signature.canonical) }
            let numbers = values.dropFirst().compactMap(\.uint256)
            guard numbers.count == values.count - 1, let validator = numbers.first?.uint64 else { throw UnexpectedOutput(function: signature.canonical) }
            func id(_ index: Int) throws -> UInt64 {
                guard let id = numbers[index].uint64 else { throw UnexpectedOutput(function: signature.canonical) }
                return id
            }
            switch signature.name {
            case "Delegated": self = .delegated(delegator: delegator, validatorID: validator, amount: numbers[1])
            case "Undelegated": self = .undelegated(delegator: delegator, validatorID: validator, requestID: try id(1), amount: numbers[2])
            case "Withdrawn":
                self = .withdrawn(delegator: delegator, validatorID: validator, requestID: try id(1), amount: numbers[2], penalty: numbers[3])
            case "ClaimedRewards": self = .claimedRewards(delegator: delegator, validatorID: validator, rewards: numbers[1])
            default: self = .restakedRewards(delegator: delegator, validatorID: validator, rewards: numbers[1])
            }
        }

        /// In words, for the history: "staked 100 S with validator 3".
        public var summary: String {
            func s(_ amount: UInt256) -> String { Units.exact(amount, decimals: 18) + " S" }
            return switch self {
            case .delegated(_, let validator, let amount): "staked \(s(amount)) with validator \(validator)"
            case .undelegated(_, let validator, let request, let amount):
                "unstaked \(s(amount)) from validator \(validator) (withdrawal request \(request))"
            case .withdrawn(_, let validator, let request, let amount, let penalty):
                "withdrew \(s(amount)) unstaked from validator \(validator) (request \(request))" + (penalty.value.isZero ? "" : ", \(s(penalty)) lost to slashing")
            case .claimedRewards(_, let validator, let rewards): "claimed \(s(rewards)) of rewards from validator \(validator)"
            case .restakedRewards(_, let validator, let rewards): "restaked \(s(rewards)) of rewards with validator \(validator)"
            }
        }
    }
}
