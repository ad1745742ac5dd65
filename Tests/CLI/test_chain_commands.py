"""The sonic command's chain part against a real devnet: deploy, reads, send, receipts."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from eth_account import Account

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "devnet"))
from sonic_devnet.testing import DEV_KEYS, Devnet  # noqa: E402

from test_sonic import sonic  # noqa: E402

KEY = DEV_KEYS[0]
ME = Account.from_key(KEY).address
OTHER = Account.from_key(DEV_KEYS[1]).address


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    subprocess.run([sys.executable, str(ROOT / "contracts" / "compile.py")], check=True)
    node = Devnet()
    deployments = tmp_path_factory.mktemp("deployments")
    output = sonic("deploy", "--rpc-url", node.url, "--private-key", KEY, "--deployments", str(deployments),
                   "--artifacts", str(ROOT / "contracts" / "build")).stdout
    record = json.loads((deployments / "devnet.json").read_text())
    yield node, record, deployments, output
    node.stop()


def run(node, *args, check=True):
    return sonic(*args, "--rpc-url", node.url, check=check)


def test_deploy_writes_every_contract_and_keeps_them_on_a_second_run(chain):
    node, record, deployments, output = chain
    assert set(record["contracts"]) == {"Multicall3", "TestToken", "SmartSonicSubscription", "SmartSonicNFT"}
    assert record["chainId"] == 31337
    for name, entry in record["contracts"].items():
        assert node.call("eth_getCode", entry["address"], "latest") != "0x", name
        assert entry["compiler"].startswith("vyper 0.4")
        assert entry["transactionHash"].startswith("0x") and entry["block"] >= 1
    again = sonic("deploy", "--rpc-url", node.url, "--private-key", KEY, "--deployments", str(deployments),
                  "--artifacts", str(ROOT / "contracts" / "build")).stdout
    assert again.count(": kept at") == 4


def test_reads(chain):
    node, record, _, _ = chain
    token = record["contracts"]["TestToken"]["address"]
    assert run(node, "chain-id").stdout.strip() == "31337"
    assert int(run(node, "block-number").stdout) >= 4
    assert int(run(node, "balance", OTHER).stdout) == int(node.call("eth_getBalance", OTHER, "latest"), 16)
    assert run(node, "balance", "--erc20", token, OTHER).stdout.strip() == str(1_000_000 * 10**6)
    assert run(node, "balance", "--erc20", token, "--ether", OTHER).stdout.strip() == "1000000.000000"
    assert int(run(node, "nonce", ME).stdout) == int(node.call("eth_getTransactionCount", ME, "pending"), 16)
    assert int(run(node, "gas-price").stdout) == int(node.call("eth_gasPrice"), 16)
    subscription = record["contracts"]["SmartSonicSubscription"]["address"]
    assert run(node, "call", subscription, "price()(uint256)").stdout.strip() == str(10**18)
    assert run(node, "call", token, "symbol()(string)").stdout.strip() == "SUSD"


def test_send_with_wait_and_the_receipt_and_transaction(chain):
    node, record, _, _ = chain
    subscription = record["contracts"]["SmartSonicSubscription"]["address"]
    result = run(node, "send", "--private-key", DEV_KEYS[1], "--value", "2ether", "--wait", subscription, "purchase(uint256)", "2")
    lines = result.stdout.splitlines()
    tx_hash = lines[0]
    receipt = json.loads("\n".join(lines[1:]))
    assert receipt["status"] == "0x1" and receipt["transactionHash"] == tx_hash
    assert run(node, "call", subscription, "is_active(address)(bool)", OTHER).stdout.strip() == "true"
    assert json.loads(run(node, "receipt", tx_hash).stdout)["blockNumber"] == receipt["blockNumber"]
    assert json.loads(run(node, "tx", tx_hash).stdout)["value"] == hex(2 * 10**18)


def test_reverting_send_reports_the_reason_and_sends_nothing(chain):
    node, record, _, _ = chain
    subscription = record["contracts"]["SmartSonicSubscription"]["address"]
    nonce = node.call("eth_getTransactionCount", OTHER, "pending")
    failed = run(node, "send", "--private-key", DEV_KEYS[1], "--value", "1ether", subscription, "purchase(uint256)", "2", check=False)
    assert failed.returncode != 0
    assert "subscription: wrong payment" in failed.stderr
    assert node.call("eth_getTransactionCount", OTHER, "pending") == nonce


def test_unknown_hash_and_missing_artifacts_are_clear(chain, tmp_path):
    node, _, _, _ = chain
    missing = run(node, "receipt", "0x" + "11" * 32, check=False)
    assert missing.returncode != 0 and "pending or unknown" in missing.stderr
    no_artifacts = sonic("deploy", "--rpc-url", node.url, "--private-key", KEY, "--deployments", str(tmp_path),
                         "--artifacts", str(tmp_path / "nowhere"), check=False)
    assert no_artifacts.returncode != 0 and "make contracts" in no_artifacts.stderr
