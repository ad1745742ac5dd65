# pragma version ~=0.4.3
"""
@title SFC-compatible staking contract for the devnet
@notice The delegator side of Sonic's Special Fee Contract (0xsoniclabs/sonic-sfc v4.0.x,
        contracts/sfc/SFC.sol), placed by the devnet's genesis at the SFC's real address
        0xFC00FACE00000000000000000000000000000000. Same function names, argument orders,
        return tuples, events and custom-error selectors: Vyper has no custom errors, so each
        failure is a `raw_revert` of the real 4-byte selector.
        Differences, all on the node's side: the devnet's node driver is an account that the
        devnet signs for (`sonic_sealEpoch`); rewards are paid from this contract's genesis
        balance instead of being minted; sealEpoch's transaction-fee rewards, offline and
        average-uptime penalties, slashing refunds, redirections and the stake subscriber are
        not modelled (their arguments are accepted, the fee and offline arrays are ignored).
        Written from the Solidity source's rules, not translated line by line.
"""

MAX_VALIDATORS: constant(uint256) = 32
DECIMAL_UNIT: constant(uint256) = 10**18
OK_STATUS: constant(uint256) = 0
WITHDRAWN_BIT: constant(uint256) = 1
DOUBLESIGN_BIT: constant(uint256) = 1 << 7


interface ConstantsManager:
    def minSelfStake() -> uint256: view
    def maxDelegatedRatio() -> uint256: view
    def validatorCommission() -> uint256: view
    def withdrawalPeriodEpochs() -> uint256: view
    def withdrawalPeriodTime() -> uint256: view
    def baseRewardPerSecond() -> uint256: view


struct Validator:
    status: uint256
    receivedStake: uint256
    auth: address
    createdEpoch: uint256
    createdTime: uint256
    deactivatedTime: uint256
    deactivatedEpoch: uint256


struct WithdrawalRequest:
    epoch: uint256
    time: uint256
    amount: uint256


struct EpochSnapshot:
    endTime: uint256
    endBlock: uint256
    epochFee: uint256
    baseRewardPerSecond: uint256
    totalStake: uint256
    totalSupply: uint256


event CreatedValidator:
    validatorID: indexed(uint256)
    auth: indexed(address)
    createdEpoch: uint256
    createdTime: uint256

event DeactivatedValidator:
    validatorID: indexed(uint256)
    deactivatedEpoch: uint256
    deactivatedTime: uint256

event ChangedValidatorStatus:
    validatorID: indexed(uint256)
    status: uint256

event Delegated:
    delegator: indexed(address)
    toValidatorID: indexed(uint256)
    amount: uint256

event Undelegated:
    delegator: indexed(address)
    toValidatorID: indexed(uint256)
    wrID: indexed(uint256)
    amount: uint256

event Withdrawn:
    delegator: indexed(address)
    toValidatorID: indexed(uint256)
    wrID: indexed(uint256)
    amount: uint256
    penalty: uint256

event ClaimedRewards:
    delegator: indexed(address)
    toValidatorID: indexed(uint256)
    rewards: uint256

event RestakedRewards:
    delegator: indexed(address)
    toValidatorID: indexed(uint256)
    rewards: uint256


owner: public(address)
node: address
consts: address
currentSealedEpoch: public(uint256)
validators: HashMap[uint256, Validator]
getValidatorID: public(HashMap[address, uint256])
lastValidatorID: public(uint256)
totalStake: public(uint256)
totalActiveStake: public(uint256)
totalSupply: public(uint256)
treasuryAddress: public(address)
slashingRefundRatio: public(HashMap[uint256, uint256])
stash: HashMap[address, HashMap[uint256, uint256]]
stashedRewardsUntilEpoch: public(HashMap[address, HashMap[uint256, uint256]])
requests: HashMap[address, HashMap[uint256, HashMap[uint256, WithdrawalRequest]]]
getStake: public(HashMap[address, HashMap[uint256, uint256]])
snapshots: HashMap[uint256, EpochSnapshot]
epochValidatorIDs: HashMap[uint256, DynArray[uint256, MAX_VALIDATORS]]
epochReceivedStake: HashMap[uint256, HashMap[uint256, uint256]]
epochRewardPerToken: HashMap[uint256, HashMap[uint256, uint256]]
epochUptime: HashMap[uint256, HashMap[uint256, uint256]]


