"""The DeFi genesis (SFC, ConstantsManager, wS, DEX, feed at fixed addresses) and `sonic_sealEpoch`,
seen over JSON-RPC as any client sees them."""

import hashlib
import json

import pytest
from eth_abi import decode, encode
from eth_account import Account
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from conftest import DEV_KEYS, RPCFailure
from sonic_devnet import defi

GENESIS = json.loads(defi.GENESIS_FILE.read_text())
SFC = GENESIS["contracts"]["SFC"]
VALIDATOR = ["uint256", "uint256", "address", "uint256", "uint256", "uint256", "uint256"]
ROOT = defi.GENESIS_FILE.resolve().parents[2]


def read(devnet, to, signature, types=(), args=(), result=("uint256",), block="latest"):
    data = function_signature_to_4byte_selector(signature) + encode(list(types), list(args))
    return decode(list(result), bytes.fromhex(devnet.call("eth_call", {"to": to, "data": "0x" + data.hex()}, block)[2:]))


def test_development_accounts_and_blocks_are_as_before(fresh_devnet):
    assert fresh_devnet.call("eth_blockNumber") == "0x0"
    for key in DEV_KEYS:
        address = Account.from_key(key).address
        assert int(fresh_devnet.call("eth_getBalance", address, "latest"), 16) == 10_000 * 10**18
        assert fresh_devnet.call("eth_getTransactionCount", address, "latest") == "0x0"
    assert len(fresh_devnet.call("eth_accounts")) == 10


def test_contracts_have_code_and_balances_at_their_addresses(devnet):
    for name, address in GENESIS["contracts"].items():
        assert len(devnet.call("eth_getCode", address, "latest")) > 2, name
    assert GENESIS["contracts"]["SFC"] == "0xFC00FACE00000000000000000000000000000000"
    assert GENESIS["contracts"]["WrappedSonic"] == "0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"
    stakes = sum(int(v["selfStake"]) for v in GENESIS["values"]["validators"])
    assert int(devnet.call("eth_getBalance", SFC, "0x0"), 16) == stakes + int(GENESIS["values"]["rewardReserve"])
    ws = GENESIS["contracts"]["WrappedSonic"]
    assert int(devnet.call("eth_getBalance", ws, "0x0"), 16) == 2 * int(GENESIS["values"]["poolS"])


def test_times_in_genesis_storage_lie_just_before_the_genesis_block(devnet):
    genesis_time = int(devnet.call("eth_getBlockByNumber", "0x0", False)["timestamp"], 16)
    for vid in range(1, 5):
        created = read(devnet, SFC, "getValidator(uint256)", ["uint256"], [vid], VALIDATOR, "0x0")[4]
        assert genesis_time - 60 <= created <= genesis_time
    (end,) = read(devnet, SFC, "epochEndTime(uint256)", ["uint256"], [1], block="0x0")
    assert genesis_time - 60 <= end <= genesis_time
    feed = GENESIS["contracts"]["PriceFeed"]
    _, answer, _, updated, _ = read(devnet, feed, "latestRoundData()", result=["uint80", "int256", "uint256", "uint256", "uint80"], block="0x0")
    assert answer == 50_000_000 and genesis_time - 60 <= updated <= genesis_time


def test_validators_three_active_one_deactivated(devnet):
    statuses = [read(devnet, SFC, "getValidator(uint256)", ["uint256"], [v], VALIDATOR, "0x0")[0] for v in range(1, 5)]
    assert statuses == [0, 0, 0, 8]
    assert read(devnet, SFC, "getEpochValidatorIDs(uint256)", ["uint256"], [2], ["uint256[]"], "0x0") == ((1, 2, 3),)
    assert read(devnet, SFC, "currentEpoch()", block="0x0") == (2,)


def test_seal_epoch_mines_a_block_per_epoch_and_rewards_accrue(fresh_devnet):
    alice = Account.from_key(DEV_KEYS[0]).address
    delegate = "0x" + (function_signature_to_4byte_selector("delegate(uint256)") + encode(["uint256"], [1])).hex()
    fresh_devnet.call("eth_sendTransaction", {"from": alice, "to": SFC, "value": hex(1_000 * 10**18), "data": delegate})
    head = int(fresh_devnet.call("eth_blockNumber"), 16)
    (epoch,) = read(fresh_devnet, SFC, "currentEpoch()")
    assert read(fresh_devnet, SFC, "pendingRewards(address,uint256)", ["address", "uint256"], [alice, 1]) == (0,)

    fresh_devnet.call("evm_increaseTime", 100)
    assert fresh_devnet.call("sonic_sealEpoch", 2) == [hex(epoch), hex(epoch + 1)]
    assert int(fresh_devnet.call("eth_blockNumber"), 16) == head + 2
    assert read(fresh_devnet, SFC, "currentEpoch()") == (epoch + 2,)
    (rewards,) = read(fresh_devnet, SFC, "pendingRewards(address,uint256)", ["address", "uint256"], [alice, 1])
    # At least 100 s of 0.01 S a second, shared by stake (validator 1 holds 51,000 of 81,100 S),
    # 85 % to delegators, 1,000 of 51,000 S being Alice's: about 0.0105 S.
    assert 10**16 < rewards < 2 * 10**16
    assert fresh_devnet.call("eth_getTransactionCount", alice, "latest") == "0x1"


def test_seal_epoch_rejects_bad_counts(devnet):
    for bad in (0, 101, "ten", -1):
        with pytest.raises(RPCFailure) as failure:
            devnet.call("sonic_sealEpoch", bad)
        assert failure.value.error["code"] == -32602 and "count" in failure.value.error["message"]


def test_genesis_file_matches_the_contract_sources():
    """defi-genesis.json was built from today's sources: rebuild it (python -m sonic_devnet.defi_build)
    after changing a contract."""
    for name, digest in GENESIS["sources"].items():
        source = ROOT / "contracts" / f"{name}.vy"
        assert hashlib.sha256(source.read_bytes()).hexdigest() == digest, f"{source.name} changed: rebuild defi-genesis.json"
    assert GENESIS["contracts"] == {k: to_checksum_address(v) for k, v in GENESIS["contracts"].items()}
