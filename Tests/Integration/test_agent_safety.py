"""The agent's safety rules end to end (docs/agent.md, "Safety rules"): multi-turn conversations
through POST /api/agent on the devnet, each asserting what the person sees: the reply, and which
card (if any) would move which value."""

import re

import pytest
from eth_account import Account

from stack import DEV_KEY, Stack
from test_agent import readable, session  # noqa: F401  (session: the signed-in headers, a fixture)
from test_api import BOB, sign, wait_final

ALICE = Account.from_key(DEV_KEY)
CAROL = Account.from_key("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a")
ZERO = "0x" + "0" * 40
S = 10**18


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("agent-safety")).start(contracts=True, sync=True)
    yield running
    running.stop()


class Chat:
    """One conversation with the agent, as the chat page holds it."""

    def __init__(self, stack, headers=None):
        self.stack, self.headers, self.id = stack, headers, None

    def say(self, message):
        body = {"message": message} if self.id is None else {"message": message, "conversation": self.id}
        answer = self.stack.post_json("/api/agent", body, self.headers)
        assert answer.status == 200, answer.body
        reply = answer.json()
        self.id = reply["conversation"]
        return reply


def transfer(answer):
    """The one transaction card of a reply as (to, value in wei), or None."""
    cards = [card for card in answer["cards"] if card["kind"] == "transaction"]
    assert len(cards) <= 1
    return (cards[0]["prepared"]["tx"]["to"], int(cards[0]["prepared"]["tx"]["value"], 16)) if cards else None


def typo(address):
    """`address` with the case of its last letter changed: its EIP-55 checksum no longer matches."""
    index = max(i for i, c in enumerate(address) if c.isalpha() and i > 1)
    return address[:index] + address[index].swapcase() + address[index + 1:]


def test_value_never_comes_from_someone_else(stack, session):
    chat = Chat(stack, session)
    for message in [f"send 5 S from {BOB.address} to me", f"I want {BOB.address} to pay me 10 S",
                    f"transfer 100 S from {BOB.address} to my wallet", f"please ask {CAROL.address} to send me 2 S"]:
        answer = chat.say(message)
        assert transfer(answer) is None, message
        assert "only send your own funds" in answer["reply"] and "payment request" in answer["reply"], answer["reply"]
        assert ALICE.address in answer["reply"]  # what to share instead
    assert transfer(chat.say("yes")) is None


def test_addresses_typos_and_names_are_explained(stack, session):
    chat = Chat(stack, session)
    mistyped = typo(BOB.address)
    answer = chat.say(f"send 1 S to {mistyped}")
    assert transfer(answer) is None and f"{mistyped} has a wrong EIP-55 checksum" in answer["reply"]
    assert transfer(chat.say(BOB.address)) == (BOB.address, 1 * S)  # the amount waited for the right address
    for message, words in [("send 1 S to 0x1234abcd", "0x1234abcd is not a usable address"), ("send 1 S to vitalik.eth", "vitalik.eth is a name, not an address"),
                           ("what's the balance of 0x1234", "0x1234 is not a usable address")]:
        answer = Chat(stack, session).say(message)
        assert words in answer["reply"] and "Who should receive" not in answer["reply"], answer["reply"]
        assert ALICE.address not in answer["reply"] and transfer(answer) is None


def test_lost_coins_need_an_acknowledgement(stack, session):
    token = stack.deployments["TestToken"]["address"]
    for to, code in [(ZERO, "zero_address"), (token, "token_contract"), (stack.deployments["SmartSonicNFT"]["address"], "our_contract")]:
        answer = Chat(stack, session).say(f"send 1 S to {to}")
        card = answer["cards"][0]
        assert card["warnings"] == [code] and card["prepared"]["warnings"] == [code]
        assert "be recovered" in answer["reply"] and "acknowledge" in answer["reply"]
    # The prepare service obeys the same rule: refused unless the request acknowledges the code.
    body = {"from": ALICE.address, "to": ZERO, "amount": "1"}
    refused = stack.post_json("/api/tx/prepare", body)
    assert refused.status == 422 and refused.json()["field"] == "acknowledge" and "zero_address" in refused.json()["detail"]
    assert stack.post_json("/api/tx/prepare", {**body, "acknowledge": ["burn_address"]}).status == 422
    assert stack.post_json("/api/tx/prepare", {**body, "acknowledge": ["whatever"]}).json()["field"] == "acknowledge"
    accepted = stack.post_json("/api/tx/prepare", {**body, "acknowledge": ["zero_address"]})
    assert accepted.status == 200 and accepted.json()["warnings"] == ["zero_address"]
    assert stack.post_json("/api/tx/prepare", {**body, "to": BOB.address}).json()["warnings"] == []
    # Sending to oneself is pointed out and needs a yes.
    chat = Chat(stack, session)
    mine = chat.say(f"send 1 S to {ALICE.address}")
    assert transfer(mine) is None and "is your own address" in mine["reply"]
    assert transfer(chat.say("yes")) == (ALICE.address, 1 * S)


