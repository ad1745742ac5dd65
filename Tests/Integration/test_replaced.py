"""A transaction replaced in the wallet (issue 21): the devnet holds what it is sent, the wallet
sends again with the same nonce and a higher fee (a speed-up, or a cancel: nothing sent to
itself), a block is mined; the API says the first was replaced (or cancelled) and by which hash,
and follows the new one to confirmed. Nothing marks it dropped.

Development account 4 sends here: no other test of this stack's devnet writes its history."""

import re
import sqlite3

import pytest
from eth_account import Account

from stack import Stack, wait_until

MNEMONIC = "test test test test test test test test test test test junk"
Account.enable_unaudited_hdwallet_features()
WALLET = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/4")
FRIEND = Account.create().address
CHAIN_ID = 31337
GWEI = 10**9


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("replaced")).start()
    yield running
    running.stop()


@pytest.fixture
def held(stack):
    """The devnet holds transactions pending until evm_mine, as a busy chain does for a while."""
    stack.rpc("evm_setAutomine", False)
    yield stack
    stack.rpc("evm_setAutomine", True)


def signed(stack, nonce, fee_cap, tip, to=FRIEND, value=10**15):
    tx = {"chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": value, "gas": 21000, "type": 2,
          "maxFeePerGas": fee_cap, "maxPriorityFeePerGas": tip}
    return "0x" + Account.sign_transaction(tx, WALLET.key).raw_transaction.hex()


def fees(stack):
    base = int(stack.rpc("eth_getBlockByNumber", "pending", False)["baseFeePerGas"], 16)
    return 2 * base + GWEI, GWEI


def next_nonce(stack):
    return int(stack.rpc("eth_getTransactionCount", WALLET.address, "latest"), 16)


def nonce_reads(stack):
    """How many batches of the head and senders' nonces sonic-fcgi's watcher has asked the node for."""
    text = stack.get("/metrics").body.decode()
    return sum(float(n) for n in re.findall(
        r'^sonic_rpc_calls_total\{method="eth_blockNumber\+eth_getTransactionCount",outcome="\w+"\} (\S+)$', text, re.M))


def long_poll(stack, tx_hash, answers):
    """A page's long-poll on `tx_hash` from pending, parked before the test goes on."""
    def poll():
        answers[tx_hash] = stack.get(f"/api/tx/{tx_hash}?wait=30&since=pending").json()
    return stack.start_parked(poll)


def test_a_speed_up_is_replaced_by_the_new_hash_which_is_followed_to_confirmed(held):
    stack = held
    nonce, (fee_cap, tip) = next_nonce(stack), fees(stack)
    sent = stack.post_json("/api/tx/send", {"raw": signed(stack, nonce, fee_cap, tip)}).json()
    original = sent["hash"]
    assert sent["status"] == "pending" and sent["nonce"] == nonce
    # The watcher has read the sender's nonce (twice, so after the send) while it was unused: still pending, not dropped.
    looked = nonce_reads(stack)
    wait_until(lambda: nonce_reads(stack) >= looked + 2, 10, "the watcher to read the sender's nonce")
    assert stack.get(f"/api/tx/{original}").json()["status"] == "pending"
    answers = {}
    waiter = long_poll(stack, original, answers)

    # The wallet speeds it up on its own (not through us): same nonce, 10 % more on both fees.
    faster = stack.rpc("eth_sendRawTransaction", signed(stack, nonce, fee_cap * 2, tip * 2))
    assert stack.rpc("eth_getTransactionByHash", original) is None  # the node forgot the first
    stack.rpc("evm_mine")

    waiter.join(35)
    answer = answers[original]
    assert answer["status"] == "replaced" and answer["replaced_by"] == faster
    assert answer["reason"] == f"replaced by {faster} with the same nonce ({nonce})"
    assert stack.get(f"/api/tx/{original}").json()["status"] == "replaced"
    # The new one is tracked and followed: a long-poll on it ends confirmed with its block and fee.
    wait_until(lambda: stack.get(f"/api/tx/{faster}").json()["status"] == "confirmed", 10, "the replacement confirmed")
    confirmed = stack.get(f"/api/tx/{faster}").json()
    receipt = stack.rpc("eth_getTransactionReceipt", faster)
    assert confirmed["block"] == int(receipt["blockNumber"], 16)
    assert int(confirmed["fee_wei"]) == int(receipt["gasUsed"], 16) * int(receipt["effectiveGasPrice"], 16)
    assert stack.rpc("eth_getTransactionReceipt", original) is None


def test_a_cancel_broadcast_by_the_wallet_and_tracked_by_hash_is_cancelled(held):
    stack = held
    nonce, (fee_cap, tip) = next_nonce(stack), fees(stack)
    # Broadcast by the wallet itself, then only tracked here by hash (the chat card's way).
    original = stack.rpc("eth_sendRawTransaction", signed(stack, nonce, fee_cap, tip))
    assert stack.post_json("/api/tx/track", {"hash": original}).json()["status"] == "pending"
    # The watcher learns its sender and nonce from the node before it is replaced.
    wait_until(lambda: stack.get(f"/api/tx/{original}").json()["status"] == "pending" and learned(stack, original), 10,
               "the watcher to learn the sender")
    answers = {}
    waiter = long_poll(stack, original, answers)
    cancel = stack.rpc("eth_sendRawTransaction", signed(stack, nonce, fee_cap * 2, tip * 2, to=WALLET.address, value=0))
    stack.rpc("evm_mine")
    waiter.join(35)
    answer = answers[original]
    assert answer["status"] == "cancelled" and answer["replaced_by"] == cancel
    wait_until(lambda: stack.get(f"/api/tx/{cancel}").json()["status"] == "confirmed", 10, "the cancel confirmed")


def learned(stack, tx_hash):
    """Whether the tracked row of `tx_hash` holds the wallet as its sender (read as another process would)."""
    with sqlite3.connect(stack.db_path) as db:
        row = db.execute("SELECT sender, nonce FROM tracked_transaction WHERE hash = ?", (tx_hash,)).fetchone()
    return row is not None and row[0] is not None and row[0].lower() == WALLET.address.lower()


def test_an_underpriced_replacement_is_refused_and_the_first_confirms(held):
    stack = held
    nonce, (fee_cap, tip) = next_nonce(stack), fees(stack)
    original = stack.post_json("/api/tx/send", {"raw": signed(stack, nonce, fee_cap, tip)}).json()["hash"]
    refused = stack.devnet_request("eth_sendRawTransaction", [signed(stack, nonce, fee_cap + 1, tip + 1, value=2)])
    assert refused["error"]["message"] == "replacement transaction underpriced"
    # Sent through us, the same refusal is a problem naming what happened, not a crash.
    through_us = stack.post_json("/api/tx/send", {"raw": signed(stack, nonce, fee_cap + 1, tip + 1, value=3)})
    assert through_us.status >= 400 and "underpriced" in through_us.json()["detail"]
    stack.rpc("evm_mine")
    wait_until(lambda: stack.get(f"/api/tx/{original}").json()["status"] == "confirmed", 10, "the first confirmed")