@deploy
def __init__(sealed_epoch: uint256, total_supply: uint256, node_driver: address, consts: address, owner: address):
    self.currentSealedEpoch = sealed_epoch
    self.totalSupply = total_supply
    self.node = node_driver
    self.consts = consts
    self.owner = owner
    self.snapshots[sealed_epoch].endTime = block.timestamp


# Failures: the selectors of sonic-sfc's custom errors -------------------------------------------

@internal
@pure
def _fail(signature: String[40]):
    raw_revert(slice(keccak256(signature), 0, 4))


@external
@payable
def __default__():
    # Solidity's receive(): plain S is refused with TransfersNotAllowed; a call of a function
    # the SFC does not have reverts without data, as it does there.
    if len(msg.data) == 0:
        self._fail("TransfersNotAllowed()")
    raw_revert(b"")


# Reads ----------------------------------------------------------------------------------------

@external
@pure
def version() -> bytes3:
    return 0x040006


@external
@view
def constsAddress() -> address:
    return self.consts


@external
@view
def currentEpoch() -> uint256:
    return self.currentSealedEpoch + 1


@external
@view
def getValidator(validatorID: uint256) -> (uint256, uint256, address, uint256, uint256, uint256, uint256):
    v: Validator = self.validators[validatorID]
    return v.status, v.receivedStake, v.auth, v.createdEpoch, v.createdTime, v.deactivatedTime, v.deactivatedEpoch


@external
@view
def getSelfStake(validatorID: uint256) -> uint256:
    return self._self_stake(validatorID)


@external
@view
def getWithdrawalRequest(delegator: address, validatorID: uint256, wrID: uint256) -> (uint256, uint256, uint256):
    r: WithdrawalRequest = self.requests[delegator][validatorID][wrID]
    return r.epoch, r.time, r.amount


@external
@view
def getEpochSnapshot(epoch: uint256) -> (uint256, uint256, uint256, uint256, uint256, uint256):
    s: EpochSnapshot = self.snapshots[epoch]
    return s.endTime, s.endBlock, s.epochFee, s.baseRewardPerSecond, s.totalStake, s.totalSupply


@external
@view
def getEpochValidatorIDs(epoch: uint256) -> DynArray[uint256, MAX_VALIDATORS]:
    return self.epochValidatorIDs[epoch]


@external
@view
def getEpochReceivedStake(epoch: uint256, validatorID: uint256) -> uint256:
    return self.epochReceivedStake[epoch][validatorID]


@external
@view
def getEpochAccumulatedRewardPerToken(epoch: uint256, validatorID: uint256) -> uint256:
    return self.epochRewardPerToken[epoch][validatorID]


@external
@view
def getEpochAccumulatedUptime(epoch: uint256, validatorID: uint256) -> uint256:
    return self.epochUptime[epoch][validatorID]


@external
@view
def getEpochEndBlock(epoch: uint256) -> uint256:
    return self.snapshots[epoch].endBlock


@external
@view
def epochEndTime(epoch: uint256) -> uint256:
    return self.snapshots[epoch].endTime


@external
@view
def isSlashed(validatorID: uint256) -> bool:
    return self.validators[validatorID].status & DOUBLESIGN_BIT != 0


@external
@view
def rewardsStash(delegator: address, validatorID: uint256) -> uint256:
    return self.stash[delegator][validatorID]


@external
@view
def pendingRewards(delegator: address, toValidatorID: uint256) -> uint256:
    return self.stash[delegator][toValidatorID] + self._new_rewards(delegator, toValidatorID)


# Delegators -----------------------------------------------------------------------------------

@external
@payable
def delegate(toValidatorID: uint256):
    self._delegate(msg.sender, toValidatorID, msg.value)


