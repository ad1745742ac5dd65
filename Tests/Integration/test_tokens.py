"""Any token and the allowances given, through nginx, sonic-fcgi, sonic-sync and the devnet: two
tokens of our own deployed by the test are received and listed with exact balances, a
spender is approved and listed, the allowance is revoked through the prepared card signed by
a development account, and bad input is refused naming the field.

Only development accounts 5 to 9 get new history here, so that no other test's expectations move."""

import json

import pytest
from eth_abi import encode
from eth_account import Account
from eth_hash.auto import keccak
from eth_utils import to_checksum_address

from siwe import session_headers
from stack import ROOT, Stack, wait_until

Account.enable_unaudited_hdwallet_features()
MNEMONIC = "test test test test test test test test test test test junk"
HOLDER, OWNER, FRIEND, ADDER = (Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in (9, 6, 7, 8))
UNLIMITED = 2**256 - 1


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("tokens")).start(contracts=True, sync=True)
    yield running
    running.stop()


def selector(signature: str) -> str:
    return "0x" + keccak(signature.encode())[:4].hex()


def transact(stack, sender, to, data):
    """eth_sendTransaction from an unlocked development account; the receipt, which must succeed."""
    tx_hash = stack.rpc("eth_sendTransaction", {"from": sender, **({"to": to} if to else {}), "data": data})
    receipt = stack.rpc("eth_getTransactionReceipt", tx_hash)
    assert int(receipt["status"], 16) == 1, receipt
    return receipt


def deploy_token(stack, name, symbol, decimals, supply):
    """Another TestToken (contracts/TestToken.vy), all of it minted to HOLDER."""
    artifact = json.loads((ROOT / "contracts" / "build" / "TestToken.json").read_text())
    arguments = encode(["string", "string", "uint8", "address[]", "uint256"], [name, symbol, decimals, [HOLDER.address], supply])
    receipt = stack.rpc("eth_getTransactionReceipt", stack.rpc("eth_sendTransaction", {
        "from": HOLDER.address, "data": artifact["bytecode"] + arguments.hex()}))
    return to_checksum_address(receipt["contractAddress"])


def call_uint(stack, to, signature, *words):
    data = selector(signature) + "".join(w[2:].lower().rjust(64, "0") for w in words)
    return int(stack.rpc("eth_call", {"to": to, "data": data}, "latest"), 16)


def sign(prepared, account):
    tx = prepared["tx"]
    fields = {"to": tx["to"], "value": int(tx["value"], 16), "data": tx["data"], "nonce": int(tx["nonce"], 16),
              "gas": int(tx["gas"], 16), "maxFeePerGas": int(tx["maxFeePerGas"], 16),
              "maxPriorityFeePerGas": int(tx["maxPriorityFeePerGas"], 16), "chainId": int(tx["chainId"], 16), "type": 2}
    return "0x" + Account.sign_transaction(fields, account.key).raw_transaction.hex().removeprefix("0x")


def sign_send_confirm(stack, prepared, account):
    """The card signed by `account`, sent through the API and followed to its end."""
    assert prepared["simulation"]["success"], prepared
    sent = stack.post_json("/api/tx/send", {"raw": sign(prepared, account)})
    assert sent.status == 200, sent.body
    final = stack.get(f"/api/tx/{sent.json()['hash']}?wait=20&since=pending").json()
    assert final["status"] == "confirmed", final
    return final


@pytest.fixture(scope="module")
def tokens(stack):
    """FIZZ (8 decimals, its name with a control character) and BZZ (18), deployed; OWNER
    receives 12.5 FIZZ and 3 BZZ from HOLDER, and the indexer has seen it."""
    fizz = deploy_token(stack, "Fizz\nToken", "FIZZ", 8, 10**6 * 10**8)
    buzz = deploy_token(stack, "Buzz", "BZZ", 18, 10**6 * 10**18)
    transfer = selector("transfer(address,uint256)")
    transact(stack, HOLDER.address, fizz, transfer + OWNER.address[2:].lower().rjust(64, "0") + format(1_250_000_000, "064x"))
    transact(stack, HOLDER.address, buzz, transfer + OWNER.address[2:].lower().rjust(64, "0") + format(3 * 10**18, "064x"))
    stack.wait_indexed()
    return {"FIZZ": fizz, "BZZ": buzz}


def holdings(stack, address):
    answer = stack.get(f"/api/tokens/{address}")
    assert answer.status == 200, answer.body
    return {token["token"]["symbol"]: token for token in answer.json()["tokens"]}


