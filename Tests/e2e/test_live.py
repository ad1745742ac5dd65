"""The live pages in Chromium with the test wallet, against the devnet: a transfer sent from
another development account appears on an open dashboard and history page without a reload,
the balance changed, with an in-page notice; the network card asks the server only on load, on
Refresh and with the feed; an alert set in the page goes off and is in its log; a Premium
subscriber's alert reaches a webhook receiver signed with the secret the page showed once; the
Premium page says what the subscription buys in the configured figures."""

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import open_signed_in
from shown import balance_text
from stack import wait_until
from webhooks import Receiver, check_signature, stack_with_local_webhooks

ME = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
OTHER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # another development account
S = 10**18


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = stack_with_local_webhooks(tmp_path_factory.mktemp("e2e-live"))
    running.wait_indexed()
    yield running
    running.stop()


def balance_of(stack, address):
    return int(stack.rpc("eth_getBalance", address, "latest"), 16)


def send(stack, wei, sender=OTHER, to=ME):
    return stack.rpc("eth_sendTransaction", {"from": sender, "to": to, "value": hex(wei)}).lower()


def test_a_transfer_from_another_account_appears_on_the_open_dashboard_without_reload(stack, browser):
    page = open_signed_in(browser, stack)
    native = page.locator("#balance-list dd .amount").first
    expect(native).to_have_text(balance_text(balance_of(stack, ME)), timeout=10_000)
    expect(page.locator("body")).to_have_attribute("data-live", "on", timeout=10_000)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/api/health" in request.url else None)
    page.evaluate("window.sameLoad = true")  # gone if the page were loaded again
    # Nothing asks the node on a timer: four quiet seconds, no health check.
    page.wait_for_timeout(4_000)
    assert asked == []

    amount = 5 * S // 2
    sent = send(stack, amount)
    row = page.locator(f'#activity li[data-hash="{sent}"]')
    expect(row).to_contain_text(f"Received {balance_text(amount)} S", timeout=10_000)
    expect(native).to_have_text(balance_text(balance_of(stack, ME)))
    notice = page.locator("#notices .notice", has_text=f"Received {balance_text(amount)} S from 0x7099…79C8.")
    expect(notice).to_have_count(1)
    # The network card was read again with the feed: the block of the transfer.
    expect(page.locator("#block-height")).to_have_text(f"{int(stack.rpc('eth_blockNumber'), 16):,}")
    assert asked and page.evaluate("window.sameLoad === true")

    # A notice is dismissed with its button, and said once however many cards heard the news.
    notice.get_by_role("button", name="Dismiss").click()
    expect(page.locator("#notices .notice")).to_have_count(0)
    page.context.close()


def test_the_network_card_is_read_on_refresh_not_on_a_timer(stack, browser):
    page = browser.new_page()
    page.goto(stack.url + "/")
    block = page.locator("#block-height")
    expect(block).to_have_text(f"{int(stack.rpc('eth_blockNumber'), 16):,}", timeout=10_000)
    for _ in range(3):
        stack.rpc("evm_mine")
    page.wait_for_timeout(3_500)
    assert int(block.text_content().replace(",", "")) < int(stack.rpc("eth_blockNumber"), 16)
    page.get_by_role("button", name="Refresh network").click()
    expect(block).to_have_text(f"{int(stack.rpc('eth_blockNumber'), 16):,}")
    page.close()