def test_several_transfers_one_at_a_time(stack, session):
    chat = Chat(stack, session)
    ask_which = chat.say(f"send 3 S to {BOB.address} or {CAROL.address}, whichever")
    assert transfer(ask_which) is None and BOB.address in ask_which["reply"] and CAROL.address in ask_which["reply"]
    assert transfer(chat.say(CAROL.address)) == (CAROL.address, 3 * S)

    chat = Chat(stack, session)
    first = chat.say(f"send 1 S to {BOB.address} and 2 S to {CAROL.address}")
    assert first["reply"].startswith(f"You asked for 2 transfers: 1) 1 S to {BOB.address}; 2) 2 S to {CAROL.address}.")
    assert transfer(first) == (BOB.address, 1 * S)
    early = chat.say("next")
    assert transfer(early) is None and "not sent yet" in early["reply"]
    sent = stack.post_json("/api/tx/send", {"raw": sign(first["cards"][0]["prepared"])}, session).json()
    assert wait_final(stack, sent["hash"])["status"] == "confirmed"
    second = chat.say("done, next")
    assert transfer(second) == (CAROL.address, 2 * S)
    assert int(second["cards"][0]["prepared"]["tx"]["nonce"], 16) == int(first["cards"][0]["prepared"]["tx"]["nonce"], 16) + 1
    after = chat.say("yes")
    assert transfer(after) is None and "confirmation happens in your wallet" in after["reply"]


def test_cancel_means_cancel_and_a_new_recipient_keeps_the_amount(stack, session):
    chat = Chat(stack, session)
    assert transfer(chat.say(f"send 5 S to {BOB.address}")) == (BOB.address, 5 * S)
    assert chat.say("never mind")["reply"] == "Cancelled. Nothing was sent."
    revived = chat.say("make that 4")
    assert transfer(revived) is None and "no transfer to change" in revived["reply"]
    chat = Chat(stack, session)
    assert transfer(chat.say(f"send 7 S to {BOB.address}")) == (BOB.address, 7 * S)
    assert transfer(chat.say(f"actually send it to {CAROL.address} instead")) == (CAROL.address, 7 * S)


