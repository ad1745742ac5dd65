"""The people of the load test (scripts/load_test.py runs them with locust against a real stack).

Readers open the dashboard, look at balances and history pages, ask the agent and preview
transfers, with a few seconds between steps. Senders, one per development account, send real
transfers now and then: prepare, sign with their own key, send, and follow the transaction with
long-polls until it settles, as the dashboard does. Requests are named by route, so locust's
figures are per route.

The stack is described by environment variables the runner sets: LOAD_ADDRESSES (addresses with
history), LOAD_KEYS (the senders' private keys, development keys of the local devnet only) and
LOAD_TOKEN (a token symbol the balance endpoint knows, optional).
"""

import itertools
import json
import os
import random

from eth_account import Account
from locust import FastHttpUser, between, task

ADDRESSES = os.environ["LOAD_ADDRESSES"].split(",")
KEYS = os.environ["LOAD_KEYS"].split(",")
TOKEN = os.environ.get("LOAD_TOKEN", "")
# Addresses nobody has used: their balances are cache misses at first, as for a new visitor.
STRANGERS = [Account.create().address for _ in range(200)]
QUESTIONS = [
    "what's gas now?",
    "what is the balance of {address}?",
    "how much S does {address} have?",
    "what is Sonic?",
    "how do fees work on Sonic?",
    "show the last 5 transactions of {address}",
    "hello",
]
JSON = {"Content-Type": "application/json"}
# Long-polls wait this long at most; the dashboard asks again while a transaction is pending.
WAIT_SECONDS = 20
_keys = itertools.cycle(KEYS)


def problem(response) -> str:
    try:
        return f"{response.status_code} {json.loads(response.text).get('detail', '')}"
    except (ValueError, AttributeError, TypeError):
        return f"{response.status_code} {str(response.text)[:120]}"


class Reader(FastHttpUser):
    """Someone with the dashboard open: mostly reads, a message or a preview now and then."""

    weight = 100
    wait_time = between(1, 4)

    def on_start(self):
        self.address = random.choice(ADDRESSES) if random.random() < 0.8 else random.choice(STRANGERS)

    def get(self, path, name, **kwargs):
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(problem(response))
            return response

    @task(3)
    def dashboard(self):
        """What the dashboard page loads: the page itself, then its API calls."""
        self.get("/", "/ (dashboard page)")
        self.get("/api/network", "/api/network")
        self.get(f"/api/balance/{self.address}", "/api/balance/{address}")
        self.get(f"/api/subscription/{self.address}", "/api/subscription/{address}")
        self.get(f"/api/history/{self.address}?limit=5", "/api/history/{address}")

    @task(4)
    def balance(self):
        query = f"?tokens={TOKEN}" if TOKEN else ""
        self.get(f"/api/balance/{self.address}{query}", "/api/balance/{address}")

    @task(2)
    def history(self):
        self.get("/history", "/history (page)")
        page = self.get(f"/api/history/{self.address}?limit=25", "/api/history/{address}")
        cursor = page.json().get("next_cursor") if page.status_code == 200 else None
        if cursor:
            self.get(f"/api/history/{self.address}?limit=25&cursor={cursor}", "/api/history/{address}")

    @task(2)
    def agent(self):
        message = random.choice(QUESTIONS).format(address=random.choice(ADDRESSES))
        with self.client.post("/api/agent", json={"message": message}, headers=JSON, name="/api/agent",
                              catch_response=True) as response:
            if response.status_code != 200 or not response.json().get("reply"):
                response.failure(problem(response))

    @task(1)
    def preview_transfer(self):
        body = {"from": random.choice(ADDRESSES), "to": random.choice(STRANGERS), "amount": "0.25"}
        with self.client.post("/api/tx/prepare", json=body, headers=JSON, name="/api/tx/prepare",
                              catch_response=True) as response:
            if response.status_code != 200 or "tx" not in response.json():
                response.failure(problem(response))


class Sender(FastHttpUser):
    """Someone sending S: previewed, signed by their own key, sent, followed until it settles."""

    fixed_count = len(KEYS)
    wait_time = between(4, 8)

    def on_start(self):
        self.key = next(_keys)
        self.address = Account.from_key(self.key).address

    @task
    def send(self):
        body = {"from": self.address, "to": random.choice(ADDRESSES + STRANGERS), "amount": "0.001"}
        with self.client.post("/api/tx/prepare", json=body, headers=JSON, name="/api/tx/prepare",
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(problem(response))
                return
            tx = response.json()["tx"]
        fields = {
            "chainId": int(tx["chainId"], 16), "nonce": int(tx["nonce"], 16), "to": tx["to"], "value": int(tx["value"], 16),
            "data": tx["data"], "gas": int(tx["gas"], 16), "maxFeePerGas": int(tx["maxFeePerGas"], 16),
            "maxPriorityFeePerGas": int(tx["maxPriorityFeePerGas"], 16), "type": 2,
        }
        raw = "0x" + Account.sign_transaction(fields, self.key).raw_transaction.hex()
        with self.client.post("/api/tx/send", json={"raw": raw}, headers=JSON, name="/api/tx/send",
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(problem(response))
                return
            tx_hash = response.json()["hash"]
        state = "pending"
        for _ in range(6):
            with self.client.get(f"/api/tx/{tx_hash}?wait={WAIT_SECONDS}&since={state}",
                                 name="/api/tx/{hash}?wait (long-poll)", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(problem(response))
                    return
                state = response.json()["status"]
            if state != "pending":
                break
        if state != "confirmed":
            # A transfer of S between funded accounts must confirm; anything else is an error.
            self.environment.events.request.fire(
                request_type="SETTLE", name="transfer confirmed", response_time=0, response_length=0,
                exception=AssertionError(f"{tx_hash} ended {state}"), context={})
