"""Connect, sign in, see the balance, and send S through the chat, in a real browser."""

import copy
import re

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, name_the_coin
from shown import balance_text, exact_text

ME = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def sign_in(page, stack):
    page.goto(stack.url + "/")
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.locator("#wallet-button")).to_have_text("0xf39F…2266", timeout=10_000)
    expect(page.locator("#wallet-status")).to_have_text("Signed in")


def test_connect_sign_in_and_balance_matches_the_chain(stack, wallet_page, wallet):
    sign_in(wallet_page, stack)
    assert "personal_sign" in wallet.calls
    block = int(stack.rpc("eth_blockNumber"), 16)
    wei = int(stack.rpc("eth_getBalance", ME, hex(block)), 16)
    expect(wallet_page.locator("#balance-list dd").first).to_have_text(balance_text(wei))
    expect(wallet_page.locator("#balance-list dd .amount").first).to_have_attribute("title", exact_text(wei))
    expect(wallet_page.locator("#balance-list dd").nth(1)).to_have_text("1,000,000")  # SUSD from the deployment
    cents = wei * 50_000_000 // 10**24  # the devnet's S/USD feed says 0.50, with 8 decimals
    expect(wallet_page.locator("#balance-usd")).to_contain_text(f"Your S is worth ${cents // 100:,}.{cents % 100:02d} at $0.5 per S (price of ")
    ARTIFACTS.mkdir(exist_ok=True)
    wallet_page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    assert not [m for m in wallet_page.console_messages if "Content Security Policy" in m]


def test_a_second_tab_stays_signed_in_and_can_send(stack, wallet_page, wallet):
    """A new tab shares the session cookie but not the first tab's storage: it takes the CSRF
    token from /api/auth/me, so its state-changing requests are accepted (not 403)."""
    sign_in(wallet_page, stack)
    second = wallet_page.context.new_page()
    second.goto(stack.url + "/chat")
    expect(second.locator("#wallet-button")).to_have_text("0xf39F…2266", timeout=10_000)  # signed in, from /api/auth/me
    with second.expect_response("**/api/agent") as sent:
        second.get_by_label("Message").fill(f"send 1 S to {BOB}")
        second.get_by_role("button", name="Send", exact=True).click()
    assert sent.value.status == 200, sent.value.text()
    expect(second.locator(".action-card .summary")).to_have_text(f"Send 1 S to {BOB}", timeout=10_000)
    second.close()


def test_chat_send_confirm_and_follow_to_confirmed(stack, wallet_page, wallet):
    sign_in(wallet_page, stack)
    before = int(stack.rpc("eth_getBalance", BOB, "latest"), 16)
    wallet_page.get_by_role("navigation").get_by_role("link", name="Chat").click()
    wallet_page.get_by_label("Message").fill(f"send 1 S to {BOB}")
    wallet_page.get_by_role("button", name="Send", exact=True).click()
    expect(wallet_page.locator(".action-card .summary")).to_have_text(f"Send 1 S to {BOB}", timeout=10_000)
    # The card to confirm writes the recipient whole: a look-alike sharing its ends cannot pass.
    expect(wallet_page.locator(".action-card .address .mono")).to_have_text(BOB)
    # In dollars at the devnet's S/USD feed (0.50): the S it sends and the fee, under a cent.
    expect(wallet_page.locator(".action-card .usd")).to_have_text(
        "$0.50 sent; fee under $0.01, at $0.5 per S")
    wallet_page.get_by_role("button", name="Confirm in wallet").click()
    expect(wallet_page.locator(".tx-status")).to_have_text(re.compile(r"^Confirmed in block [\d,]+; fee [0-9.]+…? S at [0-9.]+…? gwei\.$"), timeout=20_000)
    assert "eth_sendTransaction" in wallet.calls
    wallet_page.screenshot(path=str(ARTIFACTS / "chat.png"))
    assert int(stack.rpc("eth_getBalance", BOB, "latest"), 16) - before == 10**18
    # The history shows it in both accounts.
    stack.wait_indexed()
    wallet_page.get_by_role("navigation").get_by_role("link", name="History").click()
    first = wallet_page.locator("#history-rows tr").first
    expect(first).to_contain_text("Sent · S transfer", timeout=10_000)
    expect(first.locator(".amount.flow-out")).to_have_text("↑Sent 1 S")
    wallet_page.get_by_label("Address").fill(BOB)
    wallet_page.get_by_role("button", name="Show").click()
    expect(wallet_page.locator("#history-rows tr").first).to_contain_text("Received · S transfer", timeout=10_000)
    expect(wallet_page.locator("#history-rows tr").first.locator(".amount.flow-in")).to_have_text("↓Received 1 S")