@external
def undelegate(toValidatorID: uint256, wrID: uint256, amount: uint256):
    self._stash_rewards(msg.sender, toValidatorID)
    if amount == 0:
        self._fail("ZeroAmount()")
    if self.requests[msg.sender][toValidatorID][wrID].amount != 0:
        self._fail("RequestExists()")
    self._raw_undelegate(msg.sender, toValidatorID, amount)
    self.requests[msg.sender][toValidatorID][wrID] = WithdrawalRequest(
        epoch=self.currentSealedEpoch + 1, time=block.timestamp, amount=amount
    )
    log Undelegated(delegator=msg.sender, toValidatorID=toValidatorID, wrID=wrID, amount=amount)


@external
@nonreentrant
def withdraw(toValidatorID: uint256, wrID: uint256):
    request: WithdrawalRequest = self.requests[msg.sender][toValidatorID][wrID]
    if request.epoch == 0:
        self._fail("RequestNotExists()")
    validator: Validator = self.validators[toValidatorID]
    request_time: uint256 = request.time
    request_epoch: uint256 = request.epoch
    if validator.deactivatedTime != 0 and validator.deactivatedTime < request_time:
        request_time = validator.deactivatedTime
        request_epoch = validator.deactivatedEpoch
    if block.timestamp < request_time + staticcall ConstantsManager(self.consts).withdrawalPeriodTime():
        self._fail("NotEnoughTimePassed()")
    if self.currentSealedEpoch + 1 < request_epoch + staticcall ConstantsManager(self.consts).withdrawalPeriodEpochs():
        self._fail("NotEnoughEpochsPassed()")
    self.requests[msg.sender][toValidatorID][wrID] = empty(WithdrawalRequest)
    self._pay(msg.sender, request.amount)
    log Withdrawn(delegator=msg.sender, toValidatorID=toValidatorID, wrID=wrID, amount=request.amount, penalty=0)


@external
@nonreentrant
def claimRewards(toValidatorID: uint256):
    rewards: uint256 = self._claim_rewards(msg.sender, toValidatorID)
    self._pay(msg.sender, rewards)
    log ClaimedRewards(delegator=msg.sender, toValidatorID=toValidatorID, rewards=rewards)


@external
def restakeRewards(toValidatorID: uint256):
    rewards: uint256 = self._claim_rewards(msg.sender, toValidatorID)
    self._delegate(msg.sender, toValidatorID, rewards)
    log RestakedRewards(delegator=msg.sender, toValidatorID=toValidatorID, rewards=rewards)


@external
def stashRewards(delegator: address, toValidatorID: uint256):
    if not self._stash_rewards(delegator, toValidatorID):
        self._fail("NothingToStash()")


# The node driver ------------------------------------------------------------------------------

@external
def setGenesisValidator(auth: address, validatorID: uint256, pubkey: Bytes[66], createdTime: uint256):
    self._only_driver()
    if self.getValidatorID[auth] != 0:
        self._fail("ValidatorExists()")
    self.getValidatorID[auth] = validatorID
    self.validators[validatorID] = Validator(
        status=OK_STATUS, receivedStake=0, auth=auth, createdEpoch=0, createdTime=createdTime,
        deactivatedTime=0, deactivatedEpoch=0
    )
    if validatorID > self.lastValidatorID:
        self.lastValidatorID = validatorID
    log CreatedValidator(validatorID=validatorID, auth=auth, createdEpoch=0, createdTime=createdTime)


@external
def setGenesisDelegation(delegator: address, toValidatorID: uint256, stake: uint256):
    self._only_driver()
    self._raw_delegate(delegator, toValidatorID, stake)


@external
def deactivateValidator(validatorID: uint256, status: uint256):
    self._only_driver()
    if status == OK_STATUS:
        self._fail("NotDeactivatedStatus()")
    self._set_deactivated(validatorID, status)


