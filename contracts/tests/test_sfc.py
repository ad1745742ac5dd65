"""The devnet's SFC at 0xFC00FACE…: delegation, rewards per sealed epoch, undelegation and the
withdrawal period in time and epochs, the delegation limit, and each failure's custom error.
A devnet of the module's own (`node`, `chain`): these tests move its clock."""

import json

import pytest
from eth_utils import keccak
from web3.exceptions import ContractCustomError, ContractLogicError

from conftest import BUILD, S, transact

SFC_ADDRESS = "0xFC00FACE00000000000000000000000000000000"


@pytest.fixture(scope="module")
def sfc(chain):
    return chain.eth.contract(address=SFC_ADDRESS, abi=json.loads((BUILD / "SFC.json").read_text())["abi"])


@pytest.fixture(scope="module")
def consts(chain, sfc):
    return chain.eth.contract(address=sfc.functions.constsAddress().call(),
                              abi=json.loads((BUILD / "ConstantsManager.json").read_text())["abi"])


def custom_error(name: str) -> str:
    return "0x" + keccak(text=f"{name}()")[:4].hex()


def fails_with(call, name: str, sender, value=0):
    """The call reverts with exactly sonic-sfc's custom error `name` (its 4-byte selector)."""
    with pytest.raises((ContractCustomError, ContractLogicError)) as failure:
        call.call({"from": sender, "value": value})
    assert failure.value.data == custom_error(name)


def test_constants_are_read_from_the_consts_address(consts):
    assert consts.functions.withdrawalPeriodTime().call() == 3_600
    assert consts.functions.withdrawalPeriodEpochs().call() == 2
    assert consts.functions.maxDelegatedRatio().call() == 16 * S
    assert consts.functions.minSelfStake().call() == 100 * S


def test_delegate_adds_stake_and_logs(chain, sfc):
    alice = chain.eth.accounts[1]
    before = sfc.functions.getValidator(1).call()[1]
    receipt = transact(chain, sfc.functions.delegate(1), alice, value=500 * S)
    event = sfc.events.Delegated().process_receipt(receipt)[0]["args"]
    assert (event["delegator"], event["toValidatorID"], event["amount"]) == (alice, 1, 500 * S)
    assert sfc.functions.getStake(alice, 1).call() == 500 * S
    assert sfc.functions.getValidator(1).call()[1] == before + 500 * S


def test_delegation_failures_carry_the_sources_errors(chain, sfc):
    bob = chain.eth.accounts[2]
    fails_with(sfc.functions.delegate(4), "ValidatorNotActive", bob, 1 * S)
    fails_with(sfc.functions.delegate(99), "ValidatorNotExists", bob, 1 * S)
    fails_with(sfc.functions.delegate(1), "ZeroAmount", bob, 0)
    # Validator 3 has 100 S of self-stake: it may receive at most 16 × 100 = 1,600 S in all.
    fails_with(sfc.functions.delegate(3), "ValidatorDelegationLimitExceeded", bob, 1_501 * S)
    transact(chain, sfc.functions.delegate(3), bob, value=1_500 * S)
    assert sfc.functions.getValidator(3).call()[1] == 1_600 * S
    with pytest.raises(ContractLogicError) as failure:
        chain.eth.call({"from": bob, "to": SFC_ADDRESS, "value": S})
    assert failure.value.data == custom_error("TransfersNotAllowed")
    with pytest.raises(ContractLogicError) as failure:  # a function it does not have: no data, as in Solidity
        chain.eth.call({"from": bob, "to": SFC_ADDRESS, "data": "0xdeadbeef"})
    assert failure.value.data in (None, "0x")


def test_rewards_accrue_per_sealed_epoch_and_are_paid(node, chain, sfc):
    carol = chain.eth.accounts[3]
    transact(chain, sfc.functions.delegate(2), carol, value=1_000 * S)
    fails_with(sfc.functions.claimRewards(2), "ZeroRewards", carol)
    node.call("evm_increaseTime", 600)
    node.call("evm_mine")
    assert sfc.functions.pendingRewards(carol, 2).call() == 0  # nothing until the epoch is sealed
    node.call("sonic_sealEpoch")
    rewards = sfc.functions.pendingRewards(carol, 2).call()
    assert rewards > 0
    balance = chain.eth.get_balance(carol)
    receipt = transact(chain, sfc.functions.claimRewards(2), carol)
    fee = receipt.gasUsed * receipt.effectiveGasPrice
    assert chain.eth.get_balance(carol) == balance + rewards - fee
    assert sfc.events.ClaimedRewards().process_receipt(receipt)[0]["args"]["rewards"] == rewards
    assert sfc.functions.pendingRewards(carol, 2).call() == 0


