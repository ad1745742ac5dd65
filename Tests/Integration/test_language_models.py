"""The optional language models, against local fakes that check the request shape each API
documents (Gemini generateContent with function declarations: https://ai.google.dev/api/generate-content ;
OpenAI chat completions with tools: https://platform.openai.com/docs/api-reference/chat/create).
Their calls go through the agent's own checks; errors and timeouts fall back to the embedded answer."""

import json
import time

import pytest

from fakes import JSONHandler, serve
from siwe import session_headers
from stack import Stack

BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
KEY = "fake-model-key-1234"
# The embedded parser places this only by its fallback (an address: its history?).
UNCLEAR = f"hook my pal {BOB} up with three coins"
FUNCTIONS = {"check_balance", "send_tokens", "show_history", "transaction_status", "subscription_status", "buy_subscription",
             "gas_price", "create_nft", "swap_tokens", "defi_question", "token_approvals", "general_question"}


class FakeModel(JSONHandler):
    requests: list = []
    problems: list = []
    reply = None  # (function name, arguments) or text
    delay = 0.0

    def do_POST(self):
        body = json.loads(self.body())
        type(self).requests.append((self.path, dict(self.headers), body))
        time.sleep(type(self).delay)  # a slow model, for the timeout tests: not a wait
        problem = self.check(body)
        if problem:
            type(self).problems.append(problem)
            return self.answer(400, {"error": {"message": problem}})
        self.respond(type(self).reply)


class FakeGemini(FakeModel):
    def check(self, body):
        if self.path != "/v1beta/models/gemini-2.5-flash:generateContent":
            return f"path {self.path}"
        if self.headers.get("x-goog-api-key") != KEY:
            return "x-goog-api-key"
        contents = body.get("contents", [])
        if not contents or contents[0]["role"] != "user" or not contents[0]["parts"][0]["text"]:
            return "contents"
        names = {d["name"] for d in body["tools"][0]["functionDeclarations"]}
        if names != FUNCTIONS or "text" not in body["systemInstruction"]["parts"][0]:
            return "tools or systemInstruction"
        send = next(d for d in body["tools"][0]["functionDeclarations"] if d["name"] == "send_tokens")
        if send["parameters"]["type"] != "object" or send["parameters"]["required"] != ["to", "amount"]:
            return "function parameters"
        return None

    def respond(self, reply):
        part = {"functionCall": {"name": reply[0], "args": reply[1]}} if isinstance(reply, tuple) else {"text": reply}
        self.answer(200, {"candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP"}]})


class FakeOpenAI(FakeModel):
    def check(self, body):
        if self.path != "/v1/chat/completions":
            return f"path {self.path}"
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return "Authorization"
        if body.get("model") != "qwen2.5" or [m["role"] for m in body["messages"]] != ["system", "user"]:
            return "model or messages"
        if {t["function"]["name"] for t in body["tools"]} != FUNCTIONS or any(t["type"] != "function" for t in body["tools"]):
            return "tools"
        return None

    def respond(self, reply):
        if isinstance(reply, tuple):
            message = {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": reply[0], "arguments": json.dumps(reply[1])}}]}
        else:
            message = {"role": "assistant", "content": reply}
        self.answer(200, {"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"index": 0, "message": message, "finish_reason": "stop"}]})


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("models")).start(contracts=True)
    yield running
    running.stop()


@pytest.fixture(params=["gemini", "openai"])
def model(request, stack):
    handler = FakeGemini if request.param == "gemini" else FakeOpenAI
    handler.requests, handler.problems, handler.delay = [], [], 0.0
    server, url = serve(handler)
    stack.stop_fcgi()
    stack.start_fcgi(SONIC_LLM_PROVIDER=request.param, SONIC_LLM_URL=url if request.param == "gemini" else url + "/v1",
                     SONIC_LLM_API_KEY=KEY, SONIC_LLM_TIMEOUT="2", **({"SONIC_LLM_MODEL": "qwen2.5"} if request.param == "openai" else {}))
    yield handler
    server.shutdown()


def ask(stack, message):
    answer = stack.post_json("/api/agent", {"message": message})
    assert answer.status == 200, answer.body
    return answer.json()


def test_a_call_becomes_a_checked_previewed_transfer(stack, model):
    model.reply = ("send_tokens", {"to": BOB, "amount": "3", "token": "S"})
    answer = stack.post_json("/api/agent", {"message": UNCLEAR}, session_headers(stack))
    assert answer.status == 200, answer.body
    body = answer.json()
    assert model.problems == [] and len(model.requests) == 1, model.problems
    assert model.requests[0][2]["contents" if model is FakeGemini else "messages"]
    assert body["model"] and body["intent"] == "send_transaction"
    assert body["action"]["kind"] == "transaction"
    tx = body["action"]["prepared"]["tx"]
    assert tx["to"] == BOB and int(tx["value"], 16) == 3 * 10**18


def test_an_address_the_model_invented_is_dropped(stack, model):
    invented = "0x" + "ab" * 20
    model.reply = ("send_tokens", {"to": invented, "amount": "3"})
    body = ask(stack, "hook my pal up with three coins")
    assert body["intent"] == "send_transaction"
    assert "to" not in body["entities"] and invented not in json.dumps(body)
    assert body["reply"].startswith("Who should receive the 3 S?")


def test_an_amount_the_message_does_not_state_is_dropped(stack, model):
    """The model proposes, the text decides: "a trio" is no number the parser reads."""
    model.reply = ("send_tokens", {"to": BOB, "amount": "3"})
    body = ask(stack, f"hook my pal {BOB} up with a trio of coins")
    assert body["intent"] == "send_transaction" and "amount" not in body["entities"]
    assert body.get("action") is None and body["reply"] == f"How much S should I send to {BOB}?"


def test_messages_the_parser_understands_never_reach_the_model(stack, model):
    body = ask(stack, "what's gas now?")
    assert body["intent"] == "gas_price" and model.requests == [] and "model" not in body


def test_text_answers_open_questions(stack, model):
    model.reply = "Sonic is an EVM chain with sub-second finality."
    body = ask(stack, "tell me something surprising about zebras and blockchains")
    assert body["reply"] == "Sonic is an EVM chain with sub-second finality." and body["model"]


def test_errors_and_timeouts_fall_back_to_the_embedded_answer(stack, model):
    model.reply = ("no_such_function", {})
    first = ask(stack, "tell me something surprising about zebras and blockchains")
    assert "model" not in first and first["intent"] == "general_query"
    model.delay = 3  # over SONIC_LLM_TIMEOUT=2
    started = time.monotonic()
    second = ask(stack, "tell me something surprising about zebras and blockchains")
    assert "model" not in second and time.monotonic() - started < 10
    assert KEY not in (stack.dir / "var/log/sonic-fcgi.log").read_text()
