import Ethereum

/// The SFC's ConstantsManager (sonic-sfc contracts/sfc/ConstantsManager.sol), found through
/// `SFC.constants()`: the network's staking rules, read at run time, never assumed. Ratios are
/// decimals with 18 places (10^18 = 1).
public struct SFCConstants: Sendable {
    public static let withdrawalPeriodTime = Contract.signature("function withdrawalPeriodTime() view returns (uint256)")
    public static let withdrawalPeriodEpochs = Contract.signature("function withdrawalPeriodEpochs() view returns (uint256)")
    public static let maxDelegatedRatio = Contract.signature("function maxDelegatedRatio() view returns (uint256)")
    public static let minSelfStake = Contract.signature("function minSelfStake() view returns (uint256)")
    public static let validatorCommission = Contract.signature("function validatorCommission() view returns (uint256)")
    public static let baseRewardPerSecond = Contract.signature("function baseRewardPerSecond() view returns (uint256)")

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    /// Seconds that must pass between an undelegation and its withdrawal.
    public func withdrawalPeriodTime() async throws -> UInt64 { try await contract.read(Self.withdrawalPeriodTime).uint64(Self.withdrawalPeriodTime) }
    /// Epochs that must pass between an undelegation and its withdrawal.
    public func withdrawalPeriodEpochs() async throws -> UInt64 { try await contract.read(Self.withdrawalPeriodEpochs).uint64(Self.withdrawalPeriodEpochs) }
    /// A validator may receive at most its self-stake × this ratio (18 decimals).
    public func maxDelegatedRatio() async throws -> UInt256 { try await contract.read(Self.maxDelegatedRatio).uint(Self.maxDelegatedRatio) }
    public func minSelfStake() async throws -> UInt256 { try await contract.read(Self.minSelfStake).uint(Self.minSelfStake) }
    /// The validators' share of rewards (18 decimals).
    public func validatorCommission() async throws -> UInt256 { try await contract.read(Self.validatorCommission).uint(Self.validatorCommission) }
    public func baseRewardPerSecond() async throws -> UInt256 { try await contract.read(Self.baseRewardPerSecond).uint(Self.baseRewardPerSecond) }
}