def test_two_tokens_received_are_listed_with_exact_balances_and_marked_unverified(stack, tokens):
    listed = holdings(stack, OWNER.address)
    fizz, buzz = listed["FIZZ"], listed["BZZ"]
    assert (fizz["balance"], fizz["formatted"], fizz["origin"]) == ("1250000000", "12.5", "received")
    assert (buzz["balance"], buzz["formatted"]) == (str(3 * 10**18), "3")
    assert fizz["token"] == {"address": tokens["FIZZ"], "name": "Fizz Token", "symbol": "FIZZ", "decimals": 8, "verified": False, "source": None}
    susd = listed["SUSD"]
    assert susd["token"]["verified"] and susd["origin"] == "verified"
    assert int(susd["balance"]) == call_uint(stack, stack.deployments["TestToken"]["address"], "balanceOf(address)", OWNER.address)
    # An address that never received them lists only the verified tokens.
    assert set(holdings(stack, Account.create().address)) == {"SUSD"}


def test_any_token_is_sent_with_its_own_decimals_and_named_unverified(stack, tokens):
    before = call_uint(stack, tokens["FIZZ"], "balanceOf(address)", FRIEND.address)
    prepared = stack.post_json("/api/tx/prepare", {"from": OWNER.address, "to": FRIEND.address, "amount": "1.00000001", "token": tokens["FIZZ"]})
    assert prepared.status == 200, prepared.body
    card = prepared.json()
    assert card["summary"] == f"Send 1.00000001 FIZZ (unverified token {tokens['FIZZ']}) to {FRIEND.address}"
    assert [notice["code"] for notice in card["notices"]] == ["unverified_token"]
    sign_send_confirm(stack, card, OWNER)
    assert call_uint(stack, tokens["FIZZ"], "balanceOf(address)", FRIEND.address) == before + 100_000_001
    wait_until(lambda: holdings(stack, OWNER.address)["FIZZ"]["balance"] == str(1_250_000_000 - 100_000_001), 10, "the new balance")
    # By the symbol of a token it holds (the indexer kept what FIZZ says of itself when it first saw it).
    by_symbol = stack.post_json("/api/tx/prepare", {"from": OWNER.address, "to": FRIEND.address, "amount": "2", "token": "fizz"}).json()
    assert by_symbol["tx"]["to"] == tokens["FIZZ"] and by_symbol["tx"]["data"].endswith(format(2 * 10**8, "064x"))


def test_approve_list_revoke_through_the_card_then_nothing_to_revoke(stack, tokens):
    spender = stack.deployments["SmartSonicSubscription"]["address"]
    approve = stack.post_json("/api/allowances/approve", {"from": OWNER.address, "token": tokens["FIZZ"], "spender": spender, "amount": "2.5"})
    assert approve.status == 200, approve.body
    card = approve.json()
    assert card["summary"] == f"Allow SmartSonicSubscription ({spender}) to spend up to 2.5 FIZZ (unverified token {tokens['FIZZ']})"
    assert card["tx"]["to"] == tokens["FIZZ"] and card["tx"]["data"].startswith(selector("approve(address,uint256)"))
    sign_send_confirm(stack, card, OWNER)
    stack.wait_indexed()

    given = stack.get(f"/api/allowances/{OWNER.address}").json()["allowances"]
    assert len(given) == 1
    assert given[0]["spender"] == {"address": spender, "name": "SmartSonicSubscription"}
    assert (given[0]["allowance"], given[0]["formatted"], given[0]["unlimited"], given[0]["approved"]) == ("250000000", "2.5", False, "250000000")
    history = stack.get(f"/api/history/{OWNER.address}?type=token_approval").json()["entries"]
    assert [(e["counterparty"], e["amount_wei"], e["method"], e["direction"]) for e in history] == [(spender, "250000000", "approve", "out")]

    revoke = stack.post_json("/api/allowances/revoke", {"from": OWNER.address, "token": tokens["FIZZ"], "spender": spender})
    assert revoke.status == 200, revoke.body
    assert revoke.json()["summary"].startswith(f"Revoke SmartSonicSubscription ({spender})'s allowance of your FIZZ")
    sign_send_confirm(stack, revoke.json(), OWNER)
    assert call_uint(stack, tokens["FIZZ"], "allowance(address,address)", OWNER.address, spender) == 0
    stack.wait_indexed()
    after = stack.get(f"/api/allowances/{OWNER.address}").json()["allowances"]
    assert [(a["allowance"], a["approved"]) for a in after] == [("0", "0")]
    again = stack.post_json("/api/allowances/revoke", {"from": OWNER.address, "token": tokens["FIZZ"], "spender": spender})
    assert again.status == 409 and "nothing to revoke" in again.json()["detail"]


