"""Browser tests: Playwright driving Debian's chromium against the real stack."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Integration"))
from stack import ROOT, Stack  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """A stack per test module: one module stops the devnet, which empties its chain."""
    running = Stack(tmp_path_factory.mktemp("e2e")).start(contracts=True, sync=True)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


# An EIP-1193 wallet announced through EIP-6963 that forwards to the devnet's unlocked
# development accounts (through a Playwright binding, so the page's CSP is untouched).
TEST_WALLET = """
(() => {
  const listeners = {};
  const provider = {
    isTestWallet: true,
    request: ({ method, params }) => window.__walletRequest(method, params || []).then((answer) => {
      if (answer && answer.error) { const error = new Error(answer.error.message); error.code = answer.error.code; throw error; }
      return answer.result;
    }),
    on: (event, handler) => { (listeners[event] = listeners[event] || []).push(handler); },
    removeListener: () => {},
  };
  window.__emitWallet = (event, value) => (listeners[event] || []).forEach((handler) => handler(value));
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", {
    detail: Object.freeze({ info: { uuid: "test-wallet", name: "Test Wallet", icon: "data:,", rdns: "dev.smartsonic.test" }, provider }),
  }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
"""


class TestWallet:
    """Answers the page's wallet requests with the devnet's first development account."""

    def __init__(self, stack, account):
        self.stack = stack
        self.account = account
        self.reject = set()
        self.calls = []
        self.params = {}  # the last parameters of each method asked
        self.chain = None  # a chain id (hex) the wallet claims to be on, until asked to switch
        self.knows_chain = True  # False: switching answers 4902 (unknown chain) until the chain is added

    def handle(self, source, method, params):
        self.calls.append(method)
        self.params[method] = params
        if method in self.reject:
            return {"error": {"code": 4001, "message": "User rejected the request."}}
        if method in ("eth_requestAccounts", "eth_accounts"):
            return {"result": [self.account]}
        if method == "wallet_switchEthereumChain" and not self.knows_chain:
            return {"error": {"code": 4902, "message": "Unrecognized chain ID."}}
        if method in ("wallet_switchEthereumChain", "wallet_addEthereumChain"):
            self.chain = None
            self.knows_chain = True
            return {"result": None}
        if method == "eth_chainId" and self.chain:
            return {"result": self.chain}
        return self.stack.devnet_request(method, params)


def open_signed_in(browser, stack, path="/", scheme="light", width=1280, account="0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"):
    """A page with the test wallet connected and signed in as `account`, in UTC, clipboard allowed."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme, timezone_id="UTC")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.url)
    wallet = TestWallet(stack, account.lower())
    context.expose_binding("__walletRequest", wallet.handle)
    context.add_init_script(TEST_WALLET)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    page.goto(stack.url + "/")
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.locator("#wallet-status")).to_have_text("Signed in", timeout=10_000)
    if path != "/":
        page.goto(stack.url + path)
    return page


def module_stack(name):
    """A module's own stack (devnet with our contracts, indexer), as the fixture `stack`."""
    @pytest.fixture(scope="module")
    def stack(tmp_path_factory):
        running = Stack(tmp_path_factory.mktemp(name)).start(contracts=True, sync=True)
        yield running
        running.stop()

    return stack


def confirm(card):
    """Confirms the transaction card `card` in the test wallet and waits until it is confirmed."""
    from playwright.sync_api import expect

    card.get_by_role("button", name="Confirm in wallet").click()
    expect(card.locator(".tx-status")).to_contain_text("Confirmed in block", timeout=20_000)


def name_the_coin(page, symbol):
    """The page's /api/network answers `symbol` as the native coin's: a script that typed the
    real one ("S") instead of asking would show itself."""
    def network(route):
        answer = route.fetch()
        route.fulfill(response=answer, json={**answer.json(), "symbol": symbol})

    page.route("**/api/network", network)


@pytest.fixture
def wallet(stack):
    return TestWallet(stack, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")


@pytest.fixture
def wallet_page(browser, wallet):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.expose_binding("__walletRequest", wallet.handle)
    context.add_init_script(TEST_WALLET)
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message.text))
    yield page
    context.close()
