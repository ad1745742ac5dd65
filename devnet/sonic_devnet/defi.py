"""The devnet's DeFi chain: what its genesis holds besides the development accounts, and how
tests seal the SFC's epochs.

The genesis accounts (code, every written storage slot, balances) come from `defi-genesis.json`,
which `python -m sonic_devnet.defi_build` writes by deploying and seeding the contracts on a
throw-away chain. That chain ran on a fixed clock; the storage words that hold its times are
listed in the file and moved here so that they lie just before this devnet's genesis block.

The SFC's node driver is an account of the devnet's own (not a development account): sealing an
epoch is two transactions from it in one block, as Sonic's node calls `sealEpoch` and
`sealEpochValidators` at each epoch's end.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from eth_abi import decode, encode
from eth_keys import keys
from eth_utils import function_signature_to_4byte_selector, keccak

GENESIS_FILE = Path(__file__).with_name("defi-genesis.json")


def devnet_key(name: str) -> keys.PrivateKey:
    """A key of the devnet's own actors (node driver, validators, liquidity provider), derived
    from a public phrase: devnet only, never funded anywhere else."""
    return keys.PrivateKey(keccak(text=f"smart sonic devnet {name}"))


DRIVER_KEY = devnet_key("node driver")
SEAL_GAS = 3_000_000


def load_genesis(genesis_timestamp: int, path: Path = GENESIS_FILE) -> dict:
    """The DeFi accounts for a genesis block at `genesis_timestamp`, in eth-tester's form."""
    document = json.loads(path.read_text())
    shift = genesis_timestamp - document["clock"]["end"]
    clock = {(entry["address"], entry["slot"]) for entry in document["clock"]["slots"]}
    state = {}
    for address, account in document["accounts"].items():
        storage = {}
        for slot, value in account["storage"].items():
            word = int(value, 16)
            storage[int(slot, 16)] = word + shift if (address, slot) in clock else word
        state[bytes.fromhex(address[2:])] = {
            "balance": int(account["balance"], 16),
            "nonce": account["nonce"],
            "code": bytes.fromhex(account["code"][2:]),
            "storage": storage,
        }
    return state


def addresses(path: Path = GENESIS_FILE) -> dict[str, str]:
    """Contract name → checksummed address, as the genesis file records them."""
    return json.loads(path.read_text())["contracts"]


def genesis_timestamp() -> int:
    return int(time.time())


# Sealing epochs ------------------------------------------------------------------------------


def _selector(signature: str) -> bytes:
    return function_signature_to_4byte_selector(signature)


def seal_epochs(chain, count: int, sfc_address: str | None = None) -> list[int]:
    """Seals `count` epochs of the SFC, one block each: every validator of the ending epoch was
    up for all of it (so rewards go by stake), and the validators active now make the next
    epoch. Returns the sealed epochs' numbers. The caller holds no lock; this takes the chain's."""
    from .chain import CallRequest, ChainError

    sfc = bytes.fromhex((sfc_address or addresses()["SFC"])[2:])
    driver = DRIVER_KEY.public_key.to_canonical_address()

    def read(signature: str, types: list[str], args: list, result: list[str]):
        data = _selector(signature) + encode(types, args)
        return decode(result, chain.call(CallRequest(sender=None, to=sfc, data=data), "latest"))

    sealed = []
    with chain.lock:
        auto_mine, chain.auto_mine = chain.auto_mine, False
        try:
            for _ in range(count):
                chain._refresh_pending_timestamp()
                now = chain.chain.header.timestamp
                (current_sealed,) = read("currentSealedEpoch()", [], [], ["uint256"])
                (ids,) = read("getEpochValidatorIDs(uint256)", ["uint256"], [current_sealed + 1], ["uint256[]"])
                (end_time,) = read("epochEndTime(uint256)", ["uint256"], [current_sealed], ["uint256"])
                (last_id,) = read("lastValidatorID()", [], [], ["uint256"])
                validator = ["uint256", "uint256", "address", "uint256", "uint256", "uint256", "uint256"]
                records = {i: read("getValidator(uint256)", ["uint256"], [i], validator) for i in range(1, last_id + 1)}
                active = [i for i, record in records.items() if record[0] == 0 and record[4] != 0]
                duration = max(1, now - end_time)
                zeros = [0] * len(ids)
                _send_as_driver(chain, sfc, driver, _selector("sealEpoch(uint256[],uint256[],uint256[],uint256[])")
                                + encode(["uint256[]"] * 4, [zeros, zeros, [duration] * len(ids), zeros]))
                _send_as_driver(chain, sfc, driver, _selector("sealEpochValidators(uint256[])") + encode(["uint256[]"], [active]))
                (block_hash,) = chain.mine(1)
                block = chain.block_by_hash(block_hash)
                if not all(receipt.state_root == b"\x01" for receipt in chain.receipts(block)[-2:]):
                    raise ChainError(f"sealing epoch {current_sealed + 1} failed in block {block.number}")
                sealed.append(current_sealed + 1)
        finally:
            chain.auto_mine = auto_mine
    return sealed


def _send_as_driver(chain, sfc: bytes, driver: bytes, data: bytes) -> None:
    state = chain.chain.get_vm().state
    base = chain.chain.header.base_fee_per_gas
    unsigned = chain.chain.get_transaction_builder().new_unsigned_dynamic_fee_transaction(
        chain_id=chain.chain_id, nonce=state.get_nonce(driver), max_fee_per_gas=2 * base,
        max_priority_fee_per_gas=0, gas=SEAL_GAS, to=sfc, value=0, data=data, access_list=(),
    )
    chain._apply(unsigned.as_signed_transaction(DRIVER_KEY, chain_id=chain.chain_id))
