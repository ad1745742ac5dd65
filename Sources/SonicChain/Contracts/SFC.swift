import BigInt
import Ethereum

/// Bindings of Sonic's SFC (staking) with the functions, return tuples, events and custom errors
/// of 0xsoniclabs/sonic-sfc v4.0.x (contracts/sfc/SFC.sol), held to the source by
/// Tests/Fixtures/sonic-sfc-v4.0.x.json. The same code serves mainnet and the devnet's
/// SFC-compatible contract at the same address. There is no on-chain list of a delegator's
/// validators or withdrawal requests: those come from the events (`SFC.Event`).
public struct SFC: Sendable {
    // Delegators
    public static let delegate = Contract.signature("function delegate(uint256 toValidatorID) payable")
    public static let undelegate = Contract.signature("function undelegate(uint256 toValidatorID, uint256 wrID, uint256 amount)")
    public static let withdraw = Contract.signature("function withdraw(uint256 toValidatorID, uint256 wrID)")
    public static let claimRewards = Contract.signature("function claimRewards(uint256 toValidatorID)")
    public static let restakeRewards = Contract.signature("function restakeRewards(uint256 toValidatorID)")
    // Reads
    public static let version = Contract.signature("function version() pure returns (bytes3)")
    public static let constsAddress = Contract.signature("function constsAddress() view returns (address)")
    public static let currentEpoch = Contract.signature("function currentEpoch() view returns (uint256)")
    public static let currentSealedEpoch = Contract.signature("function currentSealedEpoch() view returns (uint256)")
    public static let lastValidatorID = Contract.signature("function lastValidatorID() view returns (uint256)")
    public static let getValidator = Contract.signature(
        "function getValidator(uint256) view returns (uint256 status, uint256 receivedStake, address auth, uint256 createdEpoch, uint256 createdTime, uint256 deactivatedTime, uint256 deactivatedEpoch)")
    public static let getSelfStake = Contract.signature("function getSelfStake(uint256 validatorID) view returns (uint256)")
    public static let getStake = Contract.signature("function getStake(address, uint256) view returns (uint256)")
    public static let pendingRewards = Contract.signature("function pendingRewards(address delegator, uint256 toValidatorID) view returns (uint256)")
    public static let getWithdrawalRequest = Contract.signature(
        "function getWithdrawalRequest(address, uint256, uint256) view returns (uint256 epoch, uint256 time, uint256 amount)")
    public static let getEpochSnapshot = Contract.signature(
        "function getEpochSnapshot(uint256) view returns (uint256 endTime, uint256 endBlock, uint256 epochFee, uint256 baseRewardPerSecond, uint256 totalStake, uint256 totalSupply)")
    public static let getEpochValidatorIDs = Contract.signature("function getEpochValidatorIDs(uint256 epoch) view returns (uint256[])")

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    // MARK: Reads

    /// `version()` as text, e.g. "4.0.6".
    public func version() async throws -> String {
        guard case .bytes(let bytes)? = try await contract.read(Self.version).first, bytes.count == 3 else {
            throw UnexpectedOutput(function: Self.version.canonical)
        }
        return bytes.map(String.init).joined(separator: ".")
    }

    /// The ConstantsManager that holds the withdrawal periods and the delegation ratio.
    public func constants() async throws -> SFCConstants {
        SFCConstants(address: try await contract.read(Self.constsAddress).address(Self.constsAddress), client: contract.client)
    }

    public func currentEpoch() async throws -> UInt64 { try await contract.read(Self.currentEpoch).uint64(Self.currentEpoch) }
    public func currentSealedEpoch() async throws -> UInt64 { try await contract.read(Self.currentSealedEpoch).uint64(Self.currentSealedEpoch) }
    public func lastValidatorID() async throws -> UInt64 { try await contract.read(Self.lastValidatorID).uint64(Self.lastValidatorID) }

    /// The validator `id`; nil when there is none (Sonic's getter answers zeros then).
    public func validator(_ id: UInt64) async throws -> Validator? {
        let values = try await contract.read(Self.getValidator, [.uint(BigUInt(id))])
        let validator = try Validator(id: id, values: values)
        return validator.createdTime == 0 ? nil : validator
    }

    public func selfStake(of validator: UInt64) async throws -> UInt256 {
        try await contract.read(Self.getSelfStake, [.uint(BigUInt(validator))]).uint(Self.getSelfStake)
    }

