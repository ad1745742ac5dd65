"""The node stops answering under load, then comes back: balances are served stale with their
age and then refused with 503 and Retry-After, sends are refused clearly, and the tracked
transactions and the indexer carry on by themselves once the node answers again.

The devnet is frozen with SIGSTOP (it keeps its connections and its chain, but answers nothing,
as a hung node does) and resumed with SIGCONT. A node that is stopped outright (connections
refused) is covered by test_health.py and test_api.py.
"""

import signal
import threading
import time
from collections import Counter

import pytest
from eth_account import Account

from figures import figure
from stack import DEV_KEY, Stack, wait_until

ALICE = Account.from_key(DEV_KEY)
OUTAGE_SECONDS = 7  # past the test stack's SONIC_MAX_STALENESS (4 s)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("outage"), nginx_rate="100000r/s").start(sync=True)  # one client, many requests
    yield running
    running.stop()


def signed_transfer(stack, nonce: int, to: str, value: int) -> tuple[str, str]:
    fields = {"to": to, "value": value, "data": "0x", "nonce": nonce, "gas": 21_000, "maxFeePerGas": 200 * 10**9,
              "maxPriorityFeePerGas": 10**9, "chainId": 31337, "type": 2}
    signed = Account.sign_transaction(fields, DEV_KEY)
    return "0x" + signed.raw_transaction.hex(), "0x" + signed.hash.hex()


def test_a_frozen_node_degrades_the_service_and_everything_resumes_by_itself(stack):
    readers = [Account.create().address for _ in range(3)] + [ALICE.address]
    for address in readers:
        assert stack.get(f"/api/balance/{address}").json()["stale"] is False
    stack.rpc("eth_sendTransaction", {"from": ALICE.address, "to": readers[0], "value": hex(10**15)})
    stack.wait_indexed()

    # A transfer the wallet will broadcast itself once the node is back: tracked from now on.
    nonce = int(stack.rpc("eth_getTransactionCount", ALICE.address, "pending"), 16)
    later_raw, later_hash = signed_transfer(stack, nonce + 1, Account.create().address, 10**15)
    assert stack.post_json("/api/tx/track", {"hash": later_hash}).json()["status"] == "pending"
    # And one to send through the API while the node is frozen.
    frozen_raw, _ = signed_transfer(stack, nonce, Account.create().address, 10**15)

    answers = {"before": [], "during": [], "after": []}
    phase = ["before"]
    stop = threading.Event()

    def read_balances(index):
        while not stop.is_set():
            address = readers[index % len(readers)]
            started = time.monotonic()
            answer = stack.get(f"/api/balance/{address}")
            body = answer.json()
            answers[phase[0]].append((answer.status, body.get("stale"), body.get("age_seconds"), answer.headers.get("Retry-After"),
                                      time.monotonic() - started))
            index += 1

    workers = [threading.Thread(target=read_balances, args=(i,)) for i in range(6)]
    for worker in workers:
        worker.start()
    try:
        wait_until(lambda: len(answers["before"]) >= len(workers), 10, f"{len(workers)} balance answers before the freeze")
        stack.devnet.send_signal(signal.SIGSTOP)
        phase[0] = "during"
        frozen_at = time.monotonic()
        sent = stack.post_json("/api/tx/send", {"raw": frozen_raw})
        # The outage lasts OUTAGE_SECONDS, the subject of this test: not a wait.
        time.sleep(max(0, OUTAGE_SECONDS - (time.monotonic() - frozen_at)))
    finally:
        stack.devnet.send_signal(signal.SIGCONT)
    resumed_at = time.monotonic()
    phase[0] = "after"
    # The node answers again: the balances are fresh within a few seconds.
    wait_until(lambda: any(status == 200 and stale is False for status, stale, *_ in answers["after"]), 15, "fresh balances")
    stop.set()
    for worker in workers:
        worker.join()

    # A send while the node does not answer: 503 with a time to retry, saying what is known. It
    # may have reached the frozen node (then it is not sent again, and the answer says to check
    # its status), or not.
    assert sent.status == 503, sent.body
    assert sent.headers["Retry-After"] and sent.json()["title"] in ("Node unavailable", "Broadcast unconfirmed"), sent.body

    during = answers["during"]
    statuses = Counter(status for status, *_ in during)
    assert set(statuses) <= {200, 503}, statuses  # nothing else: no 500, no 502
    stale = [(age, elapsed) for status, is_stale, age, _, elapsed in during if status == 200 and is_stale]
    refused = [(retry, elapsed) for status, _, _, retry, elapsed in during if status == 503]
    assert stale and refused, statuses
    assert all(age >= 0 for age, _ in stale)
    assert all(retry for retry, _ in refused)
    assert all(status == 200 and is_stale is False for status, is_stale, *_ in answers["before"])

    # The wallet's own broadcast, now: the tracked transaction settles without anyone asking again.
    stack.devnet_request("eth_sendRawTransaction", [frozen_raw])  # unless the node took it when it woke
    assert "result" in stack.devnet_request("eth_sendRawTransaction", [later_raw])
    final = stack.get(f"/api/tx/{later_hash}?wait=20&since=pending").json()
    assert final["status"] == "confirmed", final
    settled_after = time.monotonic() - resumed_at
    # And the indexer has carried on to the head, the transfer in the history.
    head = stack.wait_indexed(60)
    history = stack.get(f"/api/history/{ALICE.address}?limit=5").json()
    assert later_hash in [entry["hash"] for entry in history["entries"]]
    slowest = max(elapsed for *_, elapsed in during)
    figure(f"the node frozen {OUTAGE_SECONDS} s under load (6 balance readers)",
           f"{len(during)} answers: {len(stale)} stale with their age, {len(refused)} 503 with Retry-After, none else "
           f"(slowest {slowest:.1f} s); the send refused 503; tracked transfer confirmed {settled_after:.1f} s after the "
           f"node returned; indexer at head {head}")