def test_a_reply_with_two_cards_shows_each_with_its_own_confirm_cancel_and_status(stack, wallet_page, wallet):
    """Today's planner prepares one transfer per reply; the page must show every card of a reply.
    The agent's real answer is given a second card: the same transfer for 2 S (same nonce)."""
    def two_cards(route):
        answer = route.fetch()
        body = answer.json()
        first = body["cards"][0]
        second = copy.deepcopy(first)
        second["prepared"]["summary"] = f"Send 2 S to {BOB}"
        second["prepared"]["tx"]["value"] = hex(2 * 10**18)
        route.fulfill(response=answer, json={**body, "cards": [first, second], "action": first})

    sign_in(wallet_page, stack)
    before = int(stack.rpc("eth_getBalance", BOB, "latest"), 16)
    wallet_page.route("**/api/agent", two_cards)
    wallet_page.get_by_role("navigation").get_by_role("link", name="Chat").click()
    wallet_page.get_by_label("Message").fill(f"send 1 S to {BOB}")
    wallet_page.get_by_role("button", name="Send", exact=True).click()
    cards = wallet_page.locator(".message.agent").last.locator(".action-card")
    expect(cards).to_have_count(2, timeout=10_000)
    expect(cards.locator(".summary")).to_have_text([f"Send 1 S to {BOB}", f"Send 2 S to {BOB}"])
    cards.nth(0).get_by_role("button", name="Cancel").click()
    expect(cards.nth(0)).to_have_text("Cancelled. Nothing was sent.")
    cards.nth(1).get_by_role("button", name="Confirm in wallet").click()
    expect(cards.nth(1).locator(".tx-status")).to_have_text(re.compile(r"^Confirmed in block [\d,]+; fee [0-9.]+…? S at [0-9.]+…? gwei\.$"), timeout=20_000)
    expect(cards.nth(0)).to_have_text("Cancelled. Nothing was sent.")
    assert wallet.calls.count("eth_sendTransaction") == 1
    assert int(stack.rpc("eth_getBalance", BOB, "latest"), 16) - before == 2 * 10**18


def test_declined_signature_is_explained(stack, wallet_page, wallet):
    wallet.reject.add("personal_sign")
    wallet_page.goto(stack.url + "/")
    wallet_page.get_by_role("button", name="Connect wallet").click()
    expect(wallet_page.locator("#wallet-status")).to_have_text("You declined in your wallet.", timeout=10_000)
    expect(wallet_page.locator("#wallet-button")).to_have_text("Sign in as 0xf39F…2266")


def test_wrong_network_is_reported_and_switched(stack, wallet_page, wallet):
    wallet.chain = "0x1"  # the wallet is on Ethereum mainnet
    wallet_page.goto(stack.url + "/")
    wallet_page.get_by_role("button", name="Connect wallet").click()
    expect(wallet_page.locator("#wallet-status")).to_contain_text("another network", timeout=10_000)
    expect(wallet_page.locator("#network-badge")).to_have_class("network-badge status-bad")
    wallet_page.locator("#network-badge").click()
    expect(wallet_page.locator("#wallet-status")).to_have_text("Network ready", timeout=10_000)
    assert "wallet_switchEthereumChain" in wallet.calls
    expect(wallet_page.locator("#network-badge")).to_have_class("network-badge")


def test_a_wallet_without_the_chain_is_given_the_symbol_the_api_names(stack, wallet_page, wallet):
    wallet.chain = "0x1"
    wallet.knows_chain = False  # switching answers 4902: the chain must be added (EIP-3085)
    name_the_coin(wallet_page, "TS")
    wallet_page.goto(stack.url + "/")
    wallet_page.get_by_role("button", name="Connect wallet").click()
    expect(wallet_page.locator("#wallet-status")).to_contain_text("another network", timeout=10_000)
    wallet_page.locator("#network-badge").click()
    expect(wallet_page.locator("#wallet-status")).to_have_text("Network ready", timeout=10_000)
    [added] = wallet.params["wallet_addEthereumChain"]
    assert added["chainId"] == "0x7a69"
    assert added["nativeCurrency"] == {"name": "Sonic", "symbol": "TS", "decimals": 18}


def test_an_account_switch_asks_to_sign_in_again(stack, wallet_page, wallet):
    sign_in(wallet_page, stack)
    wallet_page.evaluate(f"window.__emitWallet('accountsChanged', ['{BOB.lower()}'])")
    expect(wallet_page.locator("#wallet-button")).to_have_text("Sign in as 0x7099…79c8", timeout=5_000)
    wallet_page.evaluate("window.__emitWallet('accountsChanged', [])")
    expect(wallet_page.locator("#wallet-button")).to_have_text("Connect wallet", timeout=5_000)