    /// What `delegator` has staked with `validator` (undelegated amounts not included).
    public func stake(of delegator: Address, validator: UInt64) async throws -> UInt256 {
        try await contract.read(Self.getStake, [.address(delegator), .uint(BigUInt(validator))]).uint(Self.getStake)
    }

    /// Rewards `delegator` may claim from `validator` now (sealed epochs only).
    public func pendingRewards(of delegator: Address, validator: UInt64) async throws -> UInt256 {
        try await contract.read(Self.pendingRewards, [.address(delegator), .uint(BigUInt(validator))]).uint(Self.pendingRewards)
    }

    /// Withdrawal request `id`; nil when there is none (never made, or withdrawn).
    public func withdrawalRequest(of delegator: Address, validator: UInt64, id: UInt64) async throws -> WithdrawalRequest? {
        let values = try await contract.read(Self.getWithdrawalRequest, [.address(delegator), .uint(BigUInt(validator)), .uint(BigUInt(id))])
        guard values.count == 3, let epoch = values[0].uint256?.uint64, let time = values[1].uint256?.uint64, let amount = values[2].uint256 else {
            throw UnexpectedOutput(function: Self.getWithdrawalRequest.canonical)
        }
        return epoch == 0 ? nil : WithdrawalRequest(validatorID: validator, id: id, epoch: epoch, time: time, amount: amount)
    }

    public func epochSnapshot(_ epoch: UInt64) async throws -> EpochSnapshot {
        let values = try await contract.read(Self.getEpochSnapshot, [.uint(BigUInt(epoch))])
        let numbers = values.compactMap(\.uint256)
        guard numbers.count == 6, let endTime = numbers[0].uint64, let endBlock = numbers[1].uint64 else {
            throw UnexpectedOutput(function: Self.getEpochSnapshot.canonical)
        }
        return EpochSnapshot(epoch: epoch, endTime: endTime, endBlock: endBlock, epochFee: numbers[2], baseRewardPerSecond: numbers[3],
                             totalStake: numbers[4], totalSupply: numbers[5])
    }

    /// The validators of `epoch` (the current one by default: those that earn rewards now).
    public func epochValidatorIDs(_ epoch: UInt64) async throws -> [UInt64] {
        guard case .array(let items)? = try await contract.read(Self.getEpochValidatorIDs, [.uint(BigUInt(epoch))]).first else {
            throw UnexpectedOutput(function: Self.getEpochValidatorIDs.canonical)
        }
        return try items.map { item in
            guard let id = item.uint256?.uint64 else { throw UnexpectedOutput(function: Self.getEpochValidatorIDs.canonical) }
            return id
        }
    }

    /// Every validator from 1 to `lastValidatorID()`, active or not.
    public func validators() async throws -> [Validator] {
        var found: [Validator] = []
        let last = try await lastValidatorID()
        for id in 1...max(1, last) {
            if let validator = try await validator(id) { found.append(validator) }
        }
        return found
    }

    // MARK: Transactions to sign

    /// Stakes `amount` with `validator`.
    public static func delegateRequest(sfc: Address, validator: UInt64, amount: UInt256, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: sfc, value: amount, data: try delegate.calldata([.uint(BigUInt(validator))]))
    }

    /// Starts the withdrawal of `amount` from `validator` as request `requestID` (one the
    /// delegator has not used with this validator: `RequestExists` otherwise).
    public static func undelegateRequest(sfc: Address, validator: UInt64, requestID: UInt64, amount: UInt256, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: sfc, data: try undelegate.calldata([.uint(BigUInt(validator)), .uint(BigUInt(requestID)), .uint(amount.value)]))
    }

    /// Pays out request `requestID` once both withdrawal periods have passed.
    public static func withdrawRequest(sfc: Address, validator: UInt64, requestID: UInt64, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: sfc, data: try withdraw.calldata([.uint(BigUInt(validator)), .uint(BigUInt(requestID))]))
    }

    public static func claimRewardsRequest(sfc: Address, validator: UInt64, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: sfc, data: try claimRewards.calldata([.uint(BigUInt(validator))]))
    }

    public static func restakeRewardsRequest(sfc: Address, validator: UInt64, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: sfc, data: try restakeRewards.calldata([.uint(BigUInt(validator))]))
    }
}

extension ABIValue {
    /// The value as a `UInt256` when it is an unsigned integer.
    var uint256: UInt256? {
        guard case .uint(let value) = self else { return nil }
        return UInt256(value)
    }
}
