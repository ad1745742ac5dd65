"""Writes `defi-genesis.json`: the DeFi contracts of the devnet's genesis, deployed and seeded on
a throw-away chain. Run after changing a contract or a value below:

    .venv/bin/python -m sonic_devnet.defi_build      (from devnet/; compiles with contracts/compile.py)

Two throw-away chains on a fixed clock (genesis at CLOCK_START, one second per block):
1. each contract is deployed from a builder account; its runtime code and the storage its
   constructor wrote are kept;
2. a second chain starts with that code and storage at the contracts' fixed addresses, and the
   SFC's node driver, the liquidity provider and the validators act on it (genesis validators and
   their self-stake, one sealed epoch, a deactivated validator, wS wrapped, pools created and
   seeded).
Every storage slot written (py-evm's `set_storage`, watched) is copied out with the accounts'
code and balances. Words holding a time of the throw-away clock are listed, so that the devnet
moves them to just before its own genesis.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from eth.vm.state import BaseState
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address, to_wei

from .chain import CallRequest, DevChain
from .defi import DRIVER_KEY, GENESIS_FILE, devnet_key, seal_epochs

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
CLOCK_START = 1_600_000_000
S = 10**18

OWNER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # development account 0 owns what tests may change
ADDRESSES = {
    "SFC": "0xFC00FACE00000000000000000000000000000000",
    "WrappedSonic": "0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38",
    "ConstantsManager": "0xdef1000000000000000000000000000000000001",
    "DexFactory": "0xdef1000000000000000000000000000000000002",
    "DexRouter": "0xdef1000000000000000000000000000000000003",
    "SUSD": "0xdef1000000000000000000000000000000000004",
    "STT": "0xdef1000000000000000000000000000000000005",
    "PriceFeed": "0xdef1000000000000000000000000000000000006",
    "DexPair": "0xdef1000000000000000000000000000000000007",
}

# The devnet's values: small enough for tests, read at run time by clients.
CONSTANTS = {
    "minSelfStake": 100 * S,
    "maxDelegatedRatio": 16 * S,  # received stake ≤ 16 × self-stake
    "validatorCommission": 15 * S // 100,
    "withdrawalPeriodEpochs": 2,
    "withdrawalPeriodTime": 3_600,
    "baseRewardPerSecond": S // 100,  # 0.01 S a second, shared by stake
}
VALIDATORS = [  # (id, self-stake, deactivated with status)
    (1, 50_000 * S, None),
    (2, 30_000 * S, None),
    (3, 100 * S, None),  # small: its delegation limit (1,600 S) is within a test's reach
    (4, 1_000 * S, 1 << 3),  # offline since epoch 1
]
REWARD_RESERVE = 1_000_000 * S
DRIVER_BALANCE = 1_000 * S
POOL_S = 100_000 * S
POOLS = {"SUSD": 50_000 * 10**6, "STT": 1_000_000 * S}  # 1 S = 0.50 SUSD, 1 S = 10 STT
FEED_ANSWER = 50_000_000  # 0.50 USD with 8 decimals


class StorageWatch:
    """Records every (address, slot) that py-evm's state writes."""

    def __init__(self):
        self.written: set[tuple[bytes, int]] = set()
        self._original = BaseState.set_storage

    def __enter__(self):
        watch = self

        def set_storage(state, address, slot, value):
            watch.written.add((bytes(address), slot))
            return watch._original(state, address, slot, value)

        BaseState.set_storage = set_storage
        return self

    def __exit__(self, *exc):
        BaseState.set_storage = self._original

    def slots(self, address: bytes) -> list[int]:
        return sorted(slot for owner, slot in self.written if owner == address)


def artifact(name: str) -> dict:
    return json.loads((CONTRACTS / "build" / f"{name}.json").read_text())


def fixed_clock_chain(state: dict, actors) -> DevChain:
    chain = DevChain(genesis_state=state, genesis_timestamp=CLOCK_START)
    chain.now = lambda: CLOCK_START  # each block one second after its parent
    for key in actors:
        chain.keys[key.public_key.to_canonical_address()] = key
    return chain


def send(chain: DevChain, key, to: str | None, data: bytes = b"", value: int = 0):
    sender = key.public_key.to_canonical_address()
    tx_hash = chain.send_from_account(CallRequest(
        sender=sender, to=None if to is None else bytes.fromhex(to[2:]), value=value, data=data,
        gas=8_000_000, max_fee_per_gas=10**12, max_priority_fee_per_gas=0))
    block, index, _ = chain.find_transaction(tx_hash)
    receipt = chain.receipts(block)[index]
    if receipt.state_root != b"\x01":
        raise RuntimeError(f"a build transaction to {to} failed")
    return block.transactions[index]


