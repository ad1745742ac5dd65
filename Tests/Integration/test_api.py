"""The backend's endpoints through nginx, against the devnet with our contracts deployed."""

import time

import pytest
from eth_account import Account
from eth_hash.auto import keccak

from stack import DEV_KEY, Stack, wait_until

ALICE = Account.from_key(DEV_KEY)
BOB = Account.from_key("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
S = 10**18


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("api")).start(contracts=True)
    yield running
    running.stop()


def sign(prepared, key=DEV_KEY):
    tx = prepared["tx"]
    fields = {"to": tx["to"], "value": int(tx["value"], 16), "data": tx["data"], "nonce": int(tx["nonce"], 16),
              "gas": int(tx["gas"], 16), "maxFeePerGas": int(tx["maxFeePerGas"], 16),
              "maxPriorityFeePerGas": int(tx["maxPriorityFeePerGas"], 16), "chainId": int(tx["chainId"], 16), "type": 2}
    return "0x" + Account.sign_transaction(fields, key).raw_transaction.hex()


def wait_final(stack, tx_hash, timeout=15):
    answer = stack.get(f"/api/tx/{tx_hash}?wait={timeout}&since=pending").json()
    return answer


def test_network_names_the_chain_and_our_contracts(stack):
    info = stack.get("/api/network").json()
    assert info["chain_id"] == 31337 and info["chain_id_hex"] == "0x7a69"
    assert info["symbol"] == "S"
    assert set(info["contracts"]) >= {"SmartSonicSubscription", "SmartSonicNFT", "TestToken", "Multicall3"}
    # The tokens the network lists (the Swap page's choices besides the address's own): wS and the
    # devnet's pool tokens at their genesis addresses, each verified with where its address comes from.
    listed = {token["address"]: token for token in info["tokens"]}
    for address, symbol, decimals in [("0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38", "wS", 18),
                                      ("0xDef1000000000000000000000000000000000004", "SUSD", 6),
                                      ("0xdEF1000000000000000000000000000000000005", "STT", 18)]:
        assert (listed[address]["symbol"], listed[address]["decimals"], listed[address]["verified"]) == (symbol, decimals, True), listed
        assert "genesis" in listed[address]["source"]
    assert info["latest_block"] >= 4
    assert int(info["gas_price_wei"]) > 0


def test_balance_matches_the_chain_exactly(stack):
    answer = stack.get(f"/api/balance/{BOB.address}?tokens=SUSD")
    assert answer.status == 200
    body = answer.json()
    assert body["address"] == BOB.address
    assert body["native"]["balance"] == str(int(stack.rpc("eth_getBalance", BOB.address, "latest"), 16))
    assert body["tokens"][0]["symbol"] == "SUSD" and body["tokens"][0]["balance"] == str(10**12)
    assert body["tokens"][0]["formatted"] == "1000000"
    assert body["stale"] is False
    assert body["block"] <= int(stack.rpc("eth_blockNumber"), 16) and body["cached_at"].endswith("Z")
    # The next answer (from the cache, rendered once per reading, unless the TTL ran out
    # in between) is the same document but for its age.
    again = stack.get(f"/api/balance/{BOB.address}?tokens=SUSD").json()
    timing = ("age_seconds", "cached_at")
    assert {k: v for k, v in again.items() if k not in timing} == {k: v for k, v in body.items() if k not in timing}


def test_balance_refusals_name_the_field(stack):
    # Flip the case of one letter: still mixed case, no longer the EIP-55 checksum.
    index = next(i for i, c in enumerate(BOB.address) if i > 1 and c.isalpha())
    bad_checksum = BOB.address[:index] + BOB.address[index].swapcase() + BOB.address[index + 1:]
    answer = stack.get(f"/api/balance/{bad_checksum}")
    assert answer.status == 400 and answer.json()["field"] == "address" and "checksum" in answer.json()["detail"]
    unknown = stack.get(f"/api/balance/{BOB.address}?tokens=DOGE")
    assert unknown.status == 400 and unknown.json()["field"] == "tokens" and "SUSD" in unknown.json()["detail"]