@pytest.fixture
def two_wallets_page(wallet_page):
    """The test wallet and a second one that must not be used unless chosen."""
    wallet_page.context.add_init_script("""window.addEventListener("eip6963:requestProvider", () => window.dispatchEvent(new CustomEvent(
      "eip6963:announceProvider", { detail: Object.freeze({ info: { uuid: "other", name: "Other Wallet", icon: "data:,", rdns: "x.other" },
        provider: { request: () => Promise.reject(new Error("the other wallet was used")), on: () => {} } }) })));""")
    return wallet_page


def test_with_two_wallets_the_person_chooses(stack, two_wallets_page):
    page = two_wallets_page
    page.goto(stack.url + "/")
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.get_by_role("group", name="Choose a wallet").get_by_role("button")).to_have_count(2)
    page.get_by_role("button", name="Test Wallet").click()
    expect(page.locator("#wallet-status")).to_have_text("Signed in", timeout=10_000)


def test_the_wallet_menu_says_it_is_open_and_closes_on_escape(stack, two_wallets_page, wallet):
    page = two_wallets_page
    page.goto(stack.url + "/")
    toggle = page.get_by_role("button", name="Connect wallet")
    menu = page.get_by_role("group", name="Choose a wallet")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "wallet-menu")
    toggle.click()
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("button", name="Test Wallet")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(page.locator("#wallet-status")).to_have_text("")
    # The button closes it too; nothing was asked of a wallet meanwhile.
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert "eth_requestAccounts" not in wallet.calls
    # Opened again, a choice still connects, and the menu says it is closed.
    toggle.click()
    menu.get_by_role("button", name="Test Wallet").click()
    expect(page.locator("#wallet-status")).to_have_text("Signed in", timeout=10_000)
    expect(menu).to_be_hidden()
    expect(page.locator("#wallet-button")).to_have_attribute("aria-expanded", "false")


def test_chat_page_at_phone_width(stack, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(stack.url + "/chat")
    expect(page.get_by_role("button", name="What's gas now?")).to_be_visible()
    page.get_by_role("button", name="What's gas now?").click()
    expect(page.locator(".message.agent").last).to_have_text(re.compile("gwei"), timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_markup_in_a_chat_message_is_shown_as_text(stack, page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(stack.url + "/chat")
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    page.get_by_label("Message").fill(hostile)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message.user").last).to_have_text(hostile)
    expect(page.locator(".message.agent").last).not_to_have_text("…", timeout=10_000)
    assert dialogs == [] and page.locator(".messages img, .messages script").count() == 0


def test_an_entry_is_worded_alike_on_the_dashboard_and_the_history_page(stack, wallet_page):
    """One wording for a history entry on both pages, and fees in the symbol the API names."""
    stack.rpc("eth_sendTransaction", {"from": ME, "to": ME, "value": hex(10**18)})
    stack.wait_indexed()
    name_the_coin(wallet_page, "TS")
    sign_in(wallet_page, stack)
    expect(wallet_page.locator("#activity li").first).to_contain_text("Moved 1 S", timeout=10_000)
    expect(wallet_page.locator("#premium-line")).to_have_text(re.compile(r"^Not active\. [0-9.,]+…? TS per 30 days\.$"))
    wallet_page.get_by_role("navigation").get_by_role("link", name="History").click()
    first = wallet_page.locator("#history-rows tr").first
    expect(first.locator("[data-label=What]")).to_have_text("Moved · S transfer", timeout=10_000)
    expect(first.locator("[data-label=Amount]")).to_have_text("⇄Moved to self 1 S")
    expect(first.locator("[data-label=Fee]")).to_have_text(re.compile(r"^[0-9.]+…? TS$"))


def test_a_card_whose_coins_cannot_come_back_is_confirmed_only_once_acknowledged(stack, wallet_page, wallet):
    """The agent's card to the zero address carries its warning; Confirm waits for the tick."""
    sign_in(wallet_page, stack)
    wallet_page.get_by_role("navigation").get_by_role("link", name="Chat").click()
    wallet_page.get_by_label("Message").fill("send 1 S to 0x0000000000000000000000000000000000000000")
    wallet_page.get_by_role("button", name="Send", exact=True).click()
    card = wallet_page.locator(".message.agent").last.locator(".action-card")
    expect(card.get_by_role("alert")).to_have_text(re.compile(r"zero address.*can never be recovered"), timeout=10_000)
    confirm = card.get_by_role("button", name="Confirm in wallet")
    expect(confirm).to_be_disabled()
    card.get_by_role("checkbox").check()
    expect(confirm).to_be_enabled()
    card.get_by_role("checkbox").uncheck()
    expect(confirm).to_be_disabled()
    assert "eth_sendTransaction" not in wallet.calls