def call_data(signature: str, types: list[str], args: list) -> bytes:
    return function_signature_to_4byte_selector(signature) + encode(types, args)


def constructor_arguments(driver: str, total_supply: int) -> dict[str, tuple[list[str], list]]:
    c = CONSTANTS
    return {
        "ConstantsManager": (
            ["address", "uint256", "uint256", "uint256", "uint256", "uint256", "uint256"],
            [OWNER, c["minSelfStake"], c["maxDelegatedRatio"], c["validatorCommission"],
             c["withdrawalPeriodEpochs"], c["withdrawalPeriodTime"], c["baseRewardPerSecond"]]),
        "SFC": (["uint256", "uint256", "address", "address", "address"],
                [0, total_supply, driver, ADDRESSES["ConstantsManager"], OWNER]),
        "WrappedSonic": ([], []),
        "DexPair": ([], []),
        "DexFactory": (["address"], [ADDRESSES["DexPair"]]),
        "DexRouter": (["address", "address"], [ADDRESSES["DexFactory"], ADDRESSES["WrappedSonic"]]),
        "SUSD": (["string", "string", "uint8", "address[]", "uint256"],
                 ["Sonic USD", "SUSD", 6, [LIQUIDITY_ADDRESS], POOLS["SUSD"]]),
        "STT": (["string", "string", "uint8", "address[]", "uint256"],
                ["Sonic Test Token", "STT", 18, [LIQUIDITY_ADDRESS], POOLS["STT"]]),
        "PriceFeed": (["address", "uint8", "string", "int256"], [OWNER, 8, "S / USD", FEED_ANSWER]),
    }


BUILDER_KEY = devnet_key("builder")
LIQUIDITY_KEY = devnet_key("liquidity")
LIQUIDITY_ADDRESS = to_checksum_address(LIQUIDITY_KEY.public_key.to_canonical_address())
VALIDATOR_KEYS = {vid: devnet_key(f"validator {vid}") for vid, _, _ in VALIDATORS}


def deploy_all(total_supply: int, driver: str) -> dict[str, tuple[bytes, dict[int, int]]]:
    """Phase 1: runtime code and constructor-written storage of each contract."""
    builder = BUILDER_KEY.public_key.to_canonical_address()
    chain = fixed_clock_chain({builder: _account(10**9 * S)}, [BUILDER_KEY])
    placed = {}
    for name, (types, args) in constructor_arguments(driver, total_supply).items():
        build = artifact("TestToken" if name in POOLS else name)
        with StorageWatch() as watch:
            tx = send(chain, BUILDER_KEY, None, bytes.fromhex(build["bytecode"][2:]) + encode(types, args))
        address = _created_address(builder, tx.nonce)
        state = chain.chain.get_vm().state
        placed[name] = (state.get_code(address), {s: state.get_storage(address, s) for s in watch.slots(address)})
    return placed


