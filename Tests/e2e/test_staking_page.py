"""The Staking page and the dashboard's staked S in a real browser with the test wallet, on a devnet
of this module's own: stake 100 S with validator 3, see the claim refused before an epoch is
sealed, claim the rewards of a sealed epoch, restake the next epoch's, unstake 50 S, see the withdrawal refused with the
date it opens, move time and seal epochs, withdraw. Each card is confirmed in the wallet; the S
balance changes by exactly the amount and the fee (read on the chain), and the page and the
dashboard show the chain's figures. Development account 8 acts here, and no other browser test
uses it."""

from datetime import datetime

from playwright.sync_api import expect

from conftest import ARTIFACTS, confirm, module_stack, open_signed_in
from onchain import balance, call_uint, last_fee
from shown import balance_text, exact_text, exact_time

STAKER = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"  # development account 8
SFC = "0xFC00FACE00000000000000000000000000000000"
S = 10**18


stack = module_stack("e2e-staking")


def staked(stack, validator):
    return call_uint(stack, SFC, "getStake(address,uint256)", STAKER, validator)


def rewards(stack, validator):
    return call_uint(stack, SFC, "pendingRewards(address,uint256)", STAKER, validator)


def seal(stack, seconds, epochs):
    stack.rpc("evm_increaseTime", seconds)
    stack.rpc("sonic_sealEpoch", epochs)