def test_unlimited_only_when_asked_and_with_a_notice(stack, tokens):
    stranger = Account.create().address
    card = stack.post_json("/api/allowances/approve", {"from": OWNER.address, "token": "SUSD", "spender": stranger, "unlimited": True}).json()
    assert card["summary"] == f"Allow {stranger} to spend all your SUSD, without limit"
    assert card["tx"]["data"].endswith("f" * 64)
    assert [n["code"] for n in card["notices"]] == ["unknown_spender", "unlimited_allowance"]


@pytest.mark.parametrize("path, body, field, words", [
    ("/api/tx/prepare", {"to": FRIEND.address, "amount": "0.000000001", "token": "FIZZ"}, "amount", "more than 8 decimal places"),
    ("/api/tx/prepare", {"to": FRIEND.address, "amount": "1", "token": "NOPE"}, "token", "nor one of your tokens"),
    ("/api/tx/prepare", {"to": FRIEND.address, "amount": "1", "token": "0x1234"}, "token", "20 bytes"),
    ("/api/tx/prepare", {"to": FRIEND.address, "amount": "1", "token": HOLDER.address}, "token", "does not answer"),
    ("/api/allowances/approve", {"token": "SUSD", "spender": "0x12", "amount": "1"}, "spender", "20 bytes"),
    ("/api/allowances/approve", {"token": "SUSD", "spender": FRIEND.address}, "amount", "amount is required"),
    ("/api/allowances/approve", {"token": "SUSD", "spender": FRIEND.address, "amount": "1.0000001"}, "amount", "more than 6 decimal places"),
    ("/api/allowances/revoke", {"token": "NOPE", "spender": FRIEND.address}, "token", "not one we know"),
])
def test_bad_input_is_refused_naming_the_field(stack, tokens, path, body, field, words):
    body = {"from": OWNER.address, **body}
    if body.get("token") in tokens:
        body["token"] = tokens[body["token"]]
    answer = stack.post_json(path, body)
    assert answer.status == 422 and answer.headers["Content-Type"] == "application/problem+json", answer.body
    assert answer.json()["field"] == field and words in answer.json()["detail"], answer.json()


def test_bad_addresses_in_the_path_are_400(stack):
    for path in ("/api/tokens/0x1234", "/api/allowances/nope"):
        answer = stack.get(path)
        assert answer.status == 400 and answer.json()["field"] == "address"


def test_a_signed_in_address_adds_a_token_by_its_contract(stack, tokens):
    assert stack.post_json("/api/tokens", {"token": tokens["BZZ"]}).status == 401
    headers = session_headers(stack, ADDER)
    added = stack.post_json("/api/tokens", {"token": tokens["BZZ"]}, headers)
    assert added.status == 201 and added.json()["token"]["symbol"] == "BZZ"
    listed = holdings(stack, ADDER.address)
    assert (listed["BZZ"]["origin"], listed["BZZ"]["balance"]) == ("added", "0")
    not_a_token = stack.post_json("/api/tokens", {"token": FRIEND.address}, headers)
    assert not_a_token.status == 422 and not_a_token.json()["field"] == "token"
    removed = stack.request("DELETE", f"/api/tokens/{tokens['BZZ']}", headers=headers)
    assert removed.status == 204 and "BZZ" not in holdings(stack, ADDER.address)


def test_the_agent_lists_tokens_and_approvals_and_prepares_a_revoke(stack, tokens):
    headers = session_headers(stack, OWNER)
    ask = lambda message: stack.post_json("/api/agent", {"message": message}, headers).json()  # noqa: E731
    listed = ask("what tokens do I have?")["reply"]
    assert f"FIZZ (unverified token {tokens['FIZZ']})" in listed and "3 BZZ" in listed
    spender = FRIEND.address
    card = stack.post_json("/api/allowances/approve", {"from": OWNER.address, "token": "SUSD", "spender": spender, "amount": "4"}).json()
    sign_send_confirm(stack, card, OWNER)
    stack.wait_indexed()
    assert f"{spender} may spend 4 SUSD" in ask("show my approvals")["reply"]
    revoke = ask(f"revoke SUSD for {spender}")
    assert revoke["action"]["prepared"]["summary"].startswith(f"Revoke {spender}'s allowance of your SUSD")
    sign_send_confirm(stack, revoke["action"]["prepared"], OWNER)
    assert call_uint(stack, stack.deployments["TestToken"]["address"], "allowance(address,address)", OWNER.address, spender) == 0
