"""The Premium page and the dashboard's premium line and recent activity, in a real browser:
buy three months through the wallet, see the subscription become active and the purchase appear."""

import math
import time

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, Stack
from shown import day_text, days_left


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("e2e-premium")).start(contracts=True, sync=True)
    yield running
    running.stop()


def test_buy_three_months_and_see_it_everywhere(stack, wallet_page, wallet):
    wallet_page.goto(stack.url + "/")
    wallet_page.get_by_role("button", name="Connect wallet").click()
    expect(wallet_page.locator("#wallet-status")).to_have_text("Signed in", timeout=10_000)
    expect(wallet_page.locator("#premium-line")).to_contain_text("Not active", timeout=10_000)

    wallet_page.get_by_role("navigation").get_by_role("link", name="Premium").click()
    expect(wallet_page.locator("#premium-state")).to_have_text("Not active", timeout=10_000)
    wallet_page.get_by_label("Months").select_option("3")
    expect(wallet_page.locator("#premium-total")).to_contain_text("3 × ")
    wallet_page.get_by_role("button", name="Prepare the purchase").click()
    expect(wallet_page.locator(".action-card .summary")).to_contain_text("Buy 3 months of premium", timeout=10_000)
    wallet_page.get_by_role("button", name="Confirm in wallet").click()
    expect(wallet_page.locator(".tx-status")).to_contain_text("Confirmed in block", timeout=20_000)
    expect(wallet_page.locator("#premium-state")).to_have_text("Active", timeout=10_000)
    expect(wallet_page.locator("#premium-expiry")).not_to_have_text("—")
    # The time left as a bar over the months bought, with its words.
    expires = stack.get(f"/api/subscription/{wallet.account}").json()["expires_at"]
    left = days_left(expires, time.time())
    expect(wallet_page.locator("figure[data-chart=premium] figcaption")).to_have_text(
        f"{left} days of premium left of {math.ceil(left / 30) * 30}, until {day_text(expires)}.")
    assert left == 90
    ARTIFACTS.mkdir(exist_ok=True)
    wallet_page.screenshot(path=str(ARTIFACTS / "premium.png"), full_page=True)

    stack.wait_indexed()
    wallet_page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    expect(wallet_page.locator("#premium-line")).to_contain_text("Active until", timeout=10_000)
    expect(wallet_page.locator("#premium-bar figure[data-chart=premium]")).to_be_visible()
    expect(wallet_page.locator("#activity li").first).to_contain_text("Bought premium for ", timeout=10_000)
    wallet_page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert not [m for m in wallet_page.console_messages if "Content Security Policy" in m or "integrity" in m]
