"""Transfers, chain-id protection, reverts and unlocked accounts, driven by eth-account and web3.py."""

import time

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from web3 import Web3

from conftest import KEY0, KEY1, RPCFailure
from evm_asm import deployer, error_string_revert

ALICE = Account.from_key(KEY0)
BOB = Account.from_key(KEY1)
CHAIN_ID = 31337


def sign(devnet, key, **fields):
    tx = {"chainId": CHAIN_ID, "nonce": int(devnet.call("eth_getTransactionCount", Account.from_key(key).address, "pending"), 16), **fields}
    return "0x" + Account.sign_transaction(tx, key).raw_transaction.hex()


def balance(devnet, address) -> int:
    return int(devnet.call("eth_getBalance", address, "latest"), 16)


def test_dev_accounts_are_the_usual_ones_and_funded(devnet):
    accounts = devnet.call("eth_accounts")
    assert Web3.to_checksum_address(accounts[0]) == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert len(accounts) == 10
    assert devnet.call("eth_chainId") == "0x7a69"
    assert devnet.call("net_version") == "31337"
    assert balance(devnet, accounts[9]) == 10_000 * 10**18


def test_eip1559_transfer_confirms_and_moves_exact_value(devnet):
    before = balance(devnet, BOB.address)
    raw = sign(devnet, KEY0, to=BOB.address, value=123456789, gas=21000,
               maxFeePerGas=10**10, maxPriorityFeePerGas=10**9, type=2)
    tx_hash = devnet.call("eth_sendRawTransaction", raw)
    receipt = devnet.call("eth_getTransactionReceipt", tx_hash)
    assert receipt["status"] == "0x1"
    assert receipt["type"] == "0x2"
    assert int(receipt["gasUsed"], 16) == 21000
    assert balance(devnet, BOB.address) - before == 123456789
    tx = devnet.call("eth_getTransactionByHash", tx_hash)
    assert tx["from"] == ALICE.address.lower()
    assert tx["blockNumber"] == receipt["blockNumber"]
    block = devnet.call("eth_getBlockByNumber", receipt["blockNumber"], True)
    assert block["transactions"][0]["hash"] == tx_hash
    assert devnet.call("eth_getBlockByHash", block["hash"], False)["transactions"] == [tx_hash]


def test_legacy_eip155_transfer(devnet):
    gas_price = int(devnet.call("eth_gasPrice"), 16)
    raw = sign(devnet, KEY0, to=BOB.address, value=1, gas=21000, gasPrice=gas_price)
    receipt = devnet.call("eth_getTransactionReceipt", devnet.call("eth_sendRawTransaction", raw))
    assert receipt["status"] == "0x1" and receipt["type"] == "0x0"
    assert int(receipt["effectiveGasPrice"], 16) == gas_price


