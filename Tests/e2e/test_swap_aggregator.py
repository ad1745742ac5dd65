"""The Swap page with KyberSwap's aggregator configured (a local fake of its API that checks the
documented request shape and builds through the devnet's router, Tests/Integration/kyberswap_fake.py):
the quote says where it comes from and the router's figure beside it, the card is built by the
aggregator and runs. On a devnet of this module's own; development account 0 acts."""

import pytest
from playwright.sync_api import expect

from conftest import confirm, open_signed_in
from kyberswap_fake import FakeKyberSwap
from onchain import token_balance
from shown import balance_text
from stack import Stack
from test_swap_page import ROUTER, S, SUSD, WS, amounts_out

ME = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("e2e-kyberswap")).start(contracts=True, sync=True)
    running.kyber = FakeKyberSwap(running, router=ROUTER, wrapped=WS)
    running.kyber.factor = (1002, 1000)  # 0.2 % more than the pools: it wins, and its swap still clears the minimum
    running.stop_fcgi()
    running.start_fcgi(SONIC_KYBERSWAP_URL=running.kyber.url, SONIC_KYBERSWAP_ROUTER=ROUTER)
    yield running
    running.kyber.stop()
    running.stop()


def test_the_better_aggregator_quote_is_shown_with_the_routers_beside_it_and_its_card_runs(stack, browser):
    page = open_signed_in(browser, stack, "/swap", account=ME)
    page.get_by_label("You receive").select_option(SUSD)
    page.get_by_label("Amount", exact=True).fill("10")
    routed = amounts_out(stack, 10 * S, [WS, SUSD])
    aggregated = routed * 1002 // 1000
    expect(page.locator("#quote-expected")).to_have_text(f"{balance_text(aggregated, 6)} SUSD", timeout=10_000)
    expect(page.locator("#quote-route")).to_have_text(f"S → SUSD via KyberSwap (router: {balance_text(routed, 6)} SUSD)")
    expect(page.locator("#quote-fee")).to_have_text("in KyberSwap's price")
    before = token_balance(stack, SUSD, ME)
    page.get_by_role("button", name="Prepare the swap").click()
    card = page.locator("#swap-card .action-card").last
    expect(card.locator(".summary")).to_contain_text("through KyberSwap", timeout=10_000)
    expect(card.locator(".usd")).to_contain_text("$5.00 sent; fee ")
    confirm(card)
    got = token_balance(stack, SUSD, ME) - before
    assert aggregated * 9950 // 10000 <= got == routed  # the pools' own amount, above the minimum shown
    assert stack.kyber.refusals == []
