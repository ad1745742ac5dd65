"""Staking, wrapping and swaps end to end through nginx, sonic-fcgi and the devnet's SFC, wS and
V2 router: each card prepared by the API, signed by a development account, sent and confirmed;
balances and positions change by exactly the expected amounts; the SFC's and the router's
refusals (an inactive validator, nothing to claim, a withdrawal too early, slippage exceeded, a
missing allowance) are explained before signing. Epochs are sealed and time moved with the
devnet's methods. The indexer's history then says what each did, the S paid out by the SFC, wS
and the router included. Only development accounts 5 to 8 act here, on a devnet of this module's own."""

import datetime
import json
import subprocess

import pytest
from eth_account import Account
from eth_utils import to_checksum_address

from siwe import session_headers
from stack import ROOT, Stack, wait_until
from test_agent import ask
from test_tokens import MNEMONIC, call_uint, sign_send_confirm

STAKER, SWAPPER, MOVER, TALKER = (Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in (5, 6, 7, 8))
S = 10**18
WS = "0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"
SUSD = "0xDef1000000000000000000000000000000000004"
STT = "0xdEF1000000000000000000000000000000000005"
ROUTER = "0xdef1000000000000000000000000000000000003"
PAIR_WS_SUSD = "0xb65d3dc8546A85F12e7C5BDf06e16C2a225e2F73"
FEED = "0xdeF1000000000000000000000000000000000006"  # S/USD, Chainlink-style


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("defi")).start(sync=True)
    yield running
    running.stop()


def balance(stack, account):
    return int(stack.rpc("eth_getBalance", account.address, "latest"), 16)


def token_balance(stack, token, account):
    return call_uint(stack, token, "balanceOf(address)", account.address)


def fee_of(stack, final):
    receipt = stack.rpc("eth_getTransactionReceipt", final["hash"])
    return int(receipt["gasUsed"], 16) * int(receipt["effectiveGasPrice"], 16)


def staking(stack, account):
    answer = stack.get(f"/api/staking/{account.address}")
    assert answer.status == 200, answer.body
    return answer.json()


def prepare_staking(stack, account, action, validator, **more):
    answer = stack.post_json("/api/staking/prepare", {"from": account.address, "action": action, "validator": validator, **more})
    assert answer.status == 200, answer.body
    return answer.json()


def position(overview, validator):
    return next((p for p in overview["positions"] if p["validator"] == validator), None)


def seal(stack, seconds, epochs=1):
    stack.rpc("evm_increaseTime", seconds)
    stack.rpc("sonic_sealEpoch", epochs)