@external
def sealEpoch(
    offlineTime: DynArray[uint256, MAX_VALIDATORS],
    offlineBlocks: DynArray[uint256, MAX_VALIDATORS],
    uptimes: DynArray[uint256, MAX_VALIDATORS],
    originatedTxsFee: DynArray[uint256, MAX_VALIDATORS],
):
    """Rewards of the epoch now ending: baseRewardPerSecond × its duration, shared among its
    validators by stake × uptime², the commission stashed for each validator's own address and
    the rest added to its delegators' reward per token."""
    self._only_driver()
    sealed: uint256 = self.currentSealedEpoch
    epoch: uint256 = sealed + 1
    ids: DynArray[uint256, MAX_VALIDATORS] = self.epochValidatorIDs[epoch]
    assert len(uptimes) == len(ids), "uptimes: one per validator of the epoch"
    duration: uint256 = 1
    if block.timestamp > self.snapshots[sealed].endTime:
        duration = block.timestamp - self.snapshots[sealed].endTime
    consts: ConstantsManager = ConstantsManager(self.consts)
    reward_per_second: uint256 = staticcall consts.baseRewardPerSecond()
    commission: uint256 = staticcall consts.validatorCommission()
    weights: DynArray[uint256, MAX_VALIDATORS] = []
    total_weight: uint256 = 0
    for i: uint256 in range(len(ids), bound=MAX_VALIDATORS):
        weight: uint256 = self.epochReceivedStake[epoch][ids[i]] * uptimes[i] // duration * uptimes[i] // duration
        weights.append(weight)
        total_weight += weight
    for i: uint256 in range(len(ids), bound=MAX_VALIDATORS):
        validator_id: uint256 = ids[i]
        raw_reward: uint256 = 0
        if weights[i] != 0:
            raw_reward = duration * reward_per_second * weights[i] // total_weight
        auth: address = self.validators[validator_id].auth
        commission_reward: uint256 = raw_reward * commission // DECIMAL_UNIT
        if self.getStake[auth][validator_id] != 0:
            self.stash[auth][validator_id] += commission_reward
        received: uint256 = self.validators[validator_id].receivedStake
        per_token: uint256 = 0
        if received != 0:
            per_token = (raw_reward - commission_reward) * DECIMAL_UNIT // received
        self.epochRewardPerToken[epoch][validator_id] = self.epochRewardPerToken[sealed][validator_id] + per_token
        self.epochUptime[epoch][validator_id] = self.epochUptime[sealed][validator_id] + uptimes[i]
    self.currentSealedEpoch = epoch
    self.snapshots[epoch].endTime = block.timestamp
    self.snapshots[epoch].endBlock = block.number
    self.snapshots[epoch].baseRewardPerSecond = reward_per_second
    self.snapshots[epoch].totalSupply = self.totalSupply


@external
def sealEpochValidators(nextValidatorIDs: DynArray[uint256, MAX_VALIDATORS]):
    self._only_driver()
    epoch: uint256 = self.currentSealedEpoch + 1
    for validator_id: uint256 in nextValidatorIDs:
        received: uint256 = self.validators[validator_id].receivedStake
        self.epochReceivedStake[epoch][validator_id] = received
        self.snapshots[epoch].totalStake += received
    self.epochValidatorIDs[epoch] = nextValidatorIDs


# Internals ------------------------------------------------------------------------------------

@internal
@view
def _only_driver():
    if msg.sender != self.node:
        self._fail("NotDriverAuth()")


@internal
@view
def _self_stake(validatorID: uint256) -> uint256:
    return self.getStake[self.validators[validatorID].auth][validatorID]


@internal
@view
def _within_delegation_limit(validatorID: uint256) -> bool:
    ratio: uint256 = staticcall ConstantsManager(self.consts).maxDelegatedRatio()
    return self.validators[validatorID].receivedStake <= self._self_stake(validatorID) * ratio // DECIMAL_UNIT


@internal
def _delegate(delegator: address, toValidatorID: uint256, amount: uint256):
    if self.validators[toValidatorID].createdTime == 0:
        self._fail("ValidatorNotExists()")
    if self.validators[toValidatorID].status != OK_STATUS:
        self._fail("ValidatorNotActive()")
    self._raw_delegate(delegator, toValidatorID, amount)
    if not self._within_delegation_limit(toValidatorID):
        self._fail("ValidatorDelegationLimitExceeded()")