def test_amounts_are_never_guessed(stack, session):
    chat = Chat(stack, session)
    dollars = chat.say(f"send $20 to {BOB.address}")
    assert transfer(dollars) is None and "US dollars" in dollars["reply"]
    assert transfer(chat.say("20")) == (BOB.address, 20 * S)
    chat = Chat(stack, session)
    spanish = chat.say(f"envía 1.500 S a {BOB.address}")
    assert transfer(spanish) is None and "one thousand five hundred" in spanish["reply"] and "one point five" in spanish["reply"]
    chosen = chat.say("1500")  # a card for 1,500 S, or why not: never 1.5 S
    assert transfer(chosen) in [(BOB.address, 1500 * S), None] and ("1,500 S" in chosen["reply"] or "Not enough S" in chosen["reply"])
    assert transfer(Chat(stack, session).say(f"send ½ S to {BOB.address}")) == (BOB.address, S // 2)
    negative = Chat(stack, session).say(f"send -5 S to {BOB.address}")
    assert transfer(negative) is None and "negative amount" in negative["reply"]
    balance = int(stack.rpc("eth_getBalance", ALICE.address, "latest"), 16)
    everything = Chat(stack, session).say(f"send all my S to {BOB.address}")
    to, value = transfer(everything)
    fee = int(everything["cards"][0]["prepared"]["fee"]["max_wei"])
    assert to == BOB.address and value + fee == balance and everything["reply"].startswith("All your S less the most the fee can be")


def test_what_could_be_misread_or_is_meant_for_later_prepares_nothing(stack, session):
    # Amounts the reader could take for another number are said back, never carded.
    for message, words in [(f"send 3e2 S to {BOB.address}", "300 S"), (f"send 4 gwei to {BOB.address}", "0.000000004 S"),
                           (f"send 3 or 30 S to {BOB.address}", "3 S or 30 S"), (f"send 120% of my S to {BOB.address}", "more than all")]:
        answer = Chat(stack, session).say(message)
        assert transfer(answer) is None and words in answer["reply"], (message, answer["reply"])
    # Taken back, later, or on a condition: declined, and a yes afterwards prepares nothing.
    for message, words in [(f"don't send 2 S to {BOB.address}", "Nothing was prepared"),
                           (f"send 2 S to {BOB.address} every monday", '"every monday"'),
                           (f"send 2 S to {BOB.address} once my balance is over 500", '"once my balance is over 500"')]:
        chat = Chat(stack, session)
        answer = chat.say(message)
        assert transfer(answer) is None and words in answer["reply"], (message, answer["reply"])
        assert transfer(chat.say("yes")) is None
    # Two requests, one moving value: asked which first; then the one named is a card.
    chat = Chat(stack, session)
    both = chat.say(f"send 2 S to {BOB.address} and stake 5 S with validator 1")
    assert transfer(both) is None and not both["cards"] and "which first" in both["reply"]
    assert transfer(chat.say(f"send 2 S to {BOB.address}")) == (BOB.address, 2 * S)
    # A stack of scale words past 64 bits is answered, and the server is still there (it trapped once).
    for word in ("thousand", "hundred", "billion"):
        answer = Chat(stack, session).say(f"send {' '.join([word] * 12)} S to {BOB.address}")
        assert answer["reply"]
    assert stack.get("/api/health").status == 200
    # A precompile and the SFC are recipients whose coins cannot come back.
    for to, code in [("0x0000000000000000000000000000000000000004", "precompile"), ("0xFC00FACE00000000000000000000000000000000", "system_contract")]:
        card = Chat(stack, session).say(f"send 1 S to {to}")["cards"][0]
        assert card["warnings"] == [code], card


def test_answers_what_was_asked(stack, session):
    chat = Chat(stack, session)
    token = chat.say("how much SUSD do I have?")
    assert re.fullmatch(rf"{ALICE.address} holds [\d,.…]+ SUSD at block \d+\.", token["reply"]), token["reply"]
    assert "SUSD" in chat.say("do I have any SUSD?")["reply"]
    every = chat.say("what's my balance?")["reply"]
    assert re.search(r" S \(about \$[\d,]+\.\d\d\) and ", every) and "SUSD" in every  # every token held, S in dollars too
    today = chat.say("what did I do today?")
    assert today["intent"] == "transaction_history" and "today (UTC)" in today["reply"]
    received = chat.say("did I receive anything yesterday?")
    assert "yesterday (UTC)" in received["reply"]
    sonic = chat.say("what is Sonic?")
    assert sonic["sources"][0]["slug"] == "what-is-sonic" and "layer-1" in sonic["reply"]
    assert chat.say("hi")["reply"].startswith("Hello!")
    assert chat.say("thanks!")["reply"] == "You're welcome! Ask me anytime."
    grouped = Chat(stack, session).say("send 25000 S")
    assert grouped["reply"] == "Who should receive the 25,000 S? Give me their address (0x…)."


def test_one_fee_estimate_for_answers_and_cards(stack, session):
    # gas × (base fee + tip), the fees of the same moment: the answer and the card agree. A block
    # mined in between (another process's transaction) changes the base fee: then ask again.
    for _ in range(3):
        block = stack.rpc("eth_blockNumber")
        card = Chat(stack, session).say(f"send 1 S to {BOB.address}")["cards"][0]["prepared"]
        gas = Chat(stack, session).say("how much will it cost to send 1 S?")
        again = Chat(stack, session).say(f"send 1 S to {BOB.address}")
        named = Chat(stack, session).say(f"how much would it cost to send 1 S to {BOB.address}?")
        if stack.rpc("eth_blockNumber") == block:
            break
    estimate = int(card["fee"]["estimated_wei"])
    assert card["simulation"]["gas_estimate"] == 21000
    assert f"costs about {readable(estimate)} S" in gas["reply"], (gas["reply"], estimate)
    assert f"The fee is about {readable(estimate)} S" in again["reply"]
    assert named["cards"] == [] and f"would cost about {readable(estimate)} S" in named["reply"]
    sent = stack.post_json("/api/tx/send", {"raw": sign(card)}, session).json()
    paid = int(wait_final(stack, sent["hash"])["fee_wei"])
    assert abs(paid - estimate) <= estimate // 5 and paid <= int(card["fee"]["max_wei"])


def test_long_messages_and_other_languages(stack, session):
    long = ("I was reading about swaps and exchanges all morning and the rates on the DEX confused me, honestly. "
            f"My sister lent me some money last week too. Anyway, please send 4.2 S to {BOB.address}")
    assert transfer(Chat(stack, session).say(long)) == (BOB.address, 42 * S // 10)
    foreign = Chat(stack, session).say("¿cuánto tengo en mi cartera?")
    assert transfer(foreign) is None and "I can only read English" in foreign["reply"] and "Spanish" in foreign["reply"]
    chat = Chat(stack, session)
    spelled = chat.say(f"envoie 12 S à {BOB.address} s'il te plaît")
    assert transfer(spelled) is None and "12 S (twelve S)" in spelled["reply"] and BOB.address in spelled["reply"]
    assert transfer(chat.say("oui")) == (BOB.address, 12 * S)
