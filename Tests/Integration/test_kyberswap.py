"""Swaps with KyberSwap's aggregator configured (SONIC_KYBERSWAP_URL), against a local fake of its
API that checks every request against the documented shape (kyberswap_fake.py) and builds
transactions through the devnet's own V2 router, so they simulate and run for real: the router's
quote and the aggregator's are compared and the better one is shown with where it comes from;
the built transaction is simulated like any other; a route older than a few seconds is taken
again; an aggregator that names another router, or does not answer, is not used. Accounts 5 to 8
act, on a devnet of this module's own."""

import json
import time

import pytest
from eth_account import Account

from kyberswap_fake import NATIVE, FakeKyberSwap
from stack import Stack
from test_defi import ROUTER, S, STT, SUSD, WS, balance, fee_of, prepare_swap, quote, token_balance
from test_tokens import MNEMONIC, sign_send_confirm

BUYER, SELLER, WATCHER = (Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in (5, 6, 7))


@pytest.fixture(scope="module")
def kyber(stack):
    return stack.kyber


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("kyberswap")).start(sync=True)
    running.kyber = FakeKyberSwap(running, router=ROUTER, wrapped=WS)
    running.stop_fcgi()
    running.start_fcgi(SONIC_KYBERSWAP_URL=running.kyber.url, SONIC_KYBERSWAP_ROUTER=ROUTER, SONIC_KYBERSWAP_CLIENT_ID="smart-sonic-tests")
    yield running
    running.kyber.stop()
    running.stop()


@pytest.fixture(autouse=True)
def honest(kyber):
    """Each test starts with an aggregator that answers as the router does, from its own router."""
    kyber.factor, kyber.answer_router, kyber.failing, kyber.extra_value = (1000, 1000), ROUTER, False, 0
    kyber.requests.clear()
    yield
    assert kyber.refusals == [], "a request did not have KyberSwap's documented shape"


