"""The Swap page in a real browser with the test wallet, on a devnet of this module's own: wrap 5 S;
swap 2 wS for SUSD, the exact approval first and the swap once it is confirmed, SUSD up by exactly
what the quote said; swap 1 wS for STT with every token approved (the warning shown first); revoke
that allowance; unwrap 1 wS. Balances and allowances are read on the chain. Development account 9 acts
here, and no other browser test uses it."""

from eth_utils import keccak, to_checksum_address
from playwright.sync_api import expect

from conftest import ARTIFACTS, confirm, module_stack, open_signed_in
from onchain import balance, call_uint, last_fee, token_balance, word
from shown import balance_text, exact_text

SWAPPER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"  # development account 9
WS = "0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"
SUSD = "0xDef1000000000000000000000000000000000004"
STT = "0xdEF1000000000000000000000000000000000005"
ROUTER = "0xdef1000000000000000000000000000000000003"
S = 10**18


stack = module_stack("e2e-swap")


def amounts_out(stack, amount, path):
    """The router's own getAmountsOut(amount, path), last figure: what the pools give now."""
    data = ("0x" + keccak(text="getAmountsOut(uint256,address[])")[:4].hex() + word(amount) + word(64) + word(len(path))
            + "".join(word(token) for token in path))
    answer = stack.rpc("eth_call", {"to": ROUTER, "data": data}, "latest")
    return int(answer[-64:], 16)


def allowance(stack, token):
    return call_uint(stack, token, "allowance(address,address)", SWAPPER, ROUTER)


