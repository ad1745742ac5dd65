# pragma version ~=0.4.3
"""
@title The SFC's ConstantsManager for the devnet
@notice The getters that sonic-sfc's SFC reads from the contract at `constsAddress()`
        (contracts/sfc/ConstantsManager.sol), with the owner's updaters for the ones tests
        change. Ratios are decimals with 18 places (10**18 = 1). The devnet's values are set at
        deployment; clients read them at run time.
"""

owner: public(address)
minSelfStake: public(uint256)
maxDelegatedRatio: public(uint256)
validatorCommission: public(uint256)
burntFeeShare: public(uint256)
treasuryFeeShare: public(uint256)
extraRewardsBurnRatio: public(uint256)
withdrawalPeriodEpochs: public(uint256)
withdrawalPeriodTime: public(uint256)
baseRewardPerSecond: public(uint256)
offlinePenaltyThresholdBlocksNum: public(uint256)
offlinePenaltyThresholdTime: public(uint256)
averageUptimeEpochWindow: public(uint32)
minAverageUptime: public(uint64)
issuedTokensRecipient: public(address)


@deploy
def __init__(
    owner: address, min_self_stake: uint256, max_delegated_ratio: uint256, commission: uint256,
    withdrawal_epochs: uint256, withdrawal_time: uint256, reward_per_second: uint256
):
    self.owner = owner
    self.minSelfStake = min_self_stake
    self.maxDelegatedRatio = max_delegated_ratio
    self.validatorCommission = commission
    self.withdrawalPeriodEpochs = withdrawal_epochs
    self.withdrawalPeriodTime = withdrawal_time
    self.baseRewardPerSecond = reward_per_second
    self.treasuryFeeShare = 90 * 10**16
    self.extraRewardsBurnRatio = 50 * 10**16
    self.offlinePenaltyThresholdBlocksNum = 1_000
    self.offlinePenaltyThresholdTime = 5 * 86_400
    self.averageUptimeEpochWindow = 100


@internal
@view
def _only_owner():
    assert msg.sender == self.owner, "ConstantsManager: not the owner"


@external
def updateWithdrawalPeriodEpochs(v: uint256):
    self._only_owner()
    self.withdrawalPeriodEpochs = v


@external
def updateWithdrawalPeriodTime(v: uint256):
    self._only_owner()
    self.withdrawalPeriodTime = v


@external
def updateBaseRewardPerSecond(v: uint256):
    self._only_owner()
    self.baseRewardPerSecond = v


@external
def updateMaxDelegatedRatio(v: uint256):
    self._only_owner()
    self.maxDelegatedRatio = v
