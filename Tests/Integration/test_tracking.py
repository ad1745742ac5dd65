"""What one client may make sonic-fcgi hold and the watcher ask of the node (issue 18): hashes
the node does not know are tracked a few per client and briefly; long-polls waiting are capped
per client; the real node is asked in batches (eth_getTransactionByHash, receipts)."""

import re
import sqlite3
import time

import pytest
from eth_account import Account

from figures import figure
from stack import DEV_KEY, Stack, wait_until

ALICE = Account.from_key(DEV_KEY)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("tracking")).start()
    running.stop_fcgi()
    running.start_fcgi(SONIC_UNKNOWN_TX_PER_CLIENT="3", SONIC_UNKNOWN_TX_SECONDS="2", SONIC_LONG_POLLS_PER_CLIENT="2")
    yield running
    running.stop()


def unknown(n):
    return "0x" + format(0x5EED0000 + n, "064x")


def test_unknown_hashes_are_kept_a_few_per_client_and_briefly(stack):
    for n in range(3):
        assert stack.post_json("/api/tx/track", {"hash": unknown(n)}).json()["status"] == "pending"
    refused = stack.post_json("/api/tx/track", {"hash": unknown(3)})
    assert refused.status == 429 and refused.headers["Retry-After"] == "2"
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert "not known to the node" in refused.json()["detail"]
    # One the node knows is tracked whatever the count.
    mined = stack.rpc("eth_sendTransaction", {"from": ALICE.address, "to": Account.create().address, "value": hex(10**15)})
    assert stack.post_json("/api/tx/track", {"hash": mined}).status == 200
    wait_until(lambda: stack.get(f"/api/tx/{mined}").json()["status"] == "confirmed", 10, "the mined one confirmed")
    # After their time the unknown ones are dropped, saying why, and the client may track others.
    wait_until(lambda: all(stack.get(f"/api/tx/{unknown(n)}").json()["status"] == "dropped" for n in range(3)), 10, "unknown hashes dropped")
    assert stack.get(f"/api/tx/{unknown(0)}").json()["reason"] == "the node never knew this transaction in the 2 s it was tracked"
    assert stack.post_json("/api/tx/track", {"hash": unknown(3)}).status == 200


def test_a_client_may_have_only_so_many_long_polls_waiting(stack):
    # Pending ones to wait on, tracked as if broadcast through us (rows written as another process would).
    now = time.time()
    waiting = ["0x" + format(0xA17E0000 + n, "064x") for n in range(3)]
    with sqlite3.connect(stack.db_path) as db:
        db.executemany("INSERT INTO tracked_transaction (hash, state, created_at, updated_at) VALUES (?, 'pending', ?, ?)",
                       [(h, now, now) for h in waiting])
    answers = {}

    def poll(h):
        answers[h] = stack.get(f"/api/tx/{h}?wait=5&since=pending")

    threads = [stack.start_parked(lambda h=h: poll(h)) for h in waiting[:2]]
    third = stack.get(f"/api/tx/{waiting[2]}?wait=5&since=pending")
    assert third.status == 429 and third.json()["title"] == "Too many requests"
    assert "at most 2 requests may wait at once per client" in third.json()["detail"]
    for thread in threads:
        thread.join(10)
    assert [answers[h].status for h in waiting[:2]] == [200, 200]
    # Answered, their places are free again.
    assert stack.get(f"/api/tx/{waiting[2]}?wait=1&since=pending").status == 200


def receipt_batches(stack):
    """How many eth_getTransactionReceipt exchanges (each one batch) sonic-fcgi has made."""
    text = stack.get("/metrics").body.decode()
    return sum(float(n) for n in re.findall(r'^sonic_rpc_calls_total\{method="eth_getTransactionReceipt",outcome="\w+"\} (\S+)$', text, re.M))


def test_the_newest_of_many_pending_comes_up_and_the_node_is_asked_a_fixed_amount(stack):
    # 2,000 older pending transactions, tracked as if broadcast through us (the node knows none).
    old = time.time() - 60
    with sqlite3.connect(stack.db_path) as db:
        db.executemany("INSERT INTO tracked_transaction (hash, state, created_at, updated_at) VALUES (?, 'pending', ?, ?)",
                       [("0x" + format(0xB0B00000 + n, "064x"), old + n / 1000, old) for n in range(2_000)])
    before, started = receipt_batches(stack), time.monotonic()
    # The watcher is well into them (its walk is past the first few hundred) before ours comes.
    wait_until(lambda: receipt_batches(stack) >= before + 4, 10, "the watcher walking the 2,000")
    mined = stack.rpc("eth_sendTransaction", {"from": ALICE.address, "to": Account.create().address, "value": hex(10**15)})
    tracked = time.monotonic()
    assert stack.post_json("/api/tx/track", {"hash": mined}).json()["status"] == "pending"
    # Behind 2,000 others, 100 looked at every 0.25 s: its turn comes within 21 ticks.
    wait_until(lambda: stack.get(f"/api/tx/{mined}").json()["status"] == "confirmed", 15, "the newest tracked transaction confirmed")
    confirmed = time.monotonic()
    elapsed, batches = confirmed - started, receipt_batches(stack) - before
    figure("2,000 pending tracked, one mined tracked after them",
           f"confirmed {confirmed - tracked:.1f} s after it was tracked; {batches:.0f} receipt batches of at most 100 "
           f"in {elapsed:.1f} s ({batches / elapsed:.1f} a second)")
    assert batches / elapsed <= 5  # one batch a tick (4 a second), whatever is tracked