def test_prepare_sign_send_and_long_poll_to_confirmed(stack):
    before = int(stack.get(f"/api/balance/{BOB.address}").json()["native"]["balance"])
    prepared = stack.post_json("/api/tx/prepare", {"from": ALICE.address, "to": BOB.address, "amount": "1.5"}).json()
    assert prepared["summary"] == f"Send 1.5 S to {BOB.address}"
    assert prepared["simulation"] == {"success": True, "gas_estimate": 21000}
    assert int(prepared["tx"]["value"], 16) == 3 * S // 2
    assert prepared["tx"]["chainId"] == "0x7a69" and prepared["tx"]["type"] == "0x2"
    assert int(prepared["fee"]["max_wei"]) == int(prepared["tx"]["gas"], 16) * int(prepared["tx"]["maxFeePerGas"], 16)
    raw = sign(prepared)
    tx_hash = "0x" + keccak(bytes.fromhex(raw[2:])).hex()

    # Track first and wait, then send: the long-poll must be woken by the confirmation.
    assert stack.post_json("/api/tx/track", {"hash": tx_hash}).json()["status"] == "pending"
    result = {}

    def poll():
        result["answer"] = stack.get(f"/api/tx/{tx_hash}?wait=20&since=pending").json()
        result["answered_at"] = time.monotonic()

    waiter = stack.start_parked(poll)
    sent_at = time.monotonic()
    sent = stack.post_json("/api/tx/send", {"raw": raw}).json()
    assert sent == {"hash": tx_hash, "from": ALICE.address, "nonce": int(prepared["tx"]["nonce"], 16), "status": "pending"}
    waiter.join(25)
    answer = result["answer"]
    assert answer["status"] == "confirmed"
    assert answer["gas_used"] == 21000 and int(answer["fee_wei"]) > 0
    assert result["answered_at"] > sent_at  # it waited for the send ...
    assert time.monotonic() - sent_at < 3  # ... and was answered soon after the confirmation
    wait_until(lambda: int(stack.get(f"/api/balance/{BOB.address}").json()["native"]["balance"]) == before + 3 * S // 2, 5, "balance")


def test_long_poll_times_out_with_the_current_state(stack):
    unknown = "0x" + "ab" * 32
    stack.post_json("/api/tx/track", {"hash": unknown})
    started = time.monotonic()
    answer = stack.get(f"/api/tx/{unknown}?wait=1&since=pending").json()
    assert answer["status"] == "pending"
    assert 0.9 <= time.monotonic() - started < 3


@pytest.mark.parametrize("body, status, field, words", [
    ({"from": ALICE.address, "to": BOB.address, "amount": "1.0000000000000000001"}, 422, "amount", "18 decimal"),
    ({"from": ALICE.address, "to": BOB.address, "amount": "0"}, 422, "amount", "more than 0"),
    ({"from": ALICE.address, "to": BOB.address, "amount": "-1"}, 422, "amount", "negative"),
    ({"from": ALICE.address, "to": BOB.address, "amount": "1", "memo": "hi"}, 400, "memo", "not a field"),
    ({"from": ALICE.address, "to": BOB.address}, 422, "amount", "required"),
    ({"from": ALICE.address, "to": "0x1234", "amount": "1"}, 422, "to", "20 bytes"),
    ({"from": ALICE.address, "to": BOB.address, "amount": "1", "token": "DOGE"}, 422, "token", "SUSD"),
])
def test_prepare_refusals(stack, body, status, field, words):
    answer = stack.post_json("/api/tx/prepare", body)
    assert answer.status == status
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["field"] == field and words in problem["detail"]


def test_prepare_refuses_what_the_balance_cannot_pay(stack):
    poor = Account.create().address
    answer = stack.post_json("/api/tx/prepare", {"from": poor, "to": BOB.address, "amount": "1"})
    assert answer.status == 422
    assert "not enough S for the amount and the fee" in answer.json()["detail"]


def test_bad_bodies(stack):
    assert stack.request("POST", "/api/tx/prepare", b"{}", {"Content-Type": "text/plain"}).status == 415
    assert stack.post_json("/api/tx/prepare", b"{not json").status == 400
    assert stack.post_json("/api/tx/prepare", b"[1,2]").status == 400
    garbage = stack.post_json("/api/tx/send", {"raw": "0x02c0"})
    assert garbage.status == 422 and garbage.json()["field"] == "raw"


def test_token_transfer_prepared(stack):
    prepared = stack.post_json("/api/tx/prepare", {"from": ALICE.address, "to": BOB.address, "amount": "2.5", "token": "susd"}).json()
    assert prepared["summary"] == f"Send 2.5 SUSD to {BOB.address}"
    assert prepared["tx"]["to"] == stack.deployments["TestToken"]["address"]
    assert prepared["tx"]["data"].startswith("0xa9059cbb")
    assert prepared["tx"]["value"] == "0x0"


def test_wrong_chain_is_refused(stack):
    tx = {"to": BOB.address, "value": 1, "gas": 21000, "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9, "nonce": 0, "chainId": 146}
    raw = "0x" + Account.sign_transaction(tx, DEV_KEY).raw_transaction.hex()
    answer = stack.post_json("/api/tx/send", {"raw": raw})
    assert answer.status == 422 and "chain id 146" in answer.json()["detail"]


def test_reverting_transaction_is_failed_with_its_reason(stack):
    subscription = stack.deployments["SmartSonicSubscription"]["address"]
    nonce = int(stack.rpc("eth_getTransactionCount", BOB.address, "pending"), 16)
    tx = {"to": subscription, "value": 1, "gas": 100_000, "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9, "nonce": nonce,
          "chainId": 31337, "data": "0xefef39a1" + (1).to_bytes(32, "big").hex()}  # purchase(1) with 1 wei
    raw = "0x" + Account.sign_transaction(tx, "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").raw_transaction.hex()
    sent = stack.post_json("/api/tx/send", {"raw": raw}).json()
    answer = wait_final(stack, sent["hash"])
    assert answer["status"] == "failed"
    assert answer["reason"] == "subscription: wrong payment"


def test_subscription_purchase_through_the_api(stack):
    status = stack.get(f"/api/subscription/{BOB.address}").json()
    assert status["price"] == "1" and status["period_days"] == 30
    prepared = stack.post_json("/api/subscription/prepare", {"from": BOB.address, "months": 2}).json()
    assert int(prepared["tx"]["value"], 16) == 2 * S
    assert prepared["summary"] == "Buy 2 months of premium for 2 S"
    sent = stack.post_json("/api/tx/send", {"raw": sign(prepared, "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")}).json()
    assert wait_final(stack, sent["hash"])["status"] == "confirmed"
    after = stack.get(f"/api/subscription/{BOB.address}").json()
    assert after["active"] is True and after["expires_at"] > time.time() + 59 * 86400
    bad = stack.post_json("/api/subscription/prepare", {"from": BOB.address, "months": 0})
    assert bad.status == 422 and bad.json()["field"] == "months"


def test_signed_in_subscribers_get_a_higher_rate_limit(stack):
    """5 a minute per IP, 10 signed in, 20 signed in with premium (Bob bought it above)."""
    from siwe import session_headers

    stack.stop_fcgi()
    stack.start_fcgi(SONIC_RATE_LIMIT_PER_MINUTE="5")
    try:
        def burst(headers):
            return sum(stack.get("/api/auth/me", headers).status != 429 for _ in range(30))

        carol = session_headers(stack, Account.create())  # signing in takes two of the IP's 5
        bob = session_headers(stack, BOB)  # and two more
        assert burst(carol) == 10
        assert burst(bob) == 20
        assert burst({}) in (1, 2)  # what the IP has left (a token may have refilled meanwhile)
    finally:
        stack.stop_fcgi()
        stack.start_fcgi()


def balance_unless(stack, address, stale: bool):
    """The balance answer for `address`, or None while it is still a 200 with `stale` as given."""
    answer = stack.get(f"/api/balance/{address}")
    return None if answer.status == 200 and answer.json()["stale"] is stale else answer


def test_devnet_down_serves_stale_balances_then_503(stack):
    fresh = stack.get(f"/api/balance/{ALICE.address}").json()
    assert fresh["stale"] is False
    stack.stop_devnet()
    stale = wait_until(lambda: balance_unless(stack, ALICE.address, stale=False), 5, "the kept balance to pass its TTL (0.5 s)")
    assert stale.status == 200
    assert stale.json()["stale"] is True and stale.json()["age_seconds"] >= 0.5
    assert stale.json()["native"] == fresh["native"]
    gone = wait_until(lambda: balance_unless(stack, ALICE.address, stale=True), 10, "SONIC_MAX_STALENESS (4 s) to pass")
    assert gone.status == 503 and gone.headers["Retry-After"]
