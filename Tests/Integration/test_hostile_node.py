"""A node that misbehaves, behind an RPC URL that carries a key: sonic-fcgi must never show the
URL in an answer or a log line (only its scheme and host in logs), and must never fall over on
what the node answers."""

import json
import threading

import pytest
from eth_account import Account

from fakes import JSONHandler, serve
from stack import DEV_KEY, Stack, free_port, wait_until

SECRET = "SECRETKEY0123456789"
ALICE = Account.from_key(DEV_KEY).address
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


class HostileNode(JSONHandler):
    """JSON-RPC over HTTP. `answers` maps a method to its result, or to ("error", message);
    methods not in it answer an error whose message quotes the keyed URL."""

    answers: dict = {}
    calls: list = []
    url = ""
    lock = threading.Lock()

    def do_POST(self):
        request = json.loads(self.body() or b"null")
        calls = request if isinstance(request, list) else [request]
        replies = [self.reply(call) for call in calls if isinstance(call, dict)]
        self.answer(200, replies if isinstance(request, list) else replies[0])

    def reply(self, call):
        self.calls.append(call.get("method"))
        answer = self.answers.get(call.get("method"), ("error", f"internal failure at {self.url}/debug"))
        base = {"jsonrpc": "2.0", "id": call.get("id")}
        if isinstance(answer, tuple):
            return {**base, "error": {"code": -32000, "message": answer[1]}}
        return {**base, "result": answer}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("hostile"))
    server, base = serve(HostileNode)
    HostileNode.url = f"{base}/v1/{SECRET}"
    closed = f"http://127.0.0.1:{free_port()}/v1/{SECRET}"
    running.keyed_urls = f"{closed},{HostileNode.url}"
    try:
        running.start_nginx()
        yield running
    finally:
        running.stop()
        server.shutdown()


def start(stack, answers):
    """sonic-fcgi on the hostile node (after a closed port, both URLs keyed), answering `answers`."""
    HostileNode.answers = answers
    if stack.fcgi:
        stack.stop_fcgi()
    stack.start_fcgi(SONIC_RPC_URLS=stack.keyed_urls, SONIC_RPC_TIMEOUT="1")


def raw_transfer(nonce=0):
    fields = {"to": BOB, "value": 1, "data": "0x", "nonce": nonce, "gas": 21000, "maxFeePerGas": 10**9,
              "maxPriorityFeePerGas": 10**9, "chainId": 31337, "type": 2}
    return "0x" + Account.sign_transaction(fields, DEV_KEY).raw_transaction.hex().removeprefix("0x")


def every_route(stack):
    """One request to each route of the table (docs/openapi.yaml), as a client would send it."""
    tx_hash = "0x" + "ab" * 32
    yield stack.get("/api/health")
    yield stack.get("/api/network")
    yield stack.get(f"/api/balance/{ALICE}?tokens=S")
    yield stack.get(f"/api/history/{ALICE}")
    yield stack.get(f"/api/history/{ALICE}/balance-series?days=7")
    yield stack.get("/api/network/fees?blocks=5")
    yield stack.post_json("/api/tx/prepare", {"from": ALICE, "to": BOB, "amount": "1"})
    yield stack.post_json("/api/tx/send", {"raw": raw_transfer()})
    yield stack.post_json("/api/tx/track", {"hash": tx_hash})
    yield stack.get(f"/api/tx/{tx_hash}")
    yield stack.post_json("/api/subscription/prepare", {"from": ALICE, "months": 1})
    yield stack.get(f"/api/subscription/{ALICE}")
    yield stack.get("/api/auth/nonce")
    yield stack.post_json("/api/auth/verify", {"message": "x", "signature": "0x" + "11" * 65})
    yield stack.post_json("/api/auth/logout", {})
    yield stack.get("/api/auth/me")
    yield stack.post_json("/api/agent", {"message": f"what is the balance of {ALICE}?"})
    yield stack.post_json("/api/nft/prepare-mint", {"token_uri": "ipfs://bafy", "from": ALICE})
    yield stack.get(f"/api/nft/{ALICE}")
    yield stack.get("/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")


def assert_no_secret(stack, answers):
    for answer in answers:
        text = answer.body.decode(errors="replace") + "".join(f"{k}: {v}\n" for k, v in answer.headers.items())
        assert SECRET not in text and "/v1/" not in text, text
    log = (stack.dir / "var/log/sonic-fcgi.log").read_text()
    assert SECRET not in log and "/v1/" not in log, [line for line in log.splitlines() if SECRET in line or "/v1/" in line][:3]


def test_a_keyed_rpc_url_is_in_no_answer_and_no_log_line(stack):
    start(stack, {"eth_chainId": "0x7a69", "eth_blockNumber": "0x10",
                  "eth_sendRawTransaction": ("error", f"nonce too low (see {HostileNode.url}/nonce)")})
    answers = list(every_route(stack))
    statuses = [answer.status for answer in answers]
    assert 409 in statuses  # the node's "nonce too low" for the broadcast, its URL left out
    assert all(status < 500 or status in (502, 503) for status in statuses), statuses
    assert_no_secret(stack, answers)


HUGE = "0x" + "f" * 64  # 2^256 - 1
MAX64 = "0xffffffffffffffff"  # 2^64 - 1: fits a UInt64, not the Int64 SQLite stores
EXTREME = {
    "eth_chainId": "0x7a69",
    "eth_blockNumber": HUGE,
    "eth_getBalance": "0x" + "f" * 65,  # beyond 256 bits
    "eth_getTransactionCount": "0xffffffffffffffff",
    "eth_estimateGas": "0x7fffffffffffffff",
    "eth_gasPrice": HUGE,
    "eth_maxPriorityFeePerGas": "-0x1",
    "eth_feeHistory": {"oldestBlock": HUGE, "baseFeePerGas": [HUGE, HUGE], "gasUsedRatio": [1e308], "reward": [[HUGE]]},
    "eth_call": "0x" + "ff" * 32,
    "eth_getTransactionReceipt": {"transactionHash": "0x" + "ab" * 32, "blockHash": "0x" + "11" * 32, "blockNumber": MAX64,
                                  "from": ALICE.lower(), "to": None, "gasUsed": MAX64, "effectiveGasPrice": HUGE,
                                  "contractAddress": None, "logs": [], "status": "0x1"},
    "eth_getTransactionByHash": None,
    "eth_sendRawTransaction": "0x" + "ab" * 32,
}


def test_a_node_answering_extreme_values_gets_errors_not_a_crash(stack):
    """2^256 - 1 for block numbers, gas and fees, negative and over-long hex: every route answers
    (a 502 "Bad answer from the node" where it needs the value), and sonic-fcgi is still running."""
    start(stack, EXTREME)
    HostileNode.calls = []
    answers = list(every_route(stack))
    statuses = [answer.status for answer in answers]
    # The watcher has asked for the tracked transaction's receipt (2^64 - 1 for its block and gas) twice.
    wait_until(lambda: stack.fcgi.poll() is not None or HostileNode.calls.count("eth_getTransactionReceipt") >= 3, 10,
               "the watcher's receipt reads")
    assert stack.fcgi.poll() is None, "sonic-fcgi died"
    assert 500 not in statuses and all(100 <= status < 600 for status in statuses), statuses
    assert 502 in statuses
    health = stack.get("/api/health")
    assert health.status == 503 and health.json()["rpc"] == "unreachable"  # a head of 2^256 - 1 is not a head
    assert_no_secret(stack, answers)
