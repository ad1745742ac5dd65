"""Contract tests on the real devnet over HTTP, with web3.py."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from eth_account import Account
from web3 import Web3

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "devnet"))
from sonic_devnet.testing import DEV_KEYS, Devnet  # noqa: E402

BUILD = ROOT / "contracts" / "build"
S = 10**18


@pytest.fixture(scope="session", autouse=True)
def compiled():
    subprocess.run([sys.executable, str(ROOT / "contracts" / "compile.py")], check=True)


@pytest.fixture(scope="session")
def devnet():
    node = Devnet()
    yield node
    node.stop()


@pytest.fixture(scope="session")
def w3(devnet):
    return Web3(Web3.HTTPProvider(devnet.url))


@pytest.fixture(scope="module")
def node():
    """A devnet of the module's own, for tests that move its clock or seal epochs."""
    own = Devnet()
    yield own
    own.stop()


@pytest.fixture(scope="module")
def chain(node):
    return Web3(Web3.HTTPProvider(node.url))


@pytest.fixture(scope="session")
def accounts():
    return [Account.from_key(key).address for key in DEV_KEYS]


def deploy(w3, name, *args, sender=None):
    artifact = json.loads((BUILD / f"{name}.json").read_text())
    factory = w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    sender = sender or w3.eth.accounts[0]
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": sender}))
    assert receipt.status == 1
    return w3.eth.contract(address=receipt.contractAddress, abi=artifact["abi"])


def transact(w3, call, sender, value=0):
    """Sends a transaction and returns its receipt (status 1 asserted)."""
    receipt = w3.eth.wait_for_transaction_receipt(call.transact({"from": sender, "value": value}))
    assert receipt.status == 1
    return receipt


def time_travel(devnet, seconds):
    devnet.call("evm_increaseTime", seconds)
    devnet.call("evm_mine")
