"""Figures, times, addresses and pictures as a person sees them in Chromium, against the devnet:
grouped amounts cut to 4 decimals with the exact value on hover and when copied, dust as
< 0.0001, arrows and colours for in and out, relative times with the exact time on hover,
short addresses with an identicon and a copy button, the balance, fee and activity charts with
their text summaries in the right numbers, and each card's loading, empty and error states."""

import math
import time

import pytest
from playwright.sync_api import expect

import conftest
from conftest import ARTIFACTS, Stack
from shown import balance_text, day_text, exact_text, exact_time, gwei_text, plain_text, readable_text, relative_text

ME = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
TO_ME = 1234 * 10**18 + 567_891_234_000_000_000  # 1,234.567891234 S
DUST = 50_000_000_000_000  # 0.00005 S


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("e2e-figures")).start(contracts=True, sync=True)
    for n in range(3):
        running.rpc("eth_sendTransaction", {"from": ME, "to": BOB, "value": hex(10**18 + n)})
    running.rpc("eth_sendTransaction", {"from": BOB, "to": ME, "value": hex(TO_ME)})
    running.rpc("eth_sendTransaction", {"from": BOB, "to": ME, "value": hex(DUST)})  # the newest: dust in
    running.wait_indexed()
    yield running
    running.stop()


def open_page(browser, stack, path="/", scheme="light", width=1280):
    """A page with the test wallet connected and signed in as ME, in UTC, clipboard allowed."""
    return conftest.open_signed_in(browser, stack, path, scheme, width, ME)


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


def test_dashboard_figures_are_short_exact_on_hover_and_copy(stack, browser):
    page = open_page(browser, stack)
    block = int(stack.rpc("eth_blockNumber"), 16)
    wei = int(stack.rpc("eth_getBalance", ME, hex(block)), 16)
    native = page.locator("#balance-list dd .amount").first
    expect(native).to_have_text(balance_text(wei), timeout=10_000)
    assert "," in balance_text(wei) and native.get_attribute("title") == exact_text(wei)
    # Selecting the short figure and copying it copies every digit, ungrouped.
    native.select_text()
    page.keyboard.press("Control+C")
    assert clipboard(page) == plain_text(wei)

    newest = page.locator("#activity li").first
    expect(newest).to_contain_text("Received < 0.0001 S", timeout=10_000)
    amount = newest.locator(".amount")
    expect(amount).to_have_class("amount flow-in")
    expect(amount).to_have_attribute("title", f"{exact_text(DUST)} S")
    # The time is relative, the exact time on hover.
    entry = stack.get(f"/api/history/{ME}?limit=1").json()["entries"][0]
    when = newest.locator("time")
    expect(when).to_have_text(relative_text(time.time() - entry["timestamp"]))
    expect(when).to_have_attribute("title", exact_time(entry["timestamp"]))
    # The counterparty: identicon, short, whole on hover, copied whole.
    address = newest.locator(".address")
    expect(address.locator("svg.identicon rect").first).to_be_attached()
    expect(address.locator(".mono")).to_have_text("0x7099…79C8")
    expect(address.locator(".mono")).to_have_attribute("title", BOB)
    address.get_by_role("button", name=f"Copy {BOB}").click()
    expect(address.get_by_role("button", name=f"Copy {BOB}")).to_have_text("Copied")
    assert clipboard(page) == BOB
    # An outgoing transfer reads with an arrow and a word, never a minus sign.
    sent = page.locator("#activity li .amount.flow-out").first
    expect(sent).to_contain_text("Sent 1… S")
    assert "−" not in page.locator("#activity").text_content() and "-1" not in page.locator("#activity").text_content()
    page.context.close()


def test_dashboard_draws_the_balance_and_the_fees_with_their_numbers(stack, browser):
    page = open_page(browser, stack)
    block = int(stack.rpc("eth_blockNumber"), 16)
    now = int(stack.rpc("eth_getBalance", ME, hex(block)), 16)
    # Every movement of the devnet's chain happened today: the 29 days before read the first balance.
    first = int(stack.rpc("eth_getBalance", ME, "0x0"), 16)
    start = day_text(time.time() - 29 * 86_400)
    low, high = balance_text(min(first, now)), balance_text(max(first, now))
    balance = page.locator("figure[data-chart=balance]")
    expect(balance.locator("figcaption")).to_have_text(
        f"Balance over the last 30 days: {balance_text(first)} S on {start}, {balance_text(now)} S now; lowest {low} S, highest {high} S.",
        timeout=10_000)
    expect(balance.locator("svg path.chart-line")).to_be_attached()

    history = stack.rpc("eth_feeHistory", hex(20), "latest", [50])
    fees = [int(fee, 16) for fee in history["baseFeePerGas"]]
    oldest, count = int(history["oldestBlock"], 16), len(history["gasUsedRatio"])
    full = round(sum(math.floor(ratio * 100 + 0.5) for ratio in history["gasUsedRatio"]) / count)
    expect(page.locator("figure[data-chart=fees] figcaption")).to_have_text(
        f"Base fee over the last {count} blocks ({oldest:,} to {oldest + count - 1:,}): lowest {gwei_text(min(fees[:-1]))}, "
        f"highest {gwei_text(max(fees[:-1]))}; the next block charges {gwei_text(fees[-1])}. Blocks were {full}% full on average.")
    expect(page.locator("#gas-price")).to_have_text(gwei_text(int(stack.rpc("eth_gasPrice"), 16)))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-figures.png"), full_page=True)
    page.context.close()