def test_the_history_page_adds_what_arrives_at_the_top(stack, browser):
    page = open_signed_in(browser, stack, "/history")
    rows = page.locator("#history-rows tr")
    expect(rows.first).to_be_visible(timeout=10_000)
    before = rows.count()
    sent = send(stack, S // 4)
    expect(rows.first).to_have_attribute("data-key", f"{sent}:transfer:in::", timeout=10_000)
    expect(rows.first.locator("[data-label=Amount] .amount")).to_have_text("↓Received 0.25 S")
    expect(rows).to_have_count(before + 1)
    expect(page.locator("#history-meta")).to_contain_text(f"{before + 1} shown")
    page.context.close()


HIDE = """(hidden) => {
    Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible"), configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_hidden_tab_stops_its_feed_and_catches_up_when_shown(stack, browser):
    page = open_signed_in(browser, stack)
    page.clock.install()
    page.reload()
    live = page.locator("body")
    expect(live).to_have_attribute("data-live", "on", timeout=10_000)
    page.evaluate(HIDE, True)
    page.clock.run_for(60_000)
    expect(live).to_have_attribute("data-live", "on")  # a while hidden: still following
    page.clock.run_for(61_000)
    expect(live).to_have_attribute("data-live", "off")  # past 2 minutes: stopped, nothing asked
    sent = send(stack, S // 8)
    stack.wait_indexed()
    page.wait_for_timeout(1_000)
    expect(page.locator(f'#activity li[data-hash="{sent}"]')).to_have_count(0)
    page.evaluate(HIDE, False)  # shown again: from its cursor, what came meanwhile at once
    expect(page.locator(f'#activity li[data-hash="{sent}"]')).to_contain_text("Received 0.125 S", timeout=10_000)
    expect(live).to_have_attribute("data-live", "on")
    page.context.close()


def test_browser_notifications_are_asked_for_only_on_a_click_and_shown_in_a_hidden_tab(stack, browser):
    page = open_signed_in(browser, stack)
    # Count the page's requests for permission from its first script on.
    page.context.add_init_script("""(() => { window.asked = 0; const ask = Notification.requestPermission.bind(Notification);
        Notification.requestPermission = () => { window.asked += 1; return ask(); }; })();""")
    page.reload()
    button = page.get_by_role("button", name="Also notify me while this tab is in the background")
    expect(button).to_be_visible(timeout=10_000)
    expect(page.locator("#alerts-count")).to_be_visible(timeout=10_000)
    assert page.evaluate("window.asked") == 0  # nothing asked on load
    # Refused by the browser: the page says where to allow them.
    button.click()
    expect(page.locator("#notify-state")).to_have_text("Your browser blocks notifications for this site: allow them in its settings.")
    assert page.evaluate("window.asked") == 1
    page.context.grant_permissions(["notifications"], origin=stack.url)
    button.click()
    expect(page.get_by_role("button", name="Stop browser notifications")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#alerts-card")).to_contain_text("Nothing reaches a closed tab: for that, send alerts to a webhook")
    # The tab goes to the background; what the browser is asked to show is recorded.
    page.evaluate("""() => {
        window.shown = [];
        const Real = window.Notification;
        window.Notification = class extends Real { constructor(title, options) { super(title, options); window.shown.push(options.body); } };
    }""")
    page.evaluate(HIDE, True)
    sent = send(stack, 3 * S)
    expect(page.locator(f'#activity li[data-hash="{sent}"]')).to_be_visible(timeout=10_000)
    expect(page.locator("#notices .notice", has_text="Received 3 S from 0x7099…79C8.")).to_have_count(1)
    assert page.evaluate("window.shown") == ["Received 3 S from 0x7099…79C8."]
    page.context.close()


def test_an_alert_set_in_the_page_goes_off_and_is_in_its_log(stack, browser):
    page = open_signed_in(browser, stack)
    card = page.locator("#alerts-card")
    limit = stack.get("/api/plans").json()["signed_in"]["alerts"]
    expect(card.locator("#alerts-count")).to_have_text(f"0 of {limit} alerts set. Premium adds more, and webhooks.", timeout=10_000)
    expect(card.locator("#alert-log-state")).to_have_text("Nothing delivered yet.")

    # The API's refusal is said beside the field at fault.
    card.get_by_label("At least (S)").fill("1.2.3")
    card.get_by_role("button", name="Add alert").click()
    error = card.locator("#alert-minimum-error")
    expect(error).to_contain_text('minimum: ')
    expect(error).to_contain_text("1.2.3")
    expect(card.get_by_label("At least (S)")).to_have_attribute("aria-invalid", "true")

    card.get_by_label("At least (S)").fill("1")
    card.get_by_role("button", name="Add alert").click()
    expect(card.locator("#alert-form-state")).to_have_text("Added: S arriving, at least 1 S.")
    expect(card.locator("#alert-minimum-error")).to_be_hidden()
    expect(card.locator("#alert-list li")).to_have_text(["S arriving, at least 1 SRemove"])
    expect(card.locator("#alerts-count")).to_have_text(f"1 of {limit} alerts set. Premium adds more, and webhooks.")

    send(stack, S // 2)  # under the minimum: nothing
    sent = send(stack, 3 * S // 2)
    entry = card.locator("#alert-log li")
    expect(entry).to_have_count(1, timeout=10_000)
    expect(entry).to_contain_text("Received 1.5 S from 0x7099…79C8")
    expect(entry).to_contain_text("shown in the page")
    expect(page.locator(f'#notices .notice[data-key="{sent}"]')).to_have_count(1)

    card.get_by_role("button", name="Remove alert: S arriving, at least 1 S").click()
    expect(card.locator("#alert-list li")).to_have_count(0)
    expect(card.locator("#alerts-count")).to_have_text(f"0 of {limit} alerts set. Premium adds more, and webhooks.")
    page.context.close()


def test_a_subscribers_alert_reaches_a_webhook_signed_with_the_secret_the_page_showed(stack, browser):
    prepared = stack.post_json("/api/subscription/prepare", {"from": ME, "months": 1}).json()
    stack.rpc("eth_sendTransaction", {"from": ME, "to": prepared["tx"]["to"], "value": prepared["tx"]["value"], "data": prepared["tx"]["data"]})
    wait_until(lambda: stack.get(f"/api/subscription/{ME}").json()["active"], 20, "premium")
    receiver = Receiver()
    page = open_signed_in(browser, stack)
    card = page.locator("#alerts-card")
    limit = stack.get("/api/plans").json()["premium"]["alerts"]
    expect(card.locator("#alerts-count")).to_have_text(f"0 of {limit} alerts set. With Premium, each may also go to a webhook.",
                                                      timeout=10_000)
    card.get_by_label("Alert me when").select_option("incoming")
    card.get_by_label("Webhook URL (optional)").fill(receiver.url + "/hooks/smart-sonic")
    card.get_by_role("button", name="Add alert").click()
    secret = card.locator("#alert-secret-value")
    expect(secret).to_have_text(re.compile(r"^whsec_[0-9a-f]{64}$"))
    expect(card.locator("#alert-list li")).to_have_text([f"Anything arriving · webhook 127.0.0.1:{receiver.server.server_address[1]}Remove"])

    sent = send(stack, 2 * S)
    wait_until(lambda: receiver.received, 20, "the webhook")
    path, headers, body = receiver.received[0]
    assert path == "/hooks/smart-sonic" and check_signature(headers, body, secret.text_content())
    assert json.loads(body)["hash"] == sent
    delivered = card.locator('#alert-log li[data-delivery="delivered"]')
    expect(delivered).to_contain_text("Received 2 S from 0x7099…79C8", timeout=15_000)
    expect(delivered).to_contain_text("sent to your webhook")
    page.context.close()


def test_the_premium_page_says_what_the_subscription_buys_in_the_configured_figures(stack, browser):
    plans = stack.get("/api/plans").json()
    page = browser.new_page()
    page.goto(stack.url + "/subscription")
    rows = page.locator("#plans-rows tr")
    alerts = f"{plans['signed_in']['alerts']}", f"{plans['premium']['alerts']}"
    expect(rows.nth(0)).to_have_text(f"Alerts{alerts[0]}{alerts[1]}", timeout=10_000)
    expect(rows.nth(1)).to_have_text("Alerts sent to a webhooknoyes")
    # The stack runs without a request limit (SONIC_RATE_LIMIT_PER_MINUTE=0): said as such.
    assert plans["premium"]["requests_per_minute"] == 0
    expect(rows.nth(2)).to_have_text("Requests to the APIno limitno limit")
    calls = plans["signed_in"]["model_calls_per_day"], plans["premium"]["model_calls_per_day"]
    expect(rows.nth(3)).to_have_text(f"Agent's language-model help{calls[0]:,} messages a day{calls[1]:,} messages a day")
    page.close()