def test_transaction_for_another_chain_is_rejected(devnet):
    nonce = devnet.call("eth_getTransactionCount", ALICE.address, "pending")
    tx = {"chainId": 146, "nonce": int(nonce, 16), "to": BOB.address, "value": 1, "gas": 21000,
          "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    raw = "0x" + Account.sign_transaction(tx, KEY0).raw_transaction.hex()
    with pytest.raises(RPCFailure, match="chain id 146"):
        devnet.call("eth_sendRawTransaction", raw)
    assert devnet.call("eth_getTransactionCount", ALICE.address, "pending") == nonce


def test_transaction_without_replay_protection_is_rejected(devnet):
    nonce = int(devnet.call("eth_getTransactionCount", ALICE.address, "pending"), 16)
    tx = {"nonce": nonce, "to": BOB.address, "value": 1, "gas": 21000, "gasPrice": 2 * 10**9}
    raw = "0x" + Account.sign_transaction(tx, KEY0).raw_transaction.hex()
    with pytest.raises(RPCFailure, match="EIP-155"):
        devnet.call("eth_sendRawTransaction", raw)


def test_insufficient_funds_is_an_error_not_a_mined_failure(devnet):
    poor = Account.create()
    tx = {"chainId": CHAIN_ID, "nonce": 0, "to": BOB.address, "value": 1, "gas": 21000,
          "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    raw = "0x" + Account.sign_transaction(tx, poor.key).raw_transaction.hex()
    with pytest.raises(RPCFailure, match="insufficient funds"):
        devnet.call("eth_sendRawTransaction", raw)


def deploy(devnet, runtime: bytes) -> str:
    tx_hash = devnet.call("eth_sendTransaction", {"from": ALICE.address, "data": "0x" + deployer(runtime).hex()})
    receipt = devnet.call("eth_getTransactionReceipt", tx_hash)
    assert receipt["status"] == "0x1"
    assert devnet.call("eth_getCode", receipt["contractAddress"], "latest") == "0x" + runtime.hex()
    return receipt["contractAddress"]


def test_revert_reason_is_surfaced_with_code_3_and_abi_data(devnet):
    target = deploy(devnet, error_string_revert("not enough S"))
    for method, params in (("eth_call", [{"to": target, "data": "0x"}, "latest"]),
                           ("eth_estimateGas", [{"from": BOB.address, "to": target}])):
        answer = devnet.request(method, *params)
        assert answer["error"]["code"] == 3
        assert answer["error"]["message"] == "execution reverted: not enough S"
        data = bytes.fromhex(answer["error"]["data"][2:])
        assert data[:4] == bytes.fromhex("08c379a0")
        assert Web3().codec.decode(["string"], data[4:]) == ("not enough S",)


def test_mined_revert_has_status_zero(devnet):
    target = deploy(devnet, error_string_revert("nope"))
    raw = sign(devnet, KEY1, to=Web3.to_checksum_address(target), gas=100000, maxFeePerGas=10**10, maxPriorityFeePerGas=10**9)
    receipt = devnet.call("eth_getTransactionReceipt", devnet.call("eth_sendRawTransaction", raw))
    assert receipt["status"] == "0x0"


def test_call_without_from_needs_no_funds(devnet):
    target = deploy(devnet, bytes.fromhex("600160005260206000f3"))  # returns uint256(1)
    assert int(devnet.call("eth_call", {"to": target}, "latest"), 16) == 1


def test_estimate_gas_is_exact_for_a_transfer(devnet):
    assert devnet.call("eth_estimateGas", {"from": ALICE.address, "to": BOB.address, "value": "0x1"}) == hex(21000)


def test_unlocked_accounts_sign_messages_and_typed_data(devnet):
    message = b"Sign in to Smart Sonic"
    signature = devnet.call("personal_sign", "0x" + message.hex(), ALICE.address)
    assert Account.recover_message(encode_defunct(primitive=message), signature=signature) == ALICE.address
    typed = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
            "Mail": [{"name": "contents", "type": "string"}],
        },
        "primaryType": "Mail",
        "domain": {"name": "Smart Sonic", "chainId": CHAIN_ID},
        "message": {"contents": "hello"},
    }
    signature = devnet.call("eth_signTypedData_v4", ALICE.address, typed)
    assert Account.recover_message(encode_typed_data(full_message=typed), signature=signature) == ALICE.address


def test_web3_py_works_unchanged(devnet):
    w3 = Web3(Web3.HTTPProvider(devnet.url))
    assert w3.eth.chain_id == CHAIN_ID
    tx_hash = w3.eth.send_transaction({"from": ALICE.address, "to": BOB.address, "value": 5})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=10)
    assert receipt.status == 1
    fees = w3.eth.fee_history(4, "latest", [10, 90])
    assert len(fees["baseFeePerGas"]) == len(fees["gasUsedRatio"]) + 1
    assert len(fees["reward"]) == len(fees["gasUsedRatio"])


def test_block_timestamps_follow_the_wall_clock_and_increase_time(fresh_devnet):
    devnet = fresh_devnet
    devnet.call("evm_mine")
    block = devnet.call("eth_getBlockByNumber", "latest", False)
    assert abs(int(block["timestamp"], 16) - time.time()) < 5
    devnet.call("evm_increaseTime", 3600)
    devnet.call("evm_mine")
    later = devnet.call("eth_getBlockByNumber", "latest", False)
    assert int(later["timestamp"], 16) - int(block["timestamp"], 16) >= 3590  # whole seconds: the first block may run a second ahead of the clock


def test_call_runs_in_the_latest_blocks_context(devnet):
    target = deploy(devnet, bytes.fromhex("4360005260206000f3"))  # returns block.number
    devnet.call("evm_mine")  # so that the code exists at latest - 1 too
    latest = int(devnet.call("eth_blockNumber"), 16)
    assert int(devnet.call("eth_call", {"to": target}, "latest"), 16) == latest
    assert int(devnet.call("eth_call", {"to": target}, hex(latest - 1)), 16) == latest - 1


def test_duplicates_and_used_nonces_are_answered_as_geth_does(devnet):
    raw = sign(devnet, KEY0, to=BOB.address, value=1, gas=21000, maxFeePerGas=10**10, maxPriorityFeePerGas=10**9)
    devnet.call("eth_sendRawTransaction", raw)
    with pytest.raises(RPCFailure, match="already known"):
        devnet.call("eth_sendRawTransaction", raw)
    nonce = int(devnet.call("eth_getTransactionCount", ALICE.address, "pending"), 16)
    stale = {"chainId": CHAIN_ID, "nonce": nonce - 1, "to": BOB.address, "value": 2, "gas": 21000,
             "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    with pytest.raises(RPCFailure, match="nonce too low"):
        devnet.call("eth_sendRawTransaction", "0x" + Account.sign_transaction(stale, KEY0).raw_transaction.hex())