def build() -> dict:
    subprocess.run([sys.executable, str(CONTRACTS / "compile.py")], check=True)
    driver = to_checksum_address(DRIVER_KEY.public_key.to_canonical_address())
    stakes = sum(stake for _, stake, _ in VALIDATORS)
    sfc_balance = stakes + REWARD_RESERVE
    total_supply = 10 * 10_000 * S + sfc_balance + DRIVER_BALANCE + 2 * POOL_S
    placed = deploy_all(total_supply, driver)

    # Phase 2: the contracts at their addresses, and the actors seeding them.
    state = {_raw(ADDRESSES[name]): _account(0, code, storage, nonce=1) for name, (code, storage) in placed.items()}
    state[_raw(ADDRESSES["SFC"])]["balance"] = sfc_balance
    state[_raw(driver)] = _account(DRIVER_BALANCE + 10 * S)
    state[_raw(LIQUIDITY_ADDRESS)] = _account(2 * POOL_S + 10 * S)
    chain = fixed_clock_chain(state, [DRIVER_KEY, LIQUIDITY_KEY])
    sfc, ws, factory = ADDRESSES["SFC"], ADDRESSES["WrappedSonic"], ADDRESSES["DexFactory"]
    with StorageWatch() as watch:
        for vid, stake, _ in VALIDATORS:
            key = VALIDATOR_KEYS[vid]
            auth = key.public_key.to_canonical_address()
            pubkey = b"\xc0\x04" + key.public_key.to_bytes()
            send(chain, DRIVER_KEY, sfc, call_data("setGenesisValidator(address,uint256,bytes,uint256)",
                                                   ["address", "uint256", "bytes", "uint256"], [auth, vid, pubkey, CLOCK_START]))
            send(chain, DRIVER_KEY, sfc, call_data("setGenesisDelegation(address,uint256,uint256)",
                                                   ["address", "uint256", "uint256"], [auth, vid, stake]))
        send(chain, DRIVER_KEY, sfc, call_data("sealEpochValidators(uint256[])", ["uint256[]"], [[v for v, _, _ in VALIDATORS]]))
        for vid, _, status in VALIDATORS:
            if status is not None:
                send(chain, DRIVER_KEY, sfc, call_data("deactivateValidator(uint256,uint256)", ["uint256", "uint256"], [vid, status]))
        seal_epochs(chain, 1, sfc_address=sfc)

        send(chain, LIQUIDITY_KEY, ws, call_data("deposit()", [], []), value=2 * POOL_S)
        pairs = {}
        for symbol, amount in POOLS.items():
            send(chain, LIQUIDITY_KEY, factory, call_data("createPair(address,address)", ["address", "address"], [ws, ADDRESSES[symbol]]))
            (pair,) = _read(chain, factory, "getPair(address,address)", ["address", "address"], [ws, ADDRESSES[symbol]], ["address"])
            pairs[f"Pair wS/{symbol}"] = to_checksum_address(pair)
            send(chain, LIQUIDITY_KEY, ws, call_data("transfer(address,uint256)", ["address", "uint256"], [pair, POOL_S]))
            send(chain, LIQUIDITY_KEY, ADDRESSES[symbol], call_data("transfer(address,uint256)", ["address", "uint256"], [pair, amount]))
            send(chain, LIQUIDITY_KEY, pair, call_data("mint(address)", ["address"], [LIQUIDITY_ADDRESS]))

    end = chain.chain.get_canonical_head().timestamp
    contracts = {name: to_checksum_address(address) for name, address in {**ADDRESSES, **pairs}.items()}
    vm_state = chain.chain.get_vm().state
    accounts, clock = {}, []
    for name, checksummed in contracts.items():
        raw = _raw(checksummed)
        slots = sorted(set(watch.slots(raw)) | set(placed.get(name, (b"", {}))[1]))
        storage = {}
        for slot in slots:
            value = vm_state.get_storage(raw, slot)
            if value:
                storage[hex(slot)] = hex(value)
                if CLOCK_START <= value <= end:
                    clock.append({"address": checksummed.lower(), "slot": hex(slot)})
        accounts[checksummed.lower()] = {
            "balance": hex(vm_state.get_balance(raw)), "nonce": 1, "code": "0x" + vm_state.get_code(raw).hex(),
            "storage": storage,
        }
    accounts[driver.lower()] = {"balance": hex(DRIVER_BALANCE), "nonce": 0, "code": "0x", "storage": {}}
    sources = sorted({"TestToken" if n in POOLS else n for n in ADDRESSES})
    return {
        "generatedBy": "devnet: python -m sonic_devnet.defi_build",
        "compiler": artifact("SFC")["compiler"],
        "sources": {n: hashlib.sha256((CONTRACTS / f"{n}.vy").read_bytes()).hexdigest() for n in sources},
        "contracts": contracts,
        "actors": {"nodeDriver": driver, "owner": OWNER, "liquidityProvider": LIQUIDITY_ADDRESS,
                   "validators": {str(v): to_checksum_address(k.public_key.to_canonical_address()) for v, k in VALIDATOR_KEYS.items()}},
        "values": {**{k: str(v) for k, v in CONSTANTS.items()},
                   "validators": [{"id": v, "selfStake": str(s), "status": st or 0} for v, s, st in VALIDATORS],
                   "rewardReserve": str(REWARD_RESERVE), "poolS": str(POOL_S),
                   "pools": {k: str(v) for k, v in POOLS.items()}, "feedAnswer": FEED_ANSWER, "feedDecimals": 8},
        "clock": {"start": CLOCK_START, "end": end, "slots": clock},
        "accounts": accounts,
    }


def _read(chain, to: str, signature: str, types, args, result):
    from eth_abi import decode
    output = chain.call(CallRequest(sender=None, to=_raw(to), data=call_data(signature, types, args)), "latest")
    return decode(result, output)


def _account(balance: int, code: bytes = b"", storage: dict | None = None, nonce: int = 0) -> dict:
    return {"balance": balance, "nonce": nonce, "code": code, "storage": storage or {}}


def _raw(address: str) -> bytes:
    return bytes.fromhex(address[2:])


def _created_address(sender: bytes, nonce: int) -> bytes:
    import rlp
    from eth_utils import keccak
    return keccak(rlp.encode([sender, nonce]))[12:]


def main() -> int:
    document = build()
    GENESIS_FILE.write_text(json.dumps(document, indent=1) + "\n")
    print(f"defi_build: wrote {GENESIS_FILE.name}: {len(document['accounts'])} accounts, "
          f"{sum(len(a['storage']) for a in document['accounts'].values())} storage slots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