def test_rewards_are_shared_pro_rata(node, chain, sfc):
    small, large = chain.eth.accounts[4], chain.eth.accounts[5]
    transact(chain, sfc.functions.delegate(1), small, value=100 * S)
    transact(chain, sfc.functions.delegate(1), large, value=300 * S)
    node.call("evm_increaseTime", 1_000)
    node.call("sonic_sealEpoch")
    a, b = sfc.functions.pendingRewards(small, 1).call(), sfc.functions.pendingRewards(large, 1).call()
    assert a > 0 and abs(3 * a - b) <= 3  # integer division: at most a few wei apart


def test_restake_adds_rewards_to_the_stake(node, chain, sfc):
    dave = chain.eth.accounts[6]
    transact(chain, sfc.functions.delegate(2), dave, value=200 * S)
    node.call("evm_increaseTime", 600)
    node.call("sonic_sealEpoch")
    rewards = sfc.functions.pendingRewards(dave, 2).call()
    receipt = transact(chain, sfc.functions.restakeRewards(2), dave)
    assert sfc.events.RestakedRewards().process_receipt(receipt)[0]["args"]["rewards"] == rewards
    assert sfc.functions.getStake(dave, 2).call() == 200 * S + rewards


def test_withdrawal_needs_both_the_time_and_the_epochs(node, chain, sfc, consts):
    erin = chain.eth.accounts[7]
    transact(chain, sfc.functions.delegate(1), erin, value=300 * S)
    receipt = transact(chain, sfc.functions.undelegate(1, 7, 100 * S), erin)
    event = sfc.events.Undelegated().process_receipt(receipt)[0]["args"]
    assert (event["wrID"], event["amount"]) == (7, 100 * S)
    epoch, time, amount = sfc.functions.getWithdrawalRequest(erin, 1, 7).call()
    assert epoch == sfc.functions.currentEpoch().call() and amount == 100 * S
    assert time == chain.eth.get_block(receipt.blockNumber).timestamp
    assert sfc.functions.getStake(erin, 1).call() == 200 * S
    fails_with(sfc.functions.undelegate(1, 7, 10 * S), "RequestExists", erin)
    fails_with(sfc.functions.withdraw(1, 8), "RequestNotExists", erin)
    fails_with(sfc.functions.withdraw(1, 7), "NotEnoughTimePassed", erin)

    # Blocks are a second apart at least, so a chain that mined many blocks quickly runs ahead of
    # the wall clock: move a minute more than the period.
    node.call("evm_increaseTime", consts.functions.withdrawalPeriodTime().call() + 60)
    node.call("evm_mine")
    fails_with(sfc.functions.withdraw(1, 7), "NotEnoughEpochsPassed", erin)
    node.call("sonic_sealEpoch", consts.functions.withdrawalPeriodEpochs().call())
    balance = chain.eth.get_balance(erin)
    receipt = transact(chain, sfc.functions.withdraw(1, 7), erin)
    event = sfc.events.Withdrawn().process_receipt(receipt)[0]["args"]
    assert (event["wrID"], event["amount"], event["penalty"]) == (7, 100 * S, 0)
    assert chain.eth.get_balance(erin) == balance + 100 * S - receipt.gasUsed * receipt.effectiveGasPrice
    assert sfc.functions.getWithdrawalRequest(erin, 1, 7).call() == [0, 0, 0]
    fails_with(sfc.functions.undelegate(1, 9, 0), "ZeroAmount", erin)


def test_only_the_node_driver_seals(chain, sfc):
    with pytest.raises((ContractCustomError, ContractLogicError)) as failure:
        sfc.functions.sealEpochValidators([1]).call({"from": chain.eth.accounts[0]})
    assert failure.value.data == custom_error("NotDriverAuth")


def test_epoch_snapshot_records_each_seal(node, chain, sfc):
    node.call("sonic_sealEpoch")
    sealed = sfc.functions.currentSealedEpoch().call()
    end_time, end_block, _, reward_per_second, total_stake, _ = sfc.functions.getEpochSnapshot(sealed).call()
    block = chain.eth.get_block("latest")
    assert (end_time, end_block) == (block.timestamp, block.number)
    assert reward_per_second == 10**16 and total_stake > 0
    assert sfc.functions.getEpochValidatorIDs(sealed + 1).call() == [1, 2, 3]