def test_history_rows_and_activity_by_day(stack, browser):
    page = open_page(browser, stack, "/history")
    rows = page.locator("#history-rows tr")
    expect(rows.first.locator("[data-label=Amount] .amount")).to_have_text("↓Received < 0.0001 S", timeout=10_000)
    expect(rows.nth(1).locator("[data-label=Amount] .amount")).to_have_text(f"↓Received {balance_text(TO_ME)} S")
    expect(rows.nth(1).locator("[data-label=Amount] .amount")).to_have_attribute("title", "1,234.567891234 S")
    entries = stack.get(f"/api/history/{ME}?limit=100").json()["entries"]
    paid = next(entry for entry in entries if entry["fee_wei"])
    row = rows.nth(entries.index(paid))
    expect(row.locator("[data-label=Fee]")).to_have_text(f"{readable_text(int(paid['fee_wei']))} S")
    expect(row.locator("[data-label=When] time")).to_have_attribute("title", exact_time(paid["timestamp"]))
    assert "−" not in page.locator("#history-rows").text_content()

    received = len({entry["hash"] for entry in entries if entry["direction"] == "in"})
    sent = len({entry["hash"] for entry in entries if entry["direction"] != "in"})
    today = day_text(time.time())
    expect(page.locator("figure[data-chart=activity] figcaption")).to_have_text(
        f"Activity over the last 30 days: {received + sent} transactions ({received} received, {sent} sent) on 1 day; "
        f"the busiest was {today} with {received + sent}.")
    expect(page.locator("figure[data-chart=activity] rect.chart-in")).to_have_count(1)
    expect(page.locator("figure[data-chart=activity] rect.chart-out")).to_have_count(1)
    page.context.close()


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two computed `rgb(r, g, b)` colours."""
    def luminance(rgb):
        channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system_with_enough_contrast(stack, browser, scheme):
    page = open_page(browser, stack, scheme=scheme)
    expect(page.locator("figure[data-chart=balance]")).to_be_visible(timeout=10_000)
    style = lambda selector, name: page.locator(selector).first.evaluate(f"(e) => getComputedStyle(e).{name}")  # noqa: E731
    page_colour = style("html", "backgroundColor")
    assert page_colour == ("rgb(16, 18, 21)" if scheme == "dark" else "rgb(247, 248, 250)"), page_colour
    card = style(".card", "backgroundColor")
    for selector in ["h2", ".facts dt", ".chart-summary", "#activity .flow-in", "#activity .flow-out", ".copy-button"]:
        ratio = contrast(style(selector, "color"), card)
        assert ratio >= 4.5, f"{selector} on its card: {ratio:.2f} in {scheme}"
    page.context.close()


def test_empty_loading_and_error_states(stack, browser):
    page = open_page(browser, stack, "/history")
    expect(page.locator("figure[data-chart=activity]")).to_be_visible(timeout=10_000)
    # An address with nothing: said so, in the list and under the picture.
    nobody = "0x000000000000000000000000000000000000dEaD"
    page.get_by_label("Address").fill(nobody)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#history-meta")).to_contain_text("Nothing yet for 0x0000…dEaD")
    expect(page.locator("figure[data-chart=activity] figcaption")).to_have_text("No transactions in the last 30 days.")
    # The series cannot be read: the card says so with the reason.
    page.route("**/balance-series*", lambda route: route.fulfill(
        status=503, content_type="application/problem+json",
        body='{"type":"about:blank","title":"Node unavailable","status":503,"detail":"the node did not answer"}'))
    page.get_by_label("Address").fill(BOB)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#activity-chart-state")).to_have_text("Activity by day unavailable: the node did not answer")
    expect(page.locator("#activity-chart-state")).to_have_class("card-state state-error status-bad")
    expect(page.locator("figure[data-chart=activity]")).to_have_count(0)

    # While the fees are on their way the card says it is loading, then draws them.
    held = []
    dashboard = page.context.new_page()
    dashboard.route("**/api/network/fees*", lambda route: held.append(route))
    dashboard.goto(stack.url + "/")
    expect(dashboard.locator("#fee-state")).to_have_text("Loading the fees of the last blocks…")
    expect(dashboard.locator("#fee-state")).to_be_visible()
    assert dashboard.locator("#fee-state").evaluate("(e) => e.closest('.card').getAttribute('aria-busy')") == "true"
    while not held:
        dashboard.wait_for_timeout(50)
    held[0].continue_()
    expect(dashboard.locator("figure[data-chart=fees]")).to_be_visible(timeout=10_000)
    expect(dashboard.locator("#fee-state")).to_be_hidden()
    page.context.close()


PAGES = [("/", "dashboard", "figure[data-chart=balance]"), ("/chat", "chat", "figure[data-chart=fees]"),
         ("/history", "history", "figure[data-chart=activity]"), ("/nft", "nft", "#gallery-meta"),
         ("/subscription", "premium", "#premium-facts"), ("/staking", "staking", "#validators-table"),
         ("/swap", "swap", "#approvals-state")]


def visit(page, stack, path, ready):
    """Opens `path` and waits until `ready` shows and no card is loading (the chat asks about gas)."""
    page.goto(stack.url + path)
    if path == "/chat":
        page.get_by_role("button", name="What's gas now?").click()
    expect(page.locator(ready)).to_be_visible(timeout=10_000)
    expect(page.locator(".state-loading:visible")).to_have_count(0, timeout=10_000)


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_in_light_and_dark_at_desktop_and_phone_width(stack, browser, scheme, width):
    """The README's screenshots (docs/screenshots), each page with its figures and pictures drawn."""
    page = open_page(browser, stack, scheme=scheme, width=width)
    ARTIFACTS.mkdir(exist_ok=True)
    for path, name, ready in PAGES:
        visit(page, stack, path, ready)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{scheme}-{width}.png"), full_page=True)
    page.context.close()


