"""The slow-node proxy delays every call by its delay, and only once: calls in flight wait side by
side, as they would for a distant node, not one after another."""

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sonic_devnet.testing import SlowNode


def chain_id(url: str):
    request = urllib.request.Request(url, json.dumps({"jsonrpc": "2.0", "id": 7, "method": "eth_chainId", "params": []}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_each_call_answers_after_the_delay_with_the_nodes_answer(devnet):
    slow = SlowNode(devnet.url, delay_ms=200)
    try:
        started = time.monotonic()
        answer = chain_id(slow.url)
        elapsed = time.monotonic() - started
        assert answer == {"jsonrpc": "2.0", "id": 7, "result": devnet.call("eth_chainId")}
        assert elapsed >= 0.2

        # Twenty at once: about one delay in all, not twenty.
        started = time.monotonic()
        with ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(lambda _: chain_id(slow.url), range(20)))
        elapsed = time.monotonic() - started
        assert all(a["result"] == answer["result"] for a in answers)
        assert elapsed < 20 * 0.2 / 2, f"20 concurrent calls took {elapsed:.2f} s: they queued behind each other"
    finally:
        slow.stop()