def test_stake_claim_unstake_and_withdraw(stack, browser):
    page = open_signed_in(browser, stack, "/staking", account=STAKER)
    validators = page.locator("#validators-rows tr")
    expect(validators).to_have_count(4, timeout=10_000)
    expect(validators.nth(0)).to_have_text("Validator 1active50,000 S15 %")
    expect(validators.nth(3).locator("[data-label=Status]")).to_have_text("offline")
    expect(page.locator("#summary-period")).to_have_text("1 hour and 2 epochs from the request")
    expect(page.locator("#positions-state")).to_have_text("You stake nothing yet: choose a validator above.")

    # Stake 100 S with validator 3: previewed, confirmed, the balance down by exactly 100 S and the fee.
    page.locator("#delegate-validator").select_option("3")
    page.get_by_label("Amount (S)", exact=True).fill("100")
    before = balance(stack, STAKER)
    page.get_by_role("button", name="Prepare the stake").click()
    card = page.locator("#delegate-card .action-card")
    expect(card.locator(".summary")).to_have_text("Stake 100 S with validator 3", timeout=10_000)
    expect(card).to_contain_text("Simulationsucceeds")
    confirm(card)
    assert balance(stack, STAKER) == before - 100 * S - last_fee(stack, STAKER)
    assert staked(stack, 3) == 100 * S
    row = page.locator("#positions li[data-validator='3']")
    expect(row.locator(".position-stake")).to_have_text("100 S", timeout=10_000)
    expect(page.locator("#summary-staked")).to_have_text("100 S")

    # Nothing to claim before an epoch is sealed: the card says so before anything is signed.
    row.get_by_role("button", name="Claim rewards").click()
    expect(row.locator(".action-card")).to_contain_text("fails: nothing to claim yet", timeout=10_000)
    row.get_by_role("button", name="Cancel").click()

    # An epoch later the rewards are there; claiming pays exactly them, less the fee.
    seal(stack, 600, 1)
    earned = rewards(stack, 3)
    assert earned > 0
    page.get_by_role("button", name="Refresh staking").click()
    expect(row.locator(".position-rewards")).to_have_text(f"{balance_text(earned)} S", timeout=10_000)
    expect(row.locator(".position-rewards .amount")).to_have_attribute("title", f"{exact_text(earned)} S")
    row.get_by_role("button", name="Claim rewards").click()
    card = row.locator(".action-card")
    expect(card.locator(".summary")).to_have_text(f"Claim {exact_text(earned)} S of rewards from validator 3", timeout=10_000)
    before = balance(stack, STAKER)
    confirm(card)
    assert balance(stack, STAKER) == before + earned - last_fee(stack, STAKER)
    expect(row.locator(".position-rewards")).to_have_text("0 S", timeout=10_000)

    # Another epoch's rewards restaked: the stake grows by exactly them.
    seal(stack, 600, 1)
    restaked = rewards(stack, 3)
    page.get_by_role("button", name="Refresh staking").click()
    expect(row.locator(".position-rewards")).to_have_text(f"{balance_text(restaked)} S", timeout=10_000)
    row.get_by_role("button", name="Restake rewards").click()
    expect(card.locator(".summary")).to_have_text(f"Restake {exact_text(restaked)} S of rewards with validator 3", timeout=10_000)
    confirm(card)
    assert staked(stack, 3) == 100 * S + restaked and rewards(stack, 3) == 0
    expect(row.locator(".position-stake .amount")).to_have_attribute("title", f"{exact_text(100 * S + restaked)} S", timeout=10_000)

    # Unstake 50 S: request 1, the stake down by exactly 50 S, the date it opens shown; Withdraw
    # is refused until then.
    row.get_by_label("Amount (S) with validator 3").fill("50")
    row.get_by_role("button", name="Unstake").click()
    expect(card.locator(".summary")).to_contain_text("Unstake 50 S from validator 3 (withdrawal request 1); it can be withdrawn from ",
                                                     timeout=10_000)
    confirm(card)
    assert staked(stack, 3) == 50 * S + restaked
    expect(row.locator(".position-stake .amount")).to_have_attribute("title", f"{exact_text(50 * S + restaked)} S", timeout=10_000)
    [waiting] = stack.get(f"/api/staking/{STAKER}").json()["withdrawals"]
    opens = exact_time(datetime.fromisoformat(waiting["opens_at"]).timestamp())
    request = page.locator("#withdrawals li[data-request='1']")
    expect(request).to_contain_text("50 S from validator 3 (request 1)", timeout=10_000)
    expect(request.locator(".opens")).to_have_text(f"Opens on {opens}, once epoch {waiting['opens_epoch']} has begun.")
    expect(request.get_by_role("button", name="Withdraw")).to_be_disabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staking.png"), full_page=True)

    # After both periods (time on the chain's clock, and two epochs) it opens; withdrawing pays the 50 S back.
    seal(stack, 3_700, 2)
    page.get_by_role("button", name="Refresh staking").click()
    expect(request.locator(".opens")).to_have_text(f"Open since {opens}: it can be withdrawn now.", timeout=10_000)
    before = balance(stack, STAKER)
    request.get_by_role("button", name="Withdraw").click()
    expect(request.locator(".action-card .summary")).to_have_text(
        "Withdraw 50 S unstaked from validator 3 (withdrawal request 1)", timeout=10_000)
    request.get_by_role("button", name="Confirm in wallet").click()
    # Once confirmed the request is gone from the list (read again); the notice says what settled.
    expect(page.locator("#notices")).to_contain_text("Confirmed: Withdraw 50 S unstaked from validator 3 (withdrawal request 1)",
                                                     timeout=20_000)
    expect(page.locator("#withdrawals-state")).to_have_text("Nothing unstaked is waiting.", timeout=10_000)
    assert balance(stack, STAKER) == before + 50 * S - last_fee(stack, STAKER)

    # The dashboard's balance card: the staked S and the rewards of the epochs sealed since, as the chain has them.
    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    expect(page.locator("#staked")).to_have_text(f"{balance_text(staked(stack, 3))} S", timeout=10_000)
    expect(page.locator("#staking-rewards")).to_have_text(f"{balance_text(rewards(stack, 3))} S")
    assert staked(stack, 3) == 50 * S + restaked and rewards(stack, 3) > 0
    page.get_by_role("link", name="Your staking").click()
    expect(page.locator("#summary-staked")).to_have_text(f"{balance_text(50 * S + restaked)} S", timeout=10_000)
    assert not [m for m in page.console_messages if "Content Security Policy" in m]
    page.context.close()

