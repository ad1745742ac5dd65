"""The live dashboard's per-address feed through nginx: a page waiting on an address is
answered the moment the indexer records a transfer to it, with the transaction's hash, and the
balance it then reads is the new one."""

import secrets
import threading
import time

import pytest
from eth_account import Account

from figures import figure
from stack import DEV_KEY, Stack

S = 10**18
SENDER = Account.from_key(DEV_KEY).address


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("feed")).start(contracts=True, sync=True)
    yield running
    running.stop()


def test_a_waiting_page_is_answered_when_s_arrives_and_reads_the_new_balance(stack):
    address = Account.create().address  # nobody's: nothing happened to it yet
    before = stack.get(f"/api/balance/{address}").json()["native"]["balance"]
    start = stack.get(f"/api/feed/{address}")
    assert start.status == 200 and start.json()["changes"] == []
    cursor = start.json()["cursor"]

    answers = []
    waiting = threading.Thread(target=lambda: answers.append(stack.get(f"/api/feed/{address}?after={cursor}&wait=30")))
    waiting.start()
    time.sleep(0.5)  # parked by now
    assert not answers
    sent = time.monotonic()
    tx_hash = stack.rpc("eth_sendTransaction", {"from": SENDER, "to": address, "value": hex(5 * S // 2)})
    waiting.join(35)
    answered = time.monotonic() - sent
    assert answers and answers[0].status == 200, answers
    changes = answers[0].json()["changes"]
    assert [change["hash"] for change in changes] == [tx_hash.lower()]
    assert answers[0].json()["cursor"] == changes[-1]["seq"] > cursor
    assert answered < 10  # the indexer's poll and the feed's, not the 30 s wait
    figure("live feed: a transfer to a waiting page", f"answered {answered * 1000:.0f} ms after it was sent")
    # Nothing cached stands in the way: the balance read now is the new one.
    assert int(stack.get(f"/api/balance/{address}").json()["native"]["balance"]) == int(before) + 5 * S // 2

    # The next wait from the new cursor waits again (here: until its short wait ends, empty).
    again = stack.get(f"/api/feed/{address}?after={answers[0].json()['cursor']}&wait=1")
    assert again.status == 200 and again.json()["changes"] == []


def test_bad_feed_requests_are_refused_naming_the_field(stack):
    address = Account.create().address
    for query, field in (("after=-5", "after"), ("after=1&wait=600", "wait"), ("after=" + secrets.token_hex(40), "after")):
        answer = stack.get(f"/api/feed/{address}?{query}")
        assert answer.status == 400 and answer.json()["field"] == field, (query, answer.body)
    assert stack.get("/api/feed/0xnothex").json()["field"] == "address"
