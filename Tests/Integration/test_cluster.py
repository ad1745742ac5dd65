"""Three app hosts on one PostgreSQL, started by scripts/cluster.sh (make cluster) on free ports of
this test's own (cluster_stack.Cluster, which scripts/bench_cluster.py uses too): PostgreSQL 15, the devnet, two sonic-sync (one indexing, one its standby), three
sonic-fcgi sharing no file, nginx balancing them with passive health checks.

To make "through one host, then another" certain, the other hosts are killed (kill -9) while the
first is used, and the first is killed while the others are: nginx then has one place to send each
request. Accounts 5-9 make the new history."""

import json
import shutil
import threading
import time

import pytest
from eth_account import Account

from cluster_stack import Cluster
from figures import figure
from siwe import session_headers
from stack import wait_until
from test_nft import multipart, png

# Development accounts 5-9 of "test test … junk" (public keys, for the local devnet only).
KEYS = {
    5: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    6: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    7: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    8: "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    9: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
}


@pytest.fixture(scope="module")
def cluster():
    running = Cluster()
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(running.dir, ignore_errors=True)


def test_a_session_made_through_one_host_is_valid_on_the_others(cluster):
    cluster.only_host(1)
    headers = session_headers(cluster, Account.from_key(KEYS[5]))
    for number in (2, 3):
        cluster.only_host(number)
        me = cluster.get("/api/auth/me", headers)
        assert me.status == 200 and me.json()["address"] == Account.from_key(KEYS[5]).address, me.body
    cluster.all_hosts()


def test_a_long_poll_on_one_host_is_answered_when_a_transfer_tracked_through_another_confirms(cluster):
    transfer, raw = cluster.pending_transfer(KEYS[6])
    cluster.only_host(1)
    tracked = cluster.post_json("/api/tx/track", {"hash": transfer})
    assert tracked.status == 200 and tracked.json()["status"] == "pending", tracked.body
    cluster.only_host(2)
    answer = {}

    def poll():
        answer["response"] = cluster.get(f"/api/tx/{transfer}?wait=30&since=pending")
        answer["at"] = time.monotonic()

    waiter = threading.Thread(target=poll)
    waiter.start()
    wait_until(lambda: cluster.metric("sonic_long_polls_waiting") == 1, 10, "host 2 to park the long-poll")
    sent_at = time.monotonic()
    assert cluster.rpc("eth_sendRawTransaction", raw) == transfer
    waiter.join(35)
    response = answer["response"]
    assert response.status == 200 and response.json()["status"] == "confirmed", response.body
    figure("cluster: long-poll on another host answered after the transfer was sent", f"{(answer['at'] - sent_at) * 1000:.0f} ms")
    assert answer["at"] - sent_at < 5
    cluster.all_hosts()


def test_an_nft_uploaded_through_one_host_is_served_and_minted_through_another(cluster):
    image = png(5, 4, (10, 120, 200))
    cluster.only_host(3)
    headers = session_headers(cluster, Account.from_key(KEYS[7]))
    body, content_type = multipart({"image": ("cluster.png", image), "name": "Shared", "description": "Stored by host 3"})
    uploaded = cluster.request("POST", "/api/nft/assets", body, {**headers, "Content-Type": content_type})
    assert uploaded.status == 201, uploaded.body
    stored = uploaded.json()
    cluster.only_host(1)
    served = cluster.get(f"/ipfs/{stored['image_cid']}")
    assert served.status == 200 and served.body == image and served.headers["Content-Type"] == "image/png"
    served_metadata = cluster.get(f"/ipfs/{stored['metadata_cid']}")
    assert served_metadata.status == 200, served_metadata.body
    metadata = json.loads(served_metadata.body)
    assert metadata["image"] == f"ipfs://{stored['image_cid']}" and metadata["name"] == "Shared"
    prepared = cluster.post_json("/api/nft/prepare-mint", {"token_uri": stored["token_uri"]}, headers)
    assert prepared.status == 200, prepared.body
    assert prepared.json()["simulation"]["success"] is True
    assert not list((cluster.dir / "cluster").glob("sonic-fcgi-*/ipfs/objects/*")), "no host keeps content of its own"
    cluster.all_hosts()


def test_killing_an_app_host_under_load_fails_no_get_and_keeps_every_session(cluster):
    headers = session_headers(cluster, Account.from_key(KEYS[5]))
    statuses = []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            statuses.append(cluster.get(f"/api/balance/{Account.from_key(KEYS[5]).address}").status)

    workers = [threading.Thread(target=load) for _ in range(4)]
    for worker in workers:
        worker.start()
    wait_until(lambda: len(statuses) >= 60, 30, "60 GETs answered")
    cluster.kill("sonic-fcgi-2")
    before = len(statuses)
    wait_until(lambda: len(statuses) >= before + 200, 60, "200 more GETs answered")
    stop.set()
    for worker in workers:
        worker.join()
    failed = [status for status in statuses if status != 200]
    figure("cluster: GETs while one of three hosts was killed (kill -9)", f"{len(statuses)} answered, {len(failed)} failed")
    assert failed == []
    for _ in range(4):
        assert cluster.get("/api/auth/me", headers).status == 200
    cluster.all_hosts()


def history_hashes(cluster, address):
    answer = cluster.get(f"/api/history/{address}?limit=100")
    return {entry["hash"] for entry in answer.json()["entries"]} if answer.status == 200 else None