def test_a_better_aggregator_quote_is_shown_with_its_source_and_the_routers_beside_it(stack, kyber):
    kyber.factor = (1002, 1000)  # 0.2 % more than the pools give
    answer = quote(stack, token_in="S", token_out="SUSD", amount="10")
    router_out = int(next(c for c in answer["compared"] if c["source"] == "router")["expected_out"])
    assert answer["source"] == "KyberSwap" and int(answer["expected_out"]) == router_out * 1002 // 1000
    assert [c["source"] for c in answer["compared"]] == ["router", "KyberSwap"]
    assert answer["minimum_out"] == str(int(answer["expected_out"]) * 9950 // 10000) and answer["fees"] == []
    assert answer["contract"].lower() == ROUTER.lower() and answer["price_impact_percent"] == "0"  # better than the pools' price
    (method, path, query, headers), = [r for r in kyber.requests if r[0] == "GET"]
    assert path == "/sonic/api/v1/routes" and headers["x-client-id"] == "smart-sonic-tests"
    assert query == {"tokenIn": NATIVE, "tokenOut": SUSD, "amountIn": str(10 * S)}


def test_the_chosen_aggregator_route_is_built_simulated_signed_and_confirmed(stack, kyber):
    kyber.factor = (1002, 1000)
    card = prepare_swap(stack, BUYER, token_in="S", token_out="SUSD", amount="10")
    shown = card["quote"]
    assert shown["source"] == "KyberSwap" and card["transaction"]["summary"].endswith(" through KyberSwap")
    (_, path, body, headers), = [r for r in kyber.requests if r[0] == "POST"]
    sent = json.loads(body)
    assert path == "/sonic/api/v1/route/build" and headers["content-type"] == "application/json"
    assert sent["sender"] == sent["recipient"] == BUYER.address and sent["slippageTolerance"] == 50
    assert sent["deadline"] == shown["deadline"]
    assert card["transaction"]["tx"]["to"].lower() == ROUTER.lower() and int(card["transaction"]["tx"]["value"], 16) == 10 * S
    before, before_susd = balance(stack, BUYER), token_balance(stack, SUSD, BUYER)
    final = sign_send_confirm(stack, card["transaction"], BUYER)
    got = token_balance(stack, SUSD, BUYER) - before_susd
    assert int(shown["minimum_out"]) <= got < int(shown["expected_out"])  # the pools gave their own amount, above the minimum
    assert balance(stack, BUYER) == before - 10 * S - fee_of(stack, final)


def test_an_aggregator_promising_more_than_it_delivers_fails_its_simulation_before_signing(stack, kyber):
    kyber.factor = (1030, 1000)  # 3 % above what the swap it builds can give
    card = prepare_swap(stack, BUYER, token_in="S", token_out="STT", amount="5")
    assert card["quote"]["source"] == "KyberSwap"
    simulation = card["transaction"]["simulation"]
    assert not simulation["success"] and simulation["reason"].startswith("slippage exceeded: the pools now give less than the minimum")


def test_a_worse_aggregator_quote_leaves_the_router_and_is_shown_beside_it(stack, kyber):
    kyber.factor = (990, 1000)
    answer = quote(stack, token_in="S", token_out="SUSD", amount="11")  # (a route of 10 S is still kept from above)
    router, aggregated = answer["compared"]
    assert answer["source"] == "router" and answer["expected_out"] == router["expected_out"]
    assert int(aggregated["expected_out"]) == int(router["expected_out"]) * 990 // 1000 and aggregated["problem"] is None
    card = prepare_swap(stack, BUYER, token_in="S", token_out="SUSD", amount="1")
    assert card["quote"]["source"] == "router" and not card["transaction"]["summary"].endswith("through KyberSwap")
    assert [r for r in kyber.requests if r[0] == "POST"] == []  # nothing built when the router wins


def test_a_token_going_in_is_approved_for_the_aggregators_router_first(stack, kyber):
    kyber.factor = (1002, 1000)
    sign_send_confirm(stack, prepare_swap(stack, SELLER, token_in="S", token_out="SUSD", amount="20")["transaction"], SELLER)
    first = prepare_swap(stack, SELLER, token_in="SUSD", token_out="S", amount="4")
    assert first["approval_needed"] and first["quote"]["source"] == "KyberSwap"
    sign_send_confirm(stack, first["approval"], SELLER)
    then = prepare_swap(stack, SELLER, token_in="SUSD", token_out="S", amount="4")
    assert then["quote"]["source"] == "KyberSwap" and int(then["transaction"]["tx"]["value"], 16) == 0
    (_, _, query, _), = [r for r in kyber.requests if r[0] == "GET"][-1:]
    assert query == {"tokenIn": SUSD, "tokenOut": NATIVE, "amountIn": str(4 * 10**6)}
    before_susd = token_balance(stack, SUSD, SELLER)
    sign_send_confirm(stack, then["transaction"], SELLER)
    assert token_balance(stack, SUSD, SELLER) == before_susd - 4 * 10**6


def test_a_route_is_built_as_quoted_within_seconds_and_taken_again_after(stack, kyber):
    kyber.factor = (1002, 1000)
    quote(stack, token_in="S", token_out="STT", amount="3")
    prepare_swap(stack, WATCHER, token_in="S", token_out="STT", amount="3")
    gets = [r for r in kyber.requests if r[0] == "GET"]
    assert len(gets) == 1  # the prepare built the route the quote showed (the fake checks it came back verbatim)
    time.sleep(5.5)
    prepare_swap(stack, WATCHER, token_in="S", token_out="STT", amount="3")
    assert len([r for r in kyber.requests if r[0] == "GET"]) == 2  # older than 5 s: taken again


def test_an_aggregator_naming_another_router_is_not_used(stack, kyber):
    kyber.factor, kyber.answer_router = (1050, 1000), "0x000000000000000000000000000000000000dEaD"
    answer = quote(stack, token_in="S", token_out="SUSD", amount="7")
    assert answer["source"] == "router"
    problem = answer["compared"][1]["problem"]
    assert "named the router 0x000000000000000000000000000000000000dEaD" in problem and answer["compared"][1]["expected_out"] is None


def test_a_built_transaction_asking_for_more_s_than_goes_in_is_refused_not_signed(stack, kyber):
    kyber.factor, kyber.extra_value = (1002, 1000), 1
    answer = stack.post_json("/api/swap/prepare", {"from": BUYER.address, "token_in": "S", "token_out": "SUSD", "amount": "6"})
    assert answer.status == 502, answer.body
    assert answer.json()["detail"] == (f"KyberSwap's transaction was not used: it goes to {stack.kyber.router} with 6.000000000000000001 S, "
                                       f"not to {stack.kyber.router} with 6 S")


def test_an_aggregator_that_fails_leaves_the_router(stack, kyber):
    kyber.failing = True
    answer = quote(stack, token_in="S", token_out="SUSD", amount="2")
    assert answer["source"] == "router" and answer["compared"][1]["problem"] == "KyberSwap's answer was not used: it answered 500: internal server error"


def test_the_agent_says_where_a_quote_comes_from(stack, kyber):
    kyber.factor = (1002, 1000)
    reply = stack.post_json("/api/agent", {"message": "what would 10 S get me in SUSD"}).json()["reply"]
    assert " now via KyberSwap (router: " in reply and "fees in the price" in reply
