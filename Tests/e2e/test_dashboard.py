"""The dashboard as a person sees it in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS

# The page's CSP forbids eval, so waits use locator assertions, not wait_for_function.
NUMBER = re.compile(r"^[0-9,]+$")


def test_dashboard_shows_network_and_live_block_height(stack, page):
    page.goto(stack.url + "/")
    block = page.locator("#block-height")
    expect(block).to_have_text(NUMBER)
    assert int(block.text_content().replace(",", "")) == int(stack.rpc("eth_blockNumber"), 16)
    assert page.locator("#chain-id").text_content() == "31337"
    assert page.locator("#service-status").text_content() == "All systems working"

    # Read again on Refresh (and with the connected address's feed, test_live.py), not on a timer.
    target = int(stack.rpc("eth_blockNumber"), 16) + 3
    for _ in range(3):
        stack.rpc("evm_mine")
    page.wait_for_timeout(1_000)  # past the health report's cache time (SONIC_BALANCE_TTL=0.5 here)
    page.get_by_role("button", name="Refresh network").click()
    expect(block).to_have_text(f"{target:,}", timeout=10_000)
    assert not [m for m in page.console_messages if "Content Security Policy" in m], page.console_messages


def test_dashboard_tells_when_the_node_is_down(stack, page):
    page.goto(stack.url + "/")
    status = page.locator("#service-status")
    expect(status).to_have_text("All systems working")
    stack.stop_devnet()
    try:
        page.wait_for_timeout(1_000)  # past the health report's cache time
        page.get_by_role("button", name="Refresh network").click()
        expect(status).to_have_text("Degraded: node unreachable", timeout=15_000)
    finally:
        stack.start_devnet()


@pytest.mark.parametrize("path, name, ready", [
    ("/", "dashboard", "#block-height"), ("/chat", "chat", "#chat-input"), ("/history", "history", "#history-address"),
    ("/nft", "nft", "#nft-name"), ("/subscription", "premium", "#premium-months"), ("/staking", "staking", "#delegate-amount"),
    ("/swap", "swap", "#swap-amount"),
])
def test_every_page_at_phone_width_has_no_horizontal_scroll(stack, browser, path, name, ready):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(stack.url + path)
    expect(page.locator(ready)).to_be_visible()
    if path == "/":
        expect(page.locator("#block-height")).to_have_text(NUMBER)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Keyboard: every control can be reached with Tab and has a name.
    unnamed = page.evaluate("""[...document.querySelectorAll('button, input, select, textarea, a[href]')]
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map((e) => e.outerHTML)""")
    assert unnamed == []
    context.close()