def test_wrap_approve_then_swap_and_revoke(stack, browser):
    page = open_signed_in(browser, stack, "/swap", account=SWAPPER)
    expect(page.locator("#swap-balance")).to_have_text(f"You have {balance_text(balance(stack, SWAPPER))} S.", timeout=10_000)

    # Wrap 5 S: one for one through wS, no pool and no fee.
    page.get_by_label("You receive").select_option(WS)
    page.get_by_label("Amount", exact=True).fill("5")
    expect(page.locator("#quote-expected")).to_have_text("5 wS", timeout=10_000)
    expect(page.locator("#quote-route")).to_have_text("Wrap through wS, one for one")
    expect(page.locator("#quote-fee")).to_have_text("none")
    before = balance(stack, SWAPPER)
    page.get_by_role("button", name="Prepare the wrap").click()
    card = page.locator("#swap-card .action-card").last
    expect(card.locator(".summary")).to_have_text("Wrap 5 S into wS", timeout=10_000)
    confirm(card)
    assert token_balance(stack, WS, SWAPPER) == 5 * S
    assert balance(stack, SWAPPER) == before - 5 * S - last_fee(stack, SWAPPER)

    # 2 wS for SUSD: the quote is the router's figure; the exact approval comes first, then the swap.
    page.get_by_label("You pay").select_option(WS)
    page.get_by_label("You receive").select_option(SUSD)
    page.get_by_label("Amount", exact=True).fill("2")
    expected = amounts_out(stack, 2 * S, [WS, SUSD])
    minimum = expected * 9950 // 10000
    expect(page.locator("#quote-expected .amount")).to_have_attribute("title", f"{exact_text(expected, 6)} SUSD", timeout=10_000)
    expect(page.locator("#quote-expected")).to_have_text(f"{balance_text(expected, 6)} SUSD")
    expect(page.locator("#quote-minimum")).to_have_text(f"{balance_text(minimum, 6)} SUSD (slippage 0.5 %)")
    expect(page.locator("#quote-route")).to_have_text("wS → SUSD")
    expect(page.locator("#quote-fee")).to_have_text("0.006 wS")
    # The slippage is the person's: 1 % gives another minimum; a bad one is explained, naming it.
    page.get_by_label("Slippage (%)").fill("60")
    expect(page.locator("#quote-state")).to_contain_text("slippage: a percentage from 0 to 50", timeout=10_000)
    expect(page.locator("#quote-facts")).to_be_hidden()
    page.get_by_label("Slippage (%)").fill("1")
    expect(page.locator("#quote-minimum")).to_have_text(f"{balance_text(expected * 9900 // 10000, 6)} SUSD (slippage 1 %)", timeout=10_000)
    page.get_by_label("Slippage (%)").fill("0.5")
    expect(page.locator("#quote-minimum")).to_have_text(f"{balance_text(minimum, 6)} SUSD (slippage 0.5 %)", timeout=10_000)
    # A quote older than a few seconds is taken again before the swap is prepared.
    page.wait_for_timeout(5_500)
    with page.expect_request("**/api/swap/quote"):
        page.get_by_role("button", name="Prepare the swap").click()
    expect(page.locator("#swap-prepare-state")).to_have_text(
        "First allow the router to spend your wS; the swap is prepared once the approval is confirmed.", timeout=10_000)
    approval = page.locator("#swap-card .action-card").first
    expect(approval.locator(".summary")).to_have_text(f"Allow V2 router ({to_checksum_address(ROUTER)}) to spend up to 2 wS")
    expect(approval.locator("[data-notice]")).to_have_count(0)
    confirm(approval)
    assert allowance(stack, WS) == 2 * S
    swap = page.locator("#swap-card .action-card").nth(1)
    expect(swap.locator(".summary")).to_have_text(
        f"Swap 2 wS for at least {exact_text(minimum, 6)} SUSD (about {exact_text(expected, 6)} expected)", timeout=20_000)
    before_susd = token_balance(stack, SUSD, SWAPPER)
    confirm(swap)
    assert token_balance(stack, SUSD, SWAPPER) == before_susd + expected
    assert token_balance(stack, WS, SWAPPER) == 3 * S and allowance(stack, WS) == 0

    # 1 wS for STT with every token approved: the warning before, the approval's notice on its card.
    page.get_by_label("You receive").select_option(STT)
    page.get_by_label("Amount", exact=True).fill("1")
    expect(page.locator("#quote-route")).to_have_text("wS → STT", timeout=10_000)
    expect(page.locator("#swap-unlimited-warning")).to_be_hidden()
    page.get_by_label("Approve every token, not just this amount").check()
    expect(page.locator("#swap-unlimited-warning")).to_contain_text("the router could then spend all of this token you hold")
    page.get_by_role("button", name="Prepare the swap").click()
    approval = page.locator("#swap-card .action-card").first
    expect(approval.locator(".summary")).to_contain_text("wS", timeout=10_000)
    expect(approval.locator("[data-notice=unlimited_allowance]")).to_be_visible()
    confirm(approval)
    assert allowance(stack, WS) == 2**256 - 1
    swap = page.locator("#swap-card .action-card").nth(1)
    expect(swap.locator(".summary")).to_contain_text("Swap 1 wS for at least ", timeout=20_000)
    expected_stt = amounts_out(stack, 1 * S, [WS, STT])
    before_stt = token_balance(stack, STT, SWAPPER)
    confirm(swap)
    assert token_balance(stack, STT, SWAPPER) == before_stt + expected_stt

    # The allowance left open is listed (from the indexed Approval) with Revoke; revoking sets it to 0.
    entry = page.locator(f"#approvals li[data-token='{WS}']")
    expect(entry).to_contain_text("V2 router", timeout=20_000)
    expect(entry).to_contain_text("may spend all your wS, without limit")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "swap.png"), full_page=True)
    entry.get_by_role("button", name="Revoke").click()
    card = entry.locator(".action-card")
    expect(card.locator(".summary")).to_contain_text("Revoke V2 router", timeout=10_000)
    confirm(card)
    assert allowance(stack, WS) == 0
    expect(entry).to_contain_text("may spend no wS now (revoked or spent)", timeout=20_000)
    expect(entry.get_by_role("button", name="Revoke")).to_have_count(0)

    # Unwrap 1 wS: wS down by exactly 1, S up by 1 less the fee; no approval is asked for.
    page.get_by_label("You receive").select_option("S")
    page.get_by_label("Amount", exact=True).fill("1")
    expect(page.locator("#quote-route")).to_have_text("Unwrap through wS, one for one", timeout=10_000)
    expect(page.locator("#swap-unlimited-warning")).to_be_visible()  # still ticked: wS goes in
    holding, before = token_balance(stack, WS, SWAPPER), balance(stack, SWAPPER)
    page.get_by_role("button", name="Prepare the unwrap").click()
    card = page.locator("#swap-card .action-card")
    expect(card).to_have_count(1, timeout=10_000)
    expect(card.locator(".summary")).to_have_text("Unwrap 1 wS into S")
    confirm(card)
    assert token_balance(stack, WS, SWAPPER) == holding - S
    assert balance(stack, SWAPPER) == before + S - last_fee(stack, SWAPPER)
    assert not [m for m in page.console_messages if "Content Security Policy" in m]
    page.context.close()