@internal
def _raw_delegate(delegator: address, toValidatorID: uint256, amount: uint256):
    if amount == 0:
        self._fail("ZeroAmount()")
    self._stash_rewards(delegator, toValidatorID)
    self.getStake[delegator][toValidatorID] += amount
    self.validators[toValidatorID].receivedStake += amount
    self.totalStake += amount
    if self.validators[toValidatorID].status == OK_STATUS:
        self.totalActiveStake += amount
    log Delegated(delegator=delegator, toValidatorID=toValidatorID, amount=amount)


@internal
def _raw_undelegate(delegator: address, toValidatorID: uint256, amount: uint256):
    # An amount above the stake underflows and reverts without data, as Solidity 0.8's
    # checked arithmetic does in the original.
    self.getStake[delegator][toValidatorID] -= amount
    self.validators[toValidatorID].receivedStake -= amount
    self.totalStake -= amount
    active: bool = self.validators[toValidatorID].status == OK_STATUS
    if active:
        self.totalActiveStake -= amount
    self_stake: uint256 = self._self_stake(toValidatorID)
    if self_stake != 0 and active:
        if self_stake < staticcall ConstantsManager(self.consts).minSelfStake():
            self._set_deactivated(toValidatorID, WITHDRAWN_BIT)
        if not self._within_delegation_limit(toValidatorID):
            self._fail("ValidatorDelegationLimitExceeded()")
    else:
        self._set_deactivated(toValidatorID, WITHDRAWN_BIT)


@internal
def _set_deactivated(validatorID: uint256, status: uint256):
    if self.validators[validatorID].status == OK_STATUS and status != OK_STATUS:
        self.totalActiveStake -= self.validators[validatorID].receivedStake
    if status > self.validators[validatorID].status:
        self.validators[validatorID].status = status
        if self.validators[validatorID].deactivatedEpoch == 0:
            epoch: uint256 = self.currentSealedEpoch + 1
            self.validators[validatorID].deactivatedEpoch = epoch
            self.validators[validatorID].deactivatedTime = block.timestamp
            log DeactivatedValidator(validatorID=validatorID, deactivatedEpoch=epoch, deactivatedTime=block.timestamp)
        log ChangedValidatorStatus(validatorID=validatorID, status=status)


@internal
@view
def _highest_payable_epoch(validatorID: uint256) -> uint256:
    deactivated: uint256 = self.validators[validatorID].deactivatedEpoch
    if deactivated != 0 and deactivated < self.currentSealedEpoch:
        return deactivated
    return self.currentSealedEpoch


@internal
@view
def _new_rewards(delegator: address, validatorID: uint256) -> uint256:
    since: uint256 = self.stashedRewardsUntilEpoch[delegator][validatorID]
    until: uint256 = self._highest_payable_epoch(validatorID)
    if since >= until:
        return 0
    rate: uint256 = self.epochRewardPerToken[until][validatorID] - self.epochRewardPerToken[since][validatorID]
    return rate * self.getStake[delegator][validatorID] // DECIMAL_UNIT


@internal
def _stash_rewards(delegator: address, validatorID: uint256) -> bool:
    fresh: uint256 = self._new_rewards(delegator, validatorID)
    self.stashedRewardsUntilEpoch[delegator][validatorID] = self._highest_payable_epoch(validatorID)
    self.stash[delegator][validatorID] += fresh
    return fresh != 0


@internal
def _claim_rewards(delegator: address, validatorID: uint256) -> uint256:
    self._stash_rewards(delegator, validatorID)
    rewards: uint256 = self.stash[delegator][validatorID]
    if rewards == 0:
        self._fail("ZeroRewards()")
    self.stash[delegator][validatorID] = 0
    self.totalSupply += rewards
    return rewards


@internal
def _pay(receiver: address, amount: uint256):
    if not raw_call(receiver, b"", value=amount, revert_on_failure=False):
        self._fail("TransferFailed()")