def test_addresses_link_to_the_explorer_where_the_network_has_one(stack, browser):
    """The devnet has no explorer (plain text); a network with one (its page names it, as
    sonic-site writes it for testnet) links each address to its page there."""
    page = open_page(browser, stack, "/history")
    plain = page.locator("#history-rows tr").first.locator(".address .mono")
    expect(plain).to_have_text("0x7099…79C8", timeout=10_000)
    assert plain.evaluate("(e) => e.tagName") == "SPAN"

    def with_explorer(route):
        answer = route.fetch()
        route.fulfill(response=answer, body=answer.text().replace('data-explorer=""', 'data-explorer="https://testnet.sonicscan.org"'))

    page.route("**/history", with_explorer)
    page.reload()
    link = page.locator("#history-rows tr").first.locator(".address a.mono")
    expect(link).to_have_attribute("href", f"https://testnet.sonicscan.org/address/{BOB}", timeout=10_000)
    expect(link).to_have_attribute("rel", "noopener")
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violation_on_any_page(stack, browser, scheme):
    """axe-core on every page, signed in, with its figures and pictures drawn (contrast included)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = open_page(browser, stack, scheme=scheme)
    found = {}
    for path, name, ready in PAGES:
        visit(page, stack, path, ready)
        response = axe.run(page).response
        violations = response["violations"]
        assert "color-contrast" in {rule["id"] for rule in response["passes"] + violations}, f"{name}: contrast was not checked"
        bad = [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}" for v in violations
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad
    assert found == {}, found
    page.context.close()


def test_with_the_node_down_the_balance_card_says_what_it_cannot_show(stack, browser):
    """Last in this module: stopping the devnet empties its chain. The balance is still shown
    (stale, from the cache), the picture of it cannot be made and the card says why."""
    page = open_page(browser, stack)
    expect(page.locator("figure[data-chart=balance]")).to_be_visible(timeout=10_000)
    stack.stop_devnet()
    try:
        # A balance read less than SONIC_BALANCE_TTL (1 s) ago is still fresh and is served as it
        # is; a person who refreshes after that sees it marked stale. Refresh until then.
        meta = page.locator("#balance-meta")
        deadline = time.monotonic() + 15
        while "Stale: read" not in (meta.text_content() or "") and time.monotonic() < deadline:
            page.get_by_role("button", name="Refresh", exact=True).click()
            page.wait_for_timeout(500)
        expect(meta).to_contain_text("Stale: read")
        state = page.locator("#balance-chart-state")
        expect(state).to_contain_text("Balance over time unavailable: ", timeout=15_000)
        expect(state).to_have_class("card-state state-error status-bad")
        expect(page.locator("figure[data-chart=balance]")).to_have_count(0)
        expect(page.locator("#balance-list dd .amount").first).to_be_visible()
    finally:
        stack.start_devnet()
    page.context.close()
