"""The indexer (sonic-sync) and the history API on the devnet: decoded activity for both
parties, CSV that adds up to the chain, stable pages, restarts after SIGKILL, reorganisations
and the single-writer lock."""

import csv
import io
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time

import pytest
from eth_account import Account
from eth_hash.auto import keccak

from figures import figure
from stack import BIN, DEV_KEY, Stack, wait_until

ALICE = Account.from_key(DEV_KEY)
BOB = Account.from_key("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
S = 10**18
ZERO = "0x" + "00" * 20


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("history")).start(contracts=True, sync=True)
    yield running
    running.stop()


def selector(signature: str) -> str:
    return "0x" + keccak(signature.encode())[:4].hex()


def word(value) -> str:
    if isinstance(value, str):
        return value[2:].lower().rjust(64, "0")
    return format(value, "064x")


def string_arg(text: str) -> str:
    data = text.encode()
    return word(32) + word(len(data)) + data.hex().ljust((len(data) + 31) // 32 * 64, "0")


def send(stack, sender, to, value=0, data="0x", gas=None):
    """eth_sendTransaction from a development account; returns the receipt."""
    tx = {"from": sender, "to": to, "value": hex(value), "data": data}
    if gas:
        tx["gas"] = hex(gas)
    tx_hash = stack.rpc("eth_sendTransaction", tx)
    return stack.rpc("eth_getTransactionReceipt", tx_hash)


def call(stack, to, data, block="latest") -> int:
    return int(stack.rpc("eth_call", {"to": to, "data": data}, block), 16)


def history(stack, address, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    answer = stack.get(f"/api/history/{address}?{query}")
    assert answer.status == 200, answer.body
    return answer.json()


def all_entries(stack, address, **params):
    entries, cursor = [], None
    while True:
        page = history(stack, address, limit=100, **params, **({"cursor": cursor} if cursor else {}))
        entries += page["entries"]
        cursor = page["next_cursor"]
        if not cursor:
            return entries


def test_transfers_tokens_mint_subscription_and_a_failure_are_decoded_for_both_parties(stack):
    token, nft, subscription = (stack.deployments[name]["address"] for name in ("TestToken", "SmartSonicNFT", "SmartSonicSubscription"))
    carol = Account.create().address

    native = send(stack, ALICE.address, BOB.address, 3 * S // 2)
    tokens = send(stack, ALICE.address, token, data=selector("transfer(address,uint256)") + word(BOB.address) + word(2_500_000))
    fee = call(stack, nft, selector("mint_fee()"))
    mint = send(stack, ALICE.address, nft, fee, selector("mint(address,string)") + word(carol) + word(64)
                + string_arg("ipfs://QmSunset")[64:])
    price = call(stack, subscription, selector("price()"))
    bought = send(stack, BOB.address, subscription, 2 * price, selector("purchase(uint256)") + word(2))
    failed = send(stack, BOB.address, subscription, price - 1, selector("purchase(uint256)") + word(1), gas=200_000)
    assert [int(r["status"], 16) for r in (native, tokens, mint, bought, failed)] == [1, 1, 1, 1, 0]
    stack.wait_indexed()

    alice = {e["hash"]: e for e in history(stack, ALICE.address, limit=20)["entries"]}
    sent = alice[native["transactionHash"]]
    assert (sent["type"], sent["direction"], sent["counterparty"]) == ("transfer", "out", BOB.address)
    assert (sent["amount_wei"], sent["amount"], sent["token"]) == (str(3 * S // 2), "1.5", "S")
    receipt_fee = int(native["gasUsed"], 16) * int(native["effectiveGasPrice"], 16)
    assert sent["fee_wei"] == str(receipt_fee) and sent["status"] == "confirmed" and sent["reason"] is None
    moved = alice[tokens["transactionHash"]]
    assert (moved["type"], moved["direction"], moved["amount"], moved["token"], moved["token_decimals"]) == (
        "token_transfer", "out", "2.5", "SUSD", 6)
    assert moved["method"] == "transfer" and moved["fee_wei"] is not None
    minted = alice[mint["transactionHash"]]
    assert (minted["type"], minted["token_id"], minted["method"]) == ("nft_mint", "0", "mint")
    assert minted["nft_contract"] == nft and minted["amount_wei"] == str(fee)

    bob = {(e["hash"], e["type"]): e for e in history(stack, BOB.address, limit=20)["entries"]}
    assert bob[(native["transactionHash"], "transfer")]["direction"] == "in"
    assert bob[(native["transactionHash"], "transfer")]["fee_wei"] is None
    assert bob[(tokens["transactionHash"], "token_transfer")]["amount_wei"] == "2500000"
    purchase = bob[(bought["transactionHash"], "subscription")]
    assert purchase["amount_wei"] == str(2 * price) and purchase["counterparty"] == subscription
    refused = bob[(failed["transactionHash"], "contract_call")] if (failed["transactionHash"], "contract_call") in bob \
        else bob[(failed["transactionHash"], "subscription")]
    assert refused["status"] == "failed" and refused["reason"] == "subscription: wrong payment"

    carols = history(stack, carol)["entries"]
    assert [(e["type"], e["direction"], e["token_id"], e["counterparty"]) for e in carols] == [("nft_mint", "in", "0", nft)]

    only_tokens = history(stack, BOB.address, type="token_transfer")["entries"]
    assert only_tokens and all(e["type"] == "token_transfer" for e in only_tokens)
    assert all(e["direction"] == "in" for e in history(stack, BOB.address, direction="in")["entries"])
    assert all(e["token"] == "SUSD" for e in history(stack, BOB.address, token="susd")["entries"])


def test_csv_export_parses_and_adds_up_to_the_chain(stack):
    send(stack, BOB.address, ALICE.address, 7 * S // 3)  # an amount with many decimals
    head = stack.wait_indexed()
    answer = stack.get(f"/api/history/{ALICE.address}?format=csv")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.body.decode())))
    assert rows and set(rows[0]) >= {"time", "hash", "amount", "token", "fee", "status"}
    assert all(row["time"].endswith("Z") for row in rows)
    # Every wei in and out of Alice since genesis (10,000 S) is in the export.
    native = 10_000 * S
    for row in rows:
        if row["token"] == "S" and row["status"] == "confirmed" and row["type"] != "nft_transfer":
            amount = int(row["amount_wei"])
            native += amount if row["direction"] == "in" else (-amount if row["direction"] == "out" else 0)
        native -= int(row["fee_wei"] or 0)
    assert native == int(stack.rpc("eth_getBalance", ALICE.address, hex(head)), 16)
    susd = sum(int(r["amount_wei"]) * (1 if r["direction"] == "in" else -1) for r in rows
               if r["token"] == "SUSD" and r["direction"] != "self")
    token = stack.deployments["TestToken"]["address"]
    assert susd == call(stack, token, selector("balanceOf(address)") + word(ALICE.address), hex(head))
    # The exact decimals of 7/3 S, not a rounded float.
    assert "2.333333333333333333" in [r["amount"] for r in rows]


def test_pages_are_stable_while_new_transactions_arrive(stack):
    dave = Account.create().address
    sent = [send(stack, ALICE.address, dave, n + 1)["transactionHash"] for n in range(12)]
    stack.wait_indexed()
    first = history(stack, dave, limit=5)
    assert [e["hash"] for e in first["entries"]] == sent[::-1][:5]
    for n in range(3):
        send(stack, ALICE.address, dave, 100 + n)
    stack.wait_indexed()
    second = history(stack, dave, limit=5, cursor=first["next_cursor"])
    third = history(stack, dave, limit=5, cursor=second["next_cursor"])
    assert [e["hash"] for e in second["entries"] + third["entries"]] == sent[::-1][5:]
    assert third["next_cursor"] is None
    assert len(all_entries(stack, dave)) == 15


def test_bad_parameters_are_refused_naming_them(stack):
    for query, field in [("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"), ("cursor=abc", "cursor"),
                         ("direction=up", "direction"), ("type=swap", "type"), ("format=xml", "format"), ("token=%3Cb%3E", "token")]:
        answer = stack.get(f"/api/history/{ALICE.address}?{query}")
        assert answer.status == 400, query
        assert answer.json()["field"] == field, query
    assert stack.get("/api/history/0x123").json()["field"] == "address"


def indexed_matches_chain(stack, db_path, head):
    """Every block up to head indexed once, with exactly the chain's transactions."""
    with sqlite3.connect(db_path) as db:
        blocks = [row[0] for row in db.execute("SELECT number FROM indexed_block WHERE number <= ? ORDER BY number", (head,))]
        assert blocks == list(range(head + 1)), "a gap or a repeat in the blocks"
        stored = {}
        for number, tx_hash in db.execute("SELECT block, hash FROM indexed_transaction WHERE block <= ?", (head,)):
            stored.setdefault(number, []).append(tx_hash)
    for number in range(head + 1):
        block = stack.rpc("eth_getBlockByNumber", hex(number), False)
        assert sorted(block["transactions"]) == sorted(stored.get(number, [])), f"block {number}"


def test_indexer_killed_at_random_moments_resumes_without_gap_or_duplicate(stack):
    erin = Account.create().address
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            send(stack, ALICE.address, erin, 1)
            time.sleep(0.01)  # the traffic's pace: not a wait

    writer = threading.Thread(target=traffic)
    writer.start()
    rng = random.Random(7)
    try:
        for _ in range(int(os.environ.get("SYNC_KILLS", "6"))):  # make reliability: 50
            time.sleep(rng.uniform(0.05, 0.4))  # a random moment to strike, the subject of this test: not a wait
            stack.stop_sync(signal.SIGKILL)
            stack.start_sync()
    finally:
        stop.set()
        writer.join()
    head = stack.wait_indexed()
    indexed_matches_chain(stack, stack.db_path, head)
    sent = [e for e in all_entries(stack, erin)]
    assert len(sent) == len({e["hash"] for e in sent})
    figure("sonic-sync killed (SIGKILL) while blocks arrive",
           f"{os.environ.get('SYNC_KILLS', '6')} kills; {head} blocks and {len(sent)} transfers as on chain, no gap, no duplicate")


def test_a_reorganisation_is_rolled_back(stack):
    frank = Account.create().address
    snapshot = stack.rpc("evm_snapshot")
    send(stack, ALICE.address, frank, 5)
    stack.wait_indexed()
    assert len(history(stack, frank)["entries"]) == 1
    before = int(stack.rpc("eth_blockNumber"), 16)
    assert stack.rpc("evm_revert", snapshot) is True
    # The replacing chain grows past the old head, with other blocks.
    for _ in range(3):
        stack.rpc("evm_mine")
    assert int(stack.rpc("eth_blockNumber"), 16) > before
    head = stack.wait_indexed()
    assert history(stack, frank)["entries"] == []
    with sqlite3.connect(stack.db_path) as db:
        stored = dict(db.execute("SELECT number, hash FROM indexed_block WHERE number > ?", (head - 5,)))
    for number, block_hash in stored.items():
        assert stack.rpc("eth_getBlockByNumber", hex(number), False)["hash"] == block_hash
    assert "reorganised" in (stack.dir / "var/log/sonic-sync.log").read_text()


def test_a_second_indexer_on_the_same_database_refuses_to_start(stack):
    second = subprocess.run([BIN / "sonic-sync", "run", "--once"], env=stack.fcgi_environment(), capture_output=True, text=True,
                            timeout=30)
    assert second.returncode != 0
    assert f"another sonic-sync (pid {stack.sync.pid}) is already indexing" in second.stderr


def test_progress_is_reported_in_metrics_and_status(stack):
    head = stack.wait_indexed()
    metrics = stack.get("/metrics").body.decode()
    values = {name: float(value) for name, value in (line.split(" ", 1) for line in metrics.splitlines() if line.startswith("sync_"))}
    assert values["sync_head"] >= head and values["sync_blocks_total"] >= head
    assert values["sync_lag_blocks"] >= 0
    # A progress line every second here (--progress-every 1).
    wait_until(lambda: "blocks/s" in (stack.dir / "var/log/sonic-sync.log").read_text(), 10, "a progress line")
    assert f"devnet: indexed to block" in stack.sync_state()


def test_watching_only_some_addresses_keeps_just_their_history(stack, tmp_path):
    """As on testnet and mainnet: only watched addresses, with incoming token transfers found
    through their logs (the transaction itself is Alice's call to the token)."""
    grace = Account.create().address
    token = stack.deployments["TestToken"]["address"]
    send(stack, ALICE.address, grace, 3)
    send(stack, ALICE.address, token, data=selector("transfer(address,uint256)") + word(grace) + word(42))
    send(stack, ALICE.address, BOB.address, 4)  # not watched
    env = stack.fcgi_environment(SONIC_DB_PATH=str(tmp_path / "watched.sqlite"), SONIC_INDEX_ALL="0", SONIC_SYNC_START="0",
                                 SONIC_WATCH_ADDRESSES=grace)
    run = subprocess.run([BIN / "sonic-sync", "run", "--once"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "watched addresses only" in run.stderr
    with sqlite3.connect(tmp_path / "watched.sqlite") as db:
        rows = db.execute("SELECT address, type, direction, amount_wei, token_symbol FROM activity ORDER BY block").fetchall()
    assert rows == [(grace.lower(), "transfer", "in", "3", "S"), (grace.lower(), "token_transfer", "in", "42", "SUSD")]


def test_the_agent_answers_history_questions_from_the_index(stack):
    from siwe import session_headers

    henry = Account.create().address
    send(stack, ALICE.address, henry, 2 * S)
    send(stack, ALICE.address, henry, 3 * S // 4)
    stack.wait_indexed()
    answer = stack.post_json("/api/agent", {"message": f"show the last 10 transactions of {henry}"})
    assert answer.status == 200, answer.body
    body = answer.json()
    assert body["intent"] == "transaction_history"
    lines = body["reply"].split("\n")
    assert lines[0] == f"The latest 2 transactions of {henry}, newest first:"
    assert "received 0.75 S from 0xf39Fd6e5…2266" in lines[1] and "received 2 S from" in lines[2]
    assert body["action"]["kind"] == "open_history"
    mine = stack.post_json("/api/agent", {"message": "what did I send last?"}, session_headers(stack)).json()
    assert mine["intent"] == "transaction_history", mine
    assert mine["reply"].startswith(f"The latest ")
    assert f"sent 0.75 S to {henry[:10]}…{henry[-4:]}, fee " in mine["reply"].split("\n")[1], mine["reply"]


def test_an_online_backup_is_consistent_and_usable(stack, tmp_path):
    ivy = Account.create().address
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            send(stack, ALICE.address, ivy, 1)

    indexed = stack.wait_indexed()
    writer = threading.Thread(target=traffic)
    writer.start()
    try:
        # The backup is taken while the indexer writes the traffic's blocks.
        wait_until(lambda: stack.indexed_block() > indexed, 10, f"the indexer to write a block past {indexed}")
        copy = tmp_path / "backup.sqlite"
        run = subprocess.run([BIN / "sonic-sync", "backup", str(copy)], env=stack.fcgi_environment(), capture_output=True, text=True,
                             timeout=60)
    finally:
        stop.set()
        writer.join()
    assert run.returncode == 0, run.stderr
    assert "integrity ok" in run.stdout
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        head = db.execute("SELECT head FROM sync_state").fetchone()[0]
        blocks = db.execute("SELECT count(*) FROM indexed_block").fetchone()[0]
    assert blocks == head + 1  # a consistent snapshot: every block up to its position
    restored = subprocess.run([BIN / "sonic-sync", "status"], env={**stack.fcgi_environment(), "SONIC_DB_PATH": str(copy)},
                              capture_output=True, text=True, check=True)
    assert f"indexed to block {head} " in restored.stdout
    refused = subprocess.run([BIN / "sonic-sync", "backup", str(copy)], env=stack.fcgi_environment(), capture_output=True, text=True)
    assert refused.returncode != 0 and "exists" in refused.stderr
