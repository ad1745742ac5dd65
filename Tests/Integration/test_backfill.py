"""`sonic-sync backfill` against a local fake of the Etherscan V2 API that checks the documented
query (https://docs.etherscan.io/: chainid, module=account, action=txlist|tokentx, address,
startblock, endblock, page, offset, sort, apikey) and pages by block number."""

import json
import os
import sqlite3
import subprocess
from urllib.parse import parse_qs, urlparse

import pytest

from fakes import JSONHandler, serve
from stack import BIN

KEY = "FAKEKEY-not-a-real-one-7f3a"
ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
OTHER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
TOKEN = "0x29219dd400f2bf60e5a23d13be72b486d4038894"


def transactions():
    """1,500 normal transactions in blocks 100…849 (two per block), then 3 token transfers."""
    records = []
    for n in range(1500):
        incoming = n % 3 == 0
        records.append({
            "blockNumber": str(100 + n // 2), "timeStamp": str(1_700_000_000 + n), "hash": "0x" + format(n, "064x"),
            "nonce": str(n), "blockHash": "0x" + "ab" * 32, "transactionIndex": str(n % 2),
            "from": OTHER if incoming else ADDRESS.lower(), "to": ADDRESS.lower() if incoming else OTHER,
            "value": str(10**18 + n), "gas": "21000", "gasPrice": "50000000000", "isError": "1" if n == 7 else "0",
            "txreceipt_status": "0" if n == 7 else "1", "input": "0x", "contractAddress": "", "cumulativeGasUsed": "21000",
            "gasUsed": "21000", "confirmations": "10", "methodId": "0x", "functionName": "",
        })
    return records


TOKEN_TRANSFERS = [{
    "blockNumber": str(900 + n), "timeStamp": str(1_700_100_000 + n), "hash": "0x" + format(10_000 + n, "064x"),
    "from": OTHER, "to": ADDRESS.lower(), "contractAddress": TOKEN, "value": str(1_500_000 * (n + 1)), "tokenName": "USD Coin",
    "tokenSymbol": "USDC", "tokenDecimal": "6", "transactionIndex": "0", "gas": "60000", "gasPrice": "50000000000",
    "gasUsed": "50000", "input": "deprecated", "confirmations": "5",
} for n in range(3)]


class FakeEtherscan(JSONHandler):
    calls: list = []
    problems: list = []
    rate_limited_once = False

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).calls.append(query)
        expected = {"chainid": "14601", "module": "account", "address": ADDRESS.lower(), "page": "1", "offset": "1000",
                    "sort": "asc", "apikey": KEY}
        wrong = {k: query.get(k) for k, v in expected.items() if query.get(k) != v}
        if url.path != "/v2/api" or wrong or query.get("action") not in ("txlist", "tokentx") \
                or not query.get("startblock", "").isdigit() or not query.get("endblock", "").isdigit():
            type(self).problems.append({"path": url.path, "wrong": wrong, "query": query})
            return self.answer({"status": "0", "message": "NOTOK", "result": "Error! Invalid parameters"})
        if len(type(self).calls) == 2 and not type(self).rate_limited_once:
            type(self).rate_limited_once = True
            return self.answer({"status": "0", "message": "NOTOK", "result": "Max calls per sec rate limit reached (5/sec)"})
        source = transactions() if query["action"] == "txlist" else TOKEN_TRANSFERS
        start, end = int(query["startblock"]), int(query["endblock"])
        page = [r for r in source if start <= int(r["blockNumber"]) <= end][:1000]
        if not page:
            return self.answer({"status": "0", "message": "No transactions found", "result": []})
        self.answer({"status": "1", "message": "OK", "result": page})

    def answer(self, body):
        super().answer(200, body)


@pytest.fixture
def fake():
    FakeEtherscan.calls, FakeEtherscan.problems, FakeEtherscan.rate_limited_once = [], [], False
    server, url = serve(FakeEtherscan)
    yield f"{url}/v2/api"
    server.shutdown()


def test_backfill_pages_by_block_and_stores_each_record_once(fake, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIC_")}
    env.update(SONIC_NETWORK="testnet", SONIC_DB_PATH=str(tmp_path / "sonic.sqlite"), SONIC_ETHERSCAN_API_KEY=KEY,
               SONIC_ETHERSCAN_URL=fake, SONIC_RPC_URLS="http://127.0.0.1:9", SONIC_DEPLOYMENTS_DIR=str(tmp_path))
    run = subprocess.run([BIN / "sonic-sync", "backfill", ADDRESS], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert FakeEtherscan.problems == []
    assert f"{ADDRESS}: 1503 entries added from Etherscan" in run.stdout
    assert KEY not in run.stdout + run.stderr

    txlist = [c for c in FakeEtherscan.calls if c["action"] == "txlist"]
    # 1,000 records end in block 599; the next page starts there (not after it), so a record of
    # a block cut by the limit is not lost; repeats are skipped. The second call was answered
    # "rate limit reached" and was made again.
    assert [c["startblock"] for c in txlist] == ["0", "599", "599"]

    with sqlite3.connect(tmp_path / "sonic.sqlite") as db:
        rows = db.execute("SELECT type, direction, amount_wei, token_symbol, fee_wei, status, source FROM activity "
                          "WHERE address = ? ORDER BY block, tx_index, seq", (ADDRESS.lower(),)).fetchall()
        watched = db.execute("SELECT backfilled_at IS NOT NULL FROM watched_address WHERE address = ?", (ADDRESS.lower(),)).fetchone()
    assert len(rows) == 1503
    assert rows[0] == ("transfer", "in", str(10**18), "S", None, "confirmed", "etherscan")
    assert rows[1] == ("transfer", "out", str(10**18 + 1), "S", str(21000 * 50_000_000_000), "confirmed", "etherscan")
    assert rows[7][5] == "failed"
    assert rows[-1][:4] == ("token_transfer", "in", "4500000", "USDC")
    assert watched == (1,)

    # Running it again adds nothing.
    again = subprocess.run([BIN / "sonic-sync", "backfill", ADDRESS], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and f"{ADDRESS}: 0 entries added" in again.stdout


def test_backfill_without_a_key_says_what_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIC_")}
    env.update(SONIC_NETWORK="testnet", SONIC_DB_PATH=str(tmp_path / "sonic.sqlite"), SONIC_DEPLOYMENTS_DIR=str(tmp_path))
    run = subprocess.run([BIN / "sonic-sync", "backfill", ADDRESS], env=env, capture_output=True, text=True, timeout=30)
    assert run.returncode != 0 and "SONIC_ETHERSCAN_API_KEY" in run.stderr
