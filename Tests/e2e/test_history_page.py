"""The History page in a real browser: the connected address's indexed transactions, filters,
paging, a failure explained, the CSV export, and a phone-width layout."""

import sqlite3

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, Stack

ME = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("e2e-history")).start(contracts=True, sync=True)
    for n in range(30):
        running.rpc("eth_sendTransaction", {"from": ME, "to": BOB, "value": hex(10**18 + n)})
    subscription = running.deployments["SmartSonicSubscription"]["address"]
    # A purchase with the wrong payment: mined, reverted.
    running.rpc("eth_sendTransaction", {"from": ME, "to": subscription, "value": "0x1", "gas": hex(200_000),
                                        "data": "0xefef39a1" + format(1, "064x")})
    running.wait_indexed()
    yield running
    running.stop()


def test_history_lists_pages_filters_and_explains_failures(stack, wallet_page):
    wallet_page.goto(stack.url + "/")
    wallet_page.get_by_role("button", name="Connect wallet").click()
    expect(wallet_page.locator("#wallet-button")).to_have_text("0xf39F…2266", timeout=10_000)
    wallet_page.get_by_role("navigation").get_by_role("link", name="History").click()
    expect(wallet_page.get_by_label("Address")).to_have_value(ME, timeout=10_000)
    rows = wallet_page.locator("#history-rows tr")
    expect(rows).to_have_count(25, timeout=10_000)
    # Newest first: the failed purchase, with its reason.
    first = rows.first
    expect(first.locator(".pill")).to_have_text("Failed")
    expect(first.locator(".reason")).to_have_text("subscription: wrong payment")
    expect(rows.nth(1).locator("[data-label=Amount]")).to_have_text("↑Sent 1… S")
    expect(rows.nth(1).locator("[data-label=Amount] .amount")).to_have_attribute("title", "1.000000000000000029 S")
    wallet_page.get_by_role("button", name="Load older").click()
    expect(rows).to_have_count(36)  # 31 of ours + 5 deployments
    expect(wallet_page.get_by_role("button", name="Load older")).to_be_hidden()
    href = wallet_page.get_by_role("link", name="Export CSV").get_attribute("href")
    assert href == f"/api/history/{ME}?format=csv"

    wallet_page.get_by_label("Type").select_option("contract_creation")
    wallet_page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(4)
    expect(wallet_page.locator("#history-meta")).to_contain_text("4 shown")
    ARTIFACTS.mkdir(exist_ok=True)
    wallet_page.get_by_label("Type").select_option("")
    wallet_page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(25)
    wallet_page.screenshot(path=str(ARTIFACTS / "history.png"))
    assert not [m for m in wallet_page.console_messages if "Content Security Policy" in m]


def test_any_address_can_be_looked_up_and_bad_input_is_refused(stack, page):
    page.goto(stack.url + "/history")
    address = page.get_by_label("Address")
    address.fill("0x1234")
    page.get_by_role("button", name="Show").click()
    assert not page.evaluate("document.getElementById('history-address').validity.valid")
    expect(page.locator("#history-table")).to_be_hidden()
    address.fill(BOB)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#history-rows tr")).to_have_count(25, timeout=10_000)
    expect(page.locator("#history-rows tr").first).to_contain_text("Received")


def test_history_at_phone_width_has_no_horizontal_scroll(stack, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(stack.url + "/history")
    page.get_by_label("Address").fill(BOB)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#history-rows tr")).to_have_count(25, timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "history-phone.png"))
    context.close()


def test_a_look_alike_token_is_named_by_its_contract_and_marked_unverified(stack, page):
    # What the indexer writes for a transfer of a token calling itself SUSD that is not ours.
    holder, fake = "0x00000000000000000000000000000000000e2e01", "0x00000000000000000000000000000000005505d0"
    ours = stack.deployments["TestToken"]["address"].lower()
    with sqlite3.connect(stack.db_path) as db:
        for block, token in [(1, ours), (2, fake)]:
            db.execute("INSERT INTO activity (address, block, tx_index, seq, hash, time, type, direction, counterparty, amount_wei, "
                       "token_symbol, token_address, token_decimals, status, source) VALUES (?, ?, 0, 0, ?, ?, 'token_transfer', 'in', ?, "
                       "'5000000', 'SUSD', ?, 6, 'confirmed', 'test')", (holder, block, "0x" + format(block, "064x"), 1_795_772_000 + block,
                                                                           BOB.lower(), token))
    page.goto(stack.url + "/history")
    page.get_by_label("Address").fill(holder)
    page.get_by_role("button", name="Show").click()
    rows = page.locator("#history-rows tr")
    expect(rows).to_have_count(2, timeout=10_000)
    expect(rows.first).to_contain_text("unverified token 0x00000000000000000000000000000000005505d0")
    expect(rows.nth(1)).not_to_contain_text("unverified")