def test_the_standby_indexer_takes_over_when_the_active_one_is_killed_and_the_history_stays_exact(cluster):
    account = Account.from_key(KEYS[8])
    active = "sonic-sync-1" if "active again" not in cluster.log("sonic-sync-2") else "sonic-sync-2"
    standby = "sonic-sync-2" if active == "sonic-sync-1" else "sonic-sync-1"
    cluster.kill(active)
    sent = set()
    for _ in range(3):
        sent.add(cluster.rpc("eth_sendTransaction", {"from": account.address, "to": Account.create().address, "value": hex(10**15)}))
    wait_until(lambda: "indexing devnet" in cluster.log(standby) and sent <= (history_hashes(cluster, account.address) or set()), 30,
               "the standby to index the new transfers")
    # The history equals the chain: the account's transfers, each once, and every entry (the
    # test token it was given at deployment too) in the block its receipt names.
    entries = cluster.get(f"/api/history/{account.address}?limit=100").json()["entries"]
    assert sorted(e["hash"] for e in entries if e["type"] == "transfer" and e["direction"] == "out") == sorted(sent)
    for entry in entries:
        receipt = cluster.rpc("eth_getTransactionReceipt", entry["hash"])
        assert entry["block"] == int(receipt["blockNumber"], 16) and entry["status"] == "confirmed"
    head = int(cluster.rpc("eth_blockNumber"), 16)
    wait_until(lambda: cluster.get("/api/history/" + account.address).json().get("indexed_block", 0) >= head, 30, "indexed to the head")


def test_postgres_stopped_for_ten_seconds_under_load_serves_cached_reads_and_503_for_the_rest(cluster):
    address = Account.from_key(KEYS[9]).address
    transfer, raw = cluster.pending_transfer(KEYS[9])
    for _ in range(6):
        assert cluster.get(f"/api/balance/{address}").status == 200
    results = {"balance": [], "history": [], "health": []}
    stop = threading.Event()

    def load(kind, path, pause=0.02):
        while not stop.is_set():
            answer = cluster.get(path)
            try:
                database = answer.json().get("database") if kind == "health" else None
            except ValueError:  # not JSON (nginx's own 502, say): recorded as such
                database = f"not JSON, HTTP {answer.status}"
            results[kind].append((answer.status, answer.headers.get("Retry-After"), database, time.monotonic()))
            time.sleep(pause)

    workers = [threading.Thread(target=load, args=("balance", f"/api/balance/{address}")),
               threading.Thread(target=load, args=("history", f"/api/history/{address}")),
               threading.Thread(target=load, args=("health", "/api/health", 0.1))]
    for worker in workers:
        worker.start()
    cluster.script("stop-postgres")
    stopped_at = time.monotonic()
    down_from = {kind: len(answers) for kind, answers in results.items()}
    time.sleep(10)
    down_to = {kind: len(answers) for kind, answers in results.items()}
    cluster.script("start-postgres")
    started_at = time.monotonic()
    wait_until(lambda: cluster.get(f"/api/history/{address}").status == 200, 30, "history answered again")
    wait_until(lambda: results["health"][-1][2] == "ok", 10, "health saying the database is back")
    stop.set()
    for worker in workers:
        worker.join()
    during = {kind: results[kind][down_from[kind]:down_to[kind]] for kind in results}
    figure("cluster: PostgreSQL stopped 10 s: balance reads answered meanwhile",
           f"{sum(answer[0] == 200 for answer in during['balance'])} of {len(during['balance'])}")
    assert during["balance"] and all(answer[0] == 200 for answer in during["balance"])
    refused = [answer[:2] for answer in during["history"] if answer[0] != 200]
    assert refused and all(status == 503 and retry for status, retry in refused), during["history"][:5]

    # /api/health says so: 503 naming the database within 2.5 s of the stop, and from 3 s after it
    # on, every answer until the database is back (each host keeps its report a second, and nginx
    # spreads the checks over the three, so one may still answer its report from before the
    # stop meanwhile); ok again once it is back.
    said_down = [answer for answer in during["health"] if answer[2] == "unavailable"]
    assert said_down and all(status == 503 and retry for status, retry, _, _ in said_down), during["health"][:5]
    first_down = said_down[0][3] - stopped_at
    assert first_down < 2.5, f"health said the database was down {first_down:.1f} s after the stop"
    assert all(answer[2] == "unavailable" for answer in during["health"] if answer[3] > stopped_at + 3), during["health"]
    back = next(answer[3] for answer in results["health"][down_to["health"]:] if answer[2] == "ok") - started_at
    figure("cluster: PostgreSQL stopped 10 s: /api/health said so after, and ok again after its start",
           f"{first_down:.1f} s; {max(back, 0):.1f} s")

    # Everything works again, nothing lost: a transfer tracked now is answered on its confirmation
    # (the listeners reconnected) and indexed (the indexer went on).
    assert cluster.post_json("/api/tx/track", {"hash": transfer}).status == 200
    answer = {}
    waiter = threading.Thread(target=lambda: answer.update(response=cluster.get(f"/api/tx/{transfer}?wait=30&since=pending")))
    waiter.start()
    wait_until(lambda: cluster.metric("sonic_long_polls_waiting") >= 1 or "response" in answer, 10, "the long-poll to park")
    cluster.rpc("eth_sendRawTransaction", raw)
    waiter.join(35)
    assert answer["response"].status == 200 and answer["response"].json()["status"] == "confirmed"
    wait_until(lambda: transfer in (history_hashes(cluster, address) or set()), 30, "the transfer indexed")
