"""The pending pool: transactions held while auto-mining is off, replaced by the same sender and
nonce for a fee at least 10 % higher (a wallet's speed-up or cancel), mined by evm_mine."""

import pytest
from eth_account import Account

from conftest import KEY0, KEY1, RPCFailure

ALICE = Account.from_key(KEY0)
BOB = Account.from_key(KEY1)
CHAIN_ID = 31337
GWEI = 10**9


@pytest.fixture
def held(fresh_devnet):
    """A devnet of its own that holds what it is sent until evm_mine."""
    assert fresh_devnet.call("evm_setAutomine", False) is True
    return fresh_devnet


def send(devnet, nonce, key=KEY0, to=BOB.address, value=1, **fees):
    fees = fees or {"maxFeePerGas": 10 * GWEI, "maxPriorityFeePerGas": GWEI}
    tx = {"chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value, "gas": 21000, **fees}
    return devnet.call("eth_sendRawTransaction", "0x" + Account.sign_transaction(tx, key).raw_transaction.hex())


def nonce(devnet, tag):
    return int(devnet.call("eth_getTransactionCount", ALICE.address, tag), 16)


def balance(devnet, address):
    return int(devnet.call("eth_getBalance", address, "latest"), 16)


def test_held_transactions_wait_pending_until_evm_mine(held):
    head = held.call("eth_blockNumber")
    first = send(held, 0)
    second = send(held, 1)
    assert held.call("eth_blockNumber") == head
    assert held.call("eth_getTransactionReceipt", first) is None
    assert held.call("eth_getTransactionByHash", second)["blockNumber"] is None
    assert (nonce(held, "latest"), nonce(held, "pending")) == (0, 2)
    held.call("evm_mine")
    block = held.call("eth_getBlockByNumber", "latest", False)
    assert block["transactions"] == [first, second]
    assert held.call("eth_getTransactionReceipt", second)["status"] == "0x1"


def test_a_speed_up_replaces_the_held_transaction_and_only_it_is_mined(held):
    before = balance(held, BOB.address)
    original = send(held, 0, value=5)
    faster = send(held, 0, value=5, maxFeePerGas=11 * GWEI, maxPriorityFeePerGas=GWEI * 11 // 10)
    assert faster != original
    assert held.call("eth_getTransactionByHash", original) is None  # gone from the pool, as geth forgets it
    assert held.call("eth_getTransactionByHash", faster)["nonce"] == "0x0"
    held.call("evm_mine")
    assert held.call("eth_getBlockByNumber", "latest", False)["transactions"] == [faster]
    assert held.call("eth_getTransactionReceipt", original) is None
    assert held.call("eth_getTransactionReceipt", faster)["status"] == "0x1"
    assert balance(held, BOB.address) - before == 5  # paid once
    assert nonce(held, "latest") == 1


def test_a_cancel_to_self_replaces_it_and_later_nonces_stay_in_order(held):
    first = send(held, 0, value=7)
    second = send(held, 1, value=8)
    cancel = send(held, 0, to=ALICE.address, value=0, maxFeePerGas=20 * GWEI, maxPriorityFeePerGas=2 * GWEI)
    held.call("evm_mine")
    mined = held.call("eth_getBlockByNumber", "latest", True)["transactions"]
    assert [(tx["hash"], tx["nonce"]) for tx in mined] == [(cancel, "0x0"), (second, "0x1")]
    assert held.call("eth_getTransactionReceipt", first) is None


@pytest.mark.parametrize("fees", [
    {"maxFeePerGas": 10 * GWEI, "maxPriorityFeePerGas": 2 * GWEI},  # the fee cap not raised
    {"maxFeePerGas": 11 * GWEI - 1, "maxPriorityFeePerGas": 2 * GWEI},  # 1 wei short of 10 % more
    {"maxFeePerGas": 20 * GWEI, "maxPriorityFeePerGas": GWEI},  # the priority fee not raised
])
def test_a_replacement_without_10_percent_more_on_both_fees_is_refused(held, fees):
    original = send(held, 0)
    with pytest.raises(RPCFailure, match="replacement transaction underpriced"):
        send(held, 0, value=2, **fees)
    assert held.call("eth_getTransactionByHash", original)["hash"] == original
    held.call("evm_mine")
    assert held.call("eth_getBlockByNumber", "latest", False)["transactions"] == [original]


def test_legacy_transactions_are_replaced_by_their_gas_price(held):
    original = send(held, 0, gasPrice=2 * GWEI)
    with pytest.raises(RPCFailure, match="underpriced"):
        send(held, 0, value=2, gasPrice=2 * GWEI + 1)
    replacement = send(held, 0, value=2, gasPrice=22 * GWEI // 10)
    held.call("evm_mine")
    assert held.call("eth_getBlockByNumber", "latest", False)["transactions"] == [replacement]
    assert held.call("eth_getTransactionReceipt", original) is None


def test_a_replacement_the_sender_cannot_pay_leaves_the_pool_as_it_was(held):
    original = send(held, 0)
    everything = balance(held, ALICE.address)
    with pytest.raises(RPCFailure, match="insufficient funds"):
        send(held, 0, value=everything, maxFeePerGas=20 * GWEI, maxPriorityFeePerGas=2 * GWEI)
    held.call("evm_mine")
    assert held.call("eth_getBlockByNumber", "latest", False)["transactions"] == [original]


def test_a_mined_nonce_is_still_too_low_and_automine_comes_back(held):
    send(held, 0)
    held.call("evm_mine")
    with pytest.raises(RPCFailure, match="nonce too low"):
        send(held, 0, maxFeePerGas=100 * GWEI, maxPriorityFeePerGas=10 * GWEI)
    assert held.call("evm_setAutomine", True) is True
    mined = send(held, 1)
    assert held.call("eth_getTransactionReceipt", mined)["status"] == "0x1"


def test_set_automine_names_what_it_accepts(fresh_devnet):
    with pytest.raises(RPCFailure, match="enabled: expected true or false"):
        fresh_devnet.call("evm_setAutomine", "no")
    with pytest.raises(RPCFailure, match="missing parameter 1"):
        fresh_devnet.call("evm_setAutomine")
