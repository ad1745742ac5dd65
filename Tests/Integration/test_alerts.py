"""Alerts through the real stack: a Premium subscriber sets an incoming-transfer alert with a
webhook; S arrives; the webhook receives the event signed with the alert's secret, the delivery
log says delivered, and a page waiting on the address's feed learns of the alert."""

import json
import time

import pytest
from eth_account import Account

from siwe import ALICE, session_headers
from stack import wait_until
from webhooks import Receiver, check_signature, stack_with_local_webhooks

S = 10**18
BOB = Account.from_key("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")  # a funded development account


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = stack_with_local_webhooks(tmp_path_factory.mktemp("alerts"))
    yield running
    running.stop()



def test_a_subscribers_webhook_receives_a_signed_alert_when_s_arrives(stack):
    headers = session_headers(stack)
    # Without Premium, an alert may not go to a webhook.
    receiver = Receiver()
    refused = stack.post_json("/api/alerts", {"kind": "incoming", "webhook_url": receiver.url + "/hooks"}, headers)
    assert refused.status == 403 and refused.json()["title"] == "Webhooks come with Premium"

    prepared = stack.post_json("/api/subscription/prepare", {"from": ALICE.address, "months": 1}).json()
    bought = stack.rpc("eth_sendTransaction", {"from": ALICE.address, "to": prepared["tx"]["to"], "value": prepared["tx"]["value"],
                                               "data": prepared["tx"]["data"]})
    wait_until(lambda: stack.get(f"/api/subscription/{ALICE.address}").json()["active"], 20, "premium")
    made = stack.post_json("/api/alerts", {"kind": "incoming", "minimum": "1", "webhook_url": receiver.url + "/hooks"}, headers)
    assert made.status == 201, made.body
    secret = made.json()["webhook_secret"]
    assert secret.startswith("whsec_") and bought

    cursor = stack.get(f"/api/feed/{ALICE.address}").json()["cursor"]
    small = stack.rpc("eth_sendTransaction", {"from": BOB.address, "to": ALICE.address, "value": hex(S // 2)})  # under the minimum
    sent = stack.rpc("eth_sendTransaction", {"from": BOB.address, "to": ALICE.address, "value": hex(3 * S // 2)})
    started = time.monotonic()
    wait_until(lambda: receiver.received, 20, "the webhook")
    path, received_headers, body = receiver.received[0]
    assert path == "/hooks" and received_headers["Content-Type"] == "application/json"
    assert check_signature(received_headers, body, secret)
    event = json.loads(body)
    assert event["type"] == "incoming" and event["hash"] == sent.lower() and event["amount_wei"] == str(3 * S // 2)
    assert event["message"].startswith("Received 1.5 S from 0x") and event["address"] == ALICE.address
    print(f"webhook delivered {time.monotonic() - started:.2f} s after the transfer was sent")

    log = stack.get("/api/alerts/events", headers=headers).json()["events"]
    assert [entry["hash"] for entry in log] == [sent.lower()] and small  # the half S set nothing off
    wait_until(lambda: stack.get("/api/alerts/events", headers=headers).json()["events"][0]["delivery"] == "delivered", 10, "the log")
    # A page waiting on the feed was told of the alert too.
    changes = stack.get(f"/api/feed/{ALICE.address}?after={cursor}").json()["changes"]
    assert any(change["kind"] == "alert" and change["hash"] is None for change in changes)
    assert len(receiver.received) == 1  # once
