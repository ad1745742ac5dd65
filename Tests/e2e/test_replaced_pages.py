"""A transaction replaced in the wallet, in Chromium with the test wallet (issue 21): sent from the
chat's card while the devnet holds blocks, then sped up (or cancelled) by the wallet itself with
the same nonce and a higher fee. The card, the dashboard's recent activity and the history page,
open meanwhile, say "Replaced by 0x…" (or "Cancelled by 0x…") and follow the new one to
confirmed; nothing says dropped.

Development account 4 is the wallet here: no other test of this stack writes its history."""

import re
import sqlite3

import pytest
from eth_account import Account
from eth_utils import to_checksum_address
from playwright.sync_api import expect

from conftest import ARTIFACTS, open_signed_in
from stack import wait_until

MNEMONIC = "test test test test test test test test test test test junk"
Account.enable_unaudited_hdwallet_features()
WALLET = Account.from_mnemonic(MNEMONIC, account_path="m/44'/60'/0'/0/4")
FRIEND = Account.create().address


def short(value):
    return f"{value[:6]}…{value[-4:]}"


@pytest.fixture
def held(stack):
    """Blocks are held (mined on evm_mine) from here to the end of the test."""
    yield lambda: stack.rpc("evm_setAutomine", False)
    stack.rpc("evm_setAutomine", True)


def learned(stack, tx_hash):
    """Whether the server has learned from the node who sent `tx_hash` (the card tracks it by hash)."""
    with sqlite3.connect(stack.db_path) as db:
        row = db.execute("SELECT sender FROM tracked_transaction WHERE hash = ?", (tx_hash,)).fetchone()
    return row is not None and row[0] is not None


def again(stack, original, **changes):
    """The wallet's own speed-up or cancel of `original`: its nonce, twice its fees."""
    tx = stack.rpc("eth_getTransactionByHash", original)
    fields = {"chainId": 31337, "nonce": int(tx["nonce"], 16), "to": to_checksum_address(tx["to"]), "value": int(tx["value"], 16), "gas": int(tx["gas"], 16),
              "type": 2, "maxFeePerGas": 2 * int(tx["maxFeePerGas"], 16), "maxPriorityFeePerGas": 2 * int(tx["maxPriorityFeePerGas"], 16),
              **changes}
    return stack.rpc("eth_sendRawTransaction", "0x" + Account.sign_transaction(fields, WALLET.key).raw_transaction.hex())


def live_page(chat, stack, path):
    page = chat.context.new_page()
    page.goto(stack.url + path)
    expect(page.locator("body")).to_have_attribute("data-live", "on", timeout=10_000)
    return page


def confirm_in_chat(chat, stack, hold):
    """Asks the chat for a transfer and confirms it with blocks held; the pending hash."""
    chat.get_by_label("Message").fill(f"send 1 S to {FRIEND}")
    chat.get_by_role("button", name="Send", exact=True).click()
    expect(chat.locator(".action-card .summary")).to_have_text(f"Send 1 S to {FRIEND}", timeout=10_000)
    hold()
    chat.get_by_role("button", name="Confirm in wallet").click()
    expect(chat.locator(".tx-status")).to_have_text("Pending…", timeout=10_000)
    pending = stack.rpc("eth_getBlockByNumber", "pending", True)["transactions"]
    (original,) = [tx["hash"] for tx in pending if tx["from"] == WALLET.address.lower()]
    wait_until(lambda: learned(stack, original), 10, "the server to learn the card's transaction's sender")
    return original


def test_a_speed_up_shows_as_replaced_on_every_page_and_the_new_one_confirms(stack, browser, held):
    chat = open_signed_in(browser, stack, path="/chat", account=WALLET.address)
    dashboard = live_page(chat, stack, "/")
    history = live_page(chat, stack, "/history")
    expect(history.locator("#history-meta")).to_contain_text(short(WALLET.address), timeout=10_000)
    original = confirm_in_chat(chat, stack, held)

    faster = again(stack, original)
    stack.rpc("evm_mine")

    said = f"Replaced by {short(faster)}."
    status = chat.locator(".tx-status")
    expect(status).to_have_text(re.compile(rf"^{re.escape(said)} Confirmed in block [\d,]+; fee [0-9.]+…? S at [0-9.]+…? gwei\.$"),
                                timeout=20_000)
    expect(status).to_have_class(re.compile("status-ok"))
    item = dashboard.locator(f'#activity li[data-hash="{original}"]')
    expect(item).to_contain_text(f"{said} Confirmed in block", timeout=15_000)
    expect(item).to_contain_text("Replaced")
    # The new one is indexed and listed as the transfer it is.
    expect(dashboard.locator(f'#activity li[data-hash="{faster}"]')).to_contain_text("Sent 1 S", timeout=20_000)
    # Indexed, so the chat's feed has heard of it too: one notice for the transfer that went
    # through, whichever of the card and the feed said it first.
    expect(chat.locator("#notices .notice", has_text=re.compile("^Confirmed: Sen"))).to_have_count(1)
    row = history.locator(f'#history-rows tr[data-key="{original}:replaced"]')
    expect(row).to_contain_text(said, timeout=15_000)
    expect(row.locator(".pill")).to_have_text("Replaced")
    for page in (chat, dashboard, history):
        expect(page.locator("main")).not_to_contain_text("Dropped")
    ARTIFACTS.mkdir(exist_ok=True)
    for name, page in (("chat", chat), ("dashboard", dashboard), ("history", history)):
        page.screenshot(path=str(ARTIFACTS / f"replaced-{name}.png"), full_page=True)
    chat.context.close()


def test_a_cancel_shows_as_cancelled_and_nothing_was_sent(stack, browser, held):
    chat = open_signed_in(browser, stack, path="/chat", account=WALLET.address)
    dashboard = live_page(chat, stack, "/")
    before = int(stack.rpc("eth_getBalance", FRIEND, "latest"), 16)
    original = confirm_in_chat(chat, stack, held)

    cancel = again(stack, original, to=WALLET.address, value=0)
    stack.rpc("evm_mine")

    said = f"Cancelled by {short(cancel)}, which sends nothing."
    expect(chat.locator(".tx-status")).to_have_text(re.compile(rf"^{re.escape(said)} Confirmed in block "), timeout=20_000)
    expect(chat.locator("#notices .notice", has_text="Cancelled in your wallet: Send 1 S")).to_have_count(1)
    item = dashboard.locator(f'#activity li[data-hash="{original}"]')
    expect(item).to_contain_text(f"{said} Confirmed in block", timeout=15_000)
    expect(item).to_contain_text("Cancelled")
    assert int(stack.rpc("eth_getBalance", FRIEND, "latest"), 16) == before
    chat.context.close()