def test_the_usd_price_is_the_feeds_own_answer_and_previews_use_it(stack):
    """First in the module: later tests move the devnet's time, and the feed's answer grows old."""
    price = stack.get("/api/price").json()
    raw = stack.rpc("eth_call", {"to": FEED, "data": "0xfeaf968c"}, "latest")  # latestRoundData()
    answer, updated = int(raw[2 + 64:2 + 128], 16), int(raw[2 + 192:2 + 256], 16)
    assert price["known"] and price["answer"] == str(answer) and price["decimals"] == 8
    assert price["usd"] == "0.5" and price["feed"] == FEED
    assert price["updated_at"] == datetime.datetime.fromtimestamp(updated, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    prepared = stack.post_json("/api/tx/prepare", {"from": MOVER.address, "to": SWAPPER.address, "amount": "3"}).json()
    assert prepared["usd"]["value"] == "1.50" and prepared["usd"]["price"] == "0.5"
    cents = int(prepared["fee"]["max_wei"]) * answer // 10**24
    assert prepared["usd"]["fee_max"] == f"{cents // 100:,}.{cents % 100:02d}"


def test_validators_and_their_status_are_read_from_the_sfc(stack):
    overview = staking(stack, STAKER)
    assert [(v["id"], v["status"], v["active"]) for v in overview["validators"]] == [
        (1, "active", True), (2, "active", True), (3, "active", True), (4, "offline", False)]
    assert overview["validators"][0]["stake"] == str(50_000 * S) and overview["validators"][0]["stake_formatted"] == "50,000 S"
    assert overview["withdrawal_period"] == {"seconds": 3600, "epochs": 2}
    assert overview["commission_percent"] == "15"  # the ConstantsManager's validatorCommission, 0.15 × 10^18
    assert overview["positions"] == [] and overview["withdrawals"] == [] and overview["total_staked"] == "0"


def test_stake_claim_restake_unstake_and_withdraw_end_to_end(stack):
    # Delegate 100 S to validator 3: the balance falls by exactly 100 S and the fee.
    card = prepare_staking(stack, STAKER, "delegate", 3, amount="100")
    assert card["summary"] == "Stake 100 S with validator 3" and card["tx"]["value"] == hex(100 * S)
    before = balance(stack, STAKER)
    final = sign_send_confirm(stack, card, STAKER)
    assert balance(stack, STAKER) == before - 100 * S - fee_of(stack, final)
    assert position(staking(stack, STAKER), 3)["stake"] == str(100 * S)

    # Nothing to claim before an epoch is sealed: said before signing.
    early = prepare_staking(stack, STAKER, "claim", 3)
    assert not early["simulation"]["success"] and early["simulation"]["reason"].startswith("nothing to claim yet")

    # An epoch later the rewards are there; claiming pays exactly them, less the fee.
    seal(stack, 600)
    rewards = int(position(staking(stack, STAKER), 3)["pending_rewards"])
    assert rewards > 0
    card = prepare_staking(stack, STAKER, "claim", 3)
    assert card["simulation"]["success"], card
    before = balance(stack, STAKER)
    final = sign_send_confirm(stack, card, STAKER)
    assert balance(stack, STAKER) == before + rewards - fee_of(stack, final)

    # Restaking adds the next epoch's rewards to the stake.
    seal(stack, 600)
    rewards = int(position(staking(stack, STAKER), 3)["pending_rewards"])
    sign_send_confirm(stack, prepare_staking(stack, STAKER, "restake", 3), STAKER)
    after = position(staking(stack, STAKER), 3)
    assert int(after["stake"]) == 100 * S + rewards and after["pending_rewards"] == "0"
    staked = int(after["stake"])

    # Unstake 50 S: a new request id, the stake down by exactly 50 S, the opening date shown before and after.
    card = prepare_staking(stack, STAKER, "undelegate", 3, amount="50")
    assert card["summary"].startswith("Unstake 50 S from validator 3 (withdrawal request 1); it can be withdrawn from "), card["summary"]
    sign_send_confirm(stack, card, STAKER)
    overview = staking(stack, STAKER)
    assert int(position(overview, 3)["stake"]) == staked - 50 * S
    [request] = overview["withdrawals"]
    assert request["wr_id"] == 1 and request["amount"] == str(50 * S) and not request["open"]
    assert request["opens_epoch"] == overview["epoch"] + 2
    assert request["opens_at"] in card["summary"] or request["opens_epoch"] == request["requested_epoch"] + 2

    # Too early: the preview says when it opens.
    too_early = prepare_staking(stack, STAKER, "withdraw", 3, wr_id=1)
    assert not too_early["simulation"]["success"]
    assert too_early["simulation"]["reason"] == f"the withdrawal opens on {request['opens_at']}, once epoch {request['opens_epoch']} has begun"

    # The next undelegation gets the next id.
    assert "(withdrawal request 2)" in prepare_staking(stack, STAKER, "undelegate", 3, amount="1")["summary"]

    # After both periods: withdrawn, the balance up by exactly 50 S less the fee, the request gone.
    seal(stack, 3_700, epochs=2)
    assert staking(stack, STAKER)["withdrawals"][0]["open"]
    card = prepare_staking(stack, STAKER, "withdraw", 3)
    assert card["summary"] == "Withdraw 50 S unstaked from validator 3 (withdrawal request 1)" and card["simulation"]["success"]
    before = balance(stack, STAKER)
    final = sign_send_confirm(stack, card, STAKER)
    assert balance(stack, STAKER) == before + 50 * S - fee_of(stack, final)
    assert staking(stack, STAKER)["withdrawals"] == []


def test_an_inactive_validator_is_explained_before_signing(stack):
    card = prepare_staking(stack, STAKER, "delegate", 4, amount="1")
    assert card["summary"] == "Stake 1 S with validator 4 (offline)"
    assert card["simulation"] == {"success": False, "reason": "this validator is not active"}


@pytest.mark.parametrize("body, field", [
    ({"action": "bond", "validator": 1, "amount": "1"}, "action"),
    ({"action": "delegate", "amount": "1"}, "validator"),
    ({"action": "delegate", "validator": 9, "amount": "1"}, "validator"),
    ({"action": "delegate", "validator": "one", "amount": "1"}, "validator"),
    ({"action": "delegate", "validator": 1}, "amount"),
    ({"action": "undelegate", "validator": 1, "amount": "5"}, "amount"),
    ({"action": "claim", "validator": 1, "amount": "5"}, "amount"),
])
def test_bad_staking_requests_name_the_field(stack, body, field):
    answer = stack.post_json("/api/staking/prepare", {"from": MOVER.address, **body})
    assert answer.status == 422 and answer.json()["field"] == field, answer.body


def quote(stack, **body):
    answer = stack.post_json("/api/swap/quote", body)
    assert answer.status == 200, answer.body
    return answer.json()


def prepare_swap(stack, account, **body):
    answer = stack.post_json("/api/swap/prepare", {"from": account.address, **body})
    assert answer.status == 200, answer.body
    return answer.json()


def test_a_quote_is_the_pools_own_maths(stack):
    token0 = "0x" + hex(call_uint(stack, PAIR_WS_SUSD, "token0()"))[2:].rjust(40, "0")
    data = stack.rpc("eth_call", {"to": PAIR_WS_SUSD, "data": "0x0902f1ac"}, "latest")  # getReserves()
    reserve0, reserve1 = int(data[2:66], 16), int(data[66:130], 16)
    reserve_ws, reserve_susd = (reserve0, reserve1) if token0.lower() == WS.lower() else (reserve1, reserve0)
    answer = quote(stack, token_in="S", token_out="SUSD", amount="100")
    amount_in = 100 * S
    expected = amount_in * 997 * reserve_susd // (reserve_ws * 1000 + amount_in * 997)
    assert answer["expected_out"] == str(expected) and answer["minimum_out"] == str(expected * 9950 // 10000)
    mid = amount_in * 997 * reserve_susd // (reserve_ws * 1000)
    assert answer["price_impact_percent"] == f"{(mid - expected) * 10000 // mid / 100:g}"
    assert answer["route"] == ["S", "SUSD"] and answer["slippage_percent"] == "0.5" and answer["fees"][0]["amount"] == str(amount_in * 3 // 1000)
    assert answer["kind"] == "swap" and answer["contract"].lower() == ROUTER.lower()


def test_swap_s_for_a_token_wrap_and_unwrap(stack):
    card = prepare_swap(stack, SWAPPER, token_in="S", token_out="SUSD", amount="100")
    assert not card["approval_needed"]
    expected = int(card["quote"]["expected_out"])
    before, before_susd = balance(stack, SWAPPER), token_balance(stack, SUSD, SWAPPER)
    final = sign_send_confirm(stack, card["transaction"], SWAPPER)
    assert token_balance(stack, SUSD, SWAPPER) == before_susd + expected
    assert balance(stack, SWAPPER) == before - 100 * S - fee_of(stack, final)

    wrap = prepare_swap(stack, SWAPPER, token_in="S", token_out="wS", amount="5")
    assert wrap["quote"]["kind"] == "wrap" and wrap["transaction"]["summary"] == "Wrap 5 S into wS"
    sign_send_confirm(stack, wrap["transaction"], SWAPPER)
    assert token_balance(stack, WS, SWAPPER) == 5 * S
    unwrap = prepare_swap(stack, SWAPPER, token_in="wS", token_out="S", amount="2")
    before = balance(stack, SWAPPER)
    final = sign_send_confirm(stack, unwrap["transaction"], SWAPPER)
    assert token_balance(stack, WS, SWAPPER) == 3 * S and balance(stack, SWAPPER) == before + 2 * S - fee_of(stack, final)


def test_a_token_swap_asks_for_the_exact_approval_first(stack):
    sign_send_confirm(stack, prepare_swap(stack, MOVER, token_in="S", token_out="SUSD", amount="50")["transaction"], MOVER)
    first = prepare_swap(stack, MOVER, token_in="SUSD", token_out="S", amount="10")
    assert first["approval_needed"] and first["transaction"] is None
    assert first["approval"]["summary"] == f"Allow V2 router ({to_checksum_address(ROUTER)}) to spend up to 10 SUSD"
    assert first["approval"].get("notices") is None and first["approval"]["tx"]["to"] == to_checksum_address(SUSD)
    sign_send_confirm(stack, first["approval"], MOVER)
    then = prepare_swap(stack, MOVER, token_in="SUSD", token_out="S", amount="10")
    assert not then["approval_needed"]
    expected = int(then["quote"]["expected_out"])
    before, before_susd = balance(stack, MOVER), token_balance(stack, SUSD, MOVER)
    final = sign_send_confirm(stack, then["transaction"], MOVER)
    assert balance(stack, MOVER) == before + expected - fee_of(stack, final)
    assert token_balance(stack, SUSD, MOVER) == before_susd - 10 * 10**6


def test_slippage_exceeded_is_explained_before_signing(stack):
    seen = quote(stack, token_in="S", token_out="STT", amount="10")
    # Someone else's large swap moves the pool before ours is prepared with the minimum we accepted.
    sign_send_confirm(stack, prepare_swap(stack, MOVER, token_in="S", token_out="STT", amount="2000")["transaction"], MOVER)
    card = prepare_swap(stack, SWAPPER, token_in="S", token_out="STT", amount="10", minimum_out=seen["minimum_out"])
    assert not card["transaction"]["simulation"]["success"]
    assert card["transaction"]["simulation"]["reason"] == (
        f"slippage exceeded: the pools now give less than the minimum of {seen['minimum_out_formatted']} STT you accepted; "
        "quote again or allow more slippage")


@pytest.mark.parametrize("body, field", [
    ({"token_in": "S", "token_out": "S", "amount": "1"}, "token_out"),
    ({"token_in": "S", "token_out": "SUSD", "amount": "1", "slippage": "60"}, "slippage"),
    ({"token_in": "S", "token_out": "SUSD", "amount": "1.0000000000000000001"}, "amount"),
    ({"token_in": "NOPE", "token_out": "SUSD", "amount": "1"}, "token_in"),
])
def test_bad_quotes_name_the_field(stack, body, field):
    answer = stack.post_json("/api/swap/quote", body)
    assert answer.status == 422 and answer.json()["field"] == field, answer.body


def test_the_agent_stakes_wraps_and_quotes_with_cards_that_confirm(stack):
    session = session_headers(stack, TALKER)
    stake = ask(stack, "stake 20 S with validator 2", session)
    assert stake["reply"].startswith("Here is the stake to check: Stake 20 S with validator 2."), stake
    before = balance(stack, TALKER)
    final = sign_send_confirm(stack, stake["action"]["prepared"], TALKER)
    assert balance(stack, TALKER) == before - 20 * S - fee_of(stack, final)
    positions = ask(stack, "how much am I staking and what have I earned", session)["reply"]
    assert positions.startswith("You stake 20 S in all") and "• 20 S with validator 2" in positions, positions
    inactive = ask(stack, "stake 1 S with validator 4", session)["reply"]
    assert inactive.endswith("Careful: it would fail: this validator is not active."), inactive
    nothing = ask(stack, "withdraw my unstaked S", session)["reply"]
    assert nothing.startswith("You have no unstaked S waiting"), nothing
    wrap = ask(stack, "wrap 3 S", session)
    sign_send_confirm(stack, wrap["action"]["prepared"], TALKER)
    assert token_balance(stack, WS, TALKER) == 3 * S
    quoted = ask(stack, "what would 100 SUSD get me in S", session)
    assert quoted["reply"].startswith("100 SUSD would get about ") and not quoted.get("cards"), quoted


def history(stack, account):
    head = int(stack.rpc("eth_blockNumber"), 16)
    wait_until(lambda: (stack.indexed_block() or 0) >= head, 30, "the indexer to reach the head")
    answer = stack.get(f"/api/history/{account.address}?limit=100")
    assert answer.status == 200, answer.body
    return answer.json()["entries"]


def test_the_history_says_what_staking_wrapping_and_swaps_did(stack):
    staker = history(stack, STAKER)
    assert [e["type"] for e in reversed(staker)] == ["stake", "rewards_claim", "rewards_restake", "unstake", "stake_withdrawal"]
    paid = {e["type"]: e for e in staker}
    assert paid["stake"]["direction"] == "out" and paid["stake"]["amount_wei"] == str(100 * S)
    assert paid["unstake"]["direction"] == "self" and paid["unstake"]["amount_wei"] == str(50 * S)
    # S the SFC paid out is received, with the fee of the call that asked for it.
    assert paid["stake_withdrawal"]["direction"] == "in" and paid["stake_withdrawal"]["amount_wei"] == str(50 * S)
    assert paid["rewards_claim"]["direction"] == "in" and int(paid["rewards_claim"]["amount_wei"]) > 0 and paid["rewards_claim"]["fee_wei"]
    # Each names its validator, and the unstake and the withdrawal their request.
    assert {e["type"]: (e["validator"], e["request_id"]) for e in staker} == {
        "stake": (3, None), "rewards_claim": (3, None), "rewards_restake": (3, None), "unstake": (3, 1), "stake_withdrawal": (3, 1)}
    swapper = {e["type"]: e for e in history(stack, SWAPPER)}
    assert swapper["wrap"]["amount_wei"] == str(5 * S) and swapper["unwrap"]["amount_wei"] == str(2 * S)
    assert swapper["unwrap"]["direction"] == "in" and swapper["unwrap"]["token_address"] is None
    payout = [e for e in history(stack, MOVER) if e["type"] == "contract_payout"]
    assert len(payout) == 1 and payout[0]["direction"] == "in" and int(payout[0]["amount_wei"]) > 0


def worded(entries):
    """What the pages say of each entry (Public/js/activity.js, run by node)."""
    script = ("import { describeEntry } from " + json.dumps((ROOT / "Public/js/activity.js").as_uri()) + ";"
              "const entries = JSON.parse(process.argv[1]);"
              "console.log(JSON.stringify(entries.map((e) => describeEntry(e, 'S').sentence)));")
    run = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps(entries)], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_pages_word_staking_and_wrapping_for_a_person(stack):
    staker = list(reversed(history(stack, STAKER)))
    sentences = worded(staker)
    assert sentences[0] == "Staked 100 S with validator 3" and sentences[3] == "Unstaked 50 S from validator 3, withdrawal request 1"
    assert sentences[4] == "Withdrew 50 S from staking with validator 3, withdrawal request 1"
    assert sentences[1].startswith("Claimed ") and sentences[1].endswith(" S of staking rewards from validator 3")
    assert sentences[2].startswith("Restaked ") and sentences[2].endswith(" S of rewards with validator 3")
    swapper = worded([e for e in reversed(history(stack, SWAPPER)) if e["type"] in ("wrap", "unwrap")])
    assert swapper == ["Wrapped 5 S into wS", "Unwrapped 2 S from wS"]
    payout = worded([e for e in history(stack, MOVER) if e["type"] == "contract_payout"])
    assert len(payout) == 1 and payout[0].startswith("Received ") and payout[0].endswith(" S from a contract")
