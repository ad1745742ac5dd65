"""JSON-RPC 2.0 framing: batches, standard error codes, logs, snapshots, interval mining."""

from eth_account import Account
from sonic_devnet.testing import wait_until

from conftest import KEY0, KEY1
from evm_asm import deployer, log_calldata_word

ALICE = Account.from_key(KEY0)
BOB = Account.from_key(KEY1)


def test_batch_answers_each_request_by_id(devnet):
    answers = devnet.post([
        {"jsonrpc": "2.0", "id": 7, "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": 8, "method": "no_such_method"},
        {"jsonrpc": "2.0", "id": 9, "method": "eth_blockNumber"},
    ])
    by_id = {a["id"]: a for a in answers}
    assert by_id[7]["result"] == "0x7a69"
    assert by_id[8]["error"]["code"] == -32601
    assert by_id[9]["result"].startswith("0x")


def test_standard_error_codes(devnet):
    import urllib.request, json
    request = urllib.request.Request(devnet.url, b"{not json", {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["error"]["code"] == -32700
    assert devnet.post({"id": 1, "method": "eth_chainId"})["error"]["code"] == -32600
    assert devnet.post([])["error"]["code"] == -32600
    answer = devnet.request("eth_getBalance", "0x1234", "latest")
    assert answer["error"]["code"] == -32602
    assert "address" in answer["error"]["message"]


def test_logs_filtered_by_address_and_topic(devnet):
    def deploy_logger():
        tx_hash = devnet.call("eth_sendTransaction", {"from": ALICE.address, "data": "0x" + deployer(log_calldata_word()).hex()})
        return devnet.call("eth_getTransactionReceipt", tx_hash)["contractAddress"]

    first, second = deploy_logger(), deploy_logger()
    start = devnet.call("eth_blockNumber")
    topic_a, topic_b = "0x" + "aa" * 32, "0x" + "bb" * 32
    for target, topic in ((first, topic_a), (first, topic_b), (second, topic_a)):
        devnet.call("eth_sendTransaction", {"from": BOB.address, "to": target, "data": topic})

    def logs(**spec):
        return devnet.call("eth_getLogs", {"fromBlock": start, "toBlock": "latest", **spec})

    assert len(logs(address=first)) == 2
    assert [l["address"] for l in logs(topics=[topic_a])] == [first, second]
    only = logs(address=first, topics=[[topic_b]])
    assert len(only) == 1 and only[0]["topics"] == [topic_b]
    receipt = devnet.call("eth_getTransactionReceipt", only[0]["transactionHash"])
    assert receipt["logs"] == only
    assert logs(address=first, topics=["0x" + "cc" * 32]) == []


def test_snapshot_and_revert_undo_blocks_and_transactions(devnet):
    snapshot = devnet.call("evm_snapshot")
    head = devnet.call("eth_blockNumber")
    tx_hash = devnet.call("eth_sendTransaction", {"from": ALICE.address, "to": BOB.address, "value": "0x1"})
    assert devnet.call("eth_getTransactionReceipt", tx_hash) is not None
    assert devnet.call("evm_revert", snapshot) is True
    assert devnet.call("eth_blockNumber") == head
    assert devnet.call("eth_getTransactionByHash", tx_hash) is None
    assert devnet.call("eth_getTransactionReceipt", tx_hash) is None
    assert devnet.call("evm_revert", snapshot) is False


def test_interval_mining_uses_pending_nonces(interval_devnet):
    node = interval_devnet
    start = int(node.call("eth_blockNumber"), 16)
    hashes = [node.call("eth_sendTransaction", {"from": ALICE.address, "to": BOB.address, "value": "0x1"}) for _ in range(3)]
    assert node.call("eth_getTransactionReceipt", hashes[0]) is None
    assert node.call("eth_getTransactionByHash", hashes[0])["blockNumber"] is None
    assert node.call("eth_getTransactionCount", ALICE.address, "pending") == "0x3"
    wait_until(lambda: node.call("eth_getTransactionReceipt", hashes[2]), 10, "the interval miner to mine the transactions")
    receipts = [node.call("eth_getTransactionReceipt", h) for h in hashes]
    assert len({r["blockNumber"] for r in receipts}) == 1
    assert int(receipts[0]["blockNumber"], 16) > start
