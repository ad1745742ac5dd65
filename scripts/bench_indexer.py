"""Indexer figure for `make bench`: blocks and transactions per second that sonic-sync (release)
indexes from the devnet, from an empty database to the head.

The devnet gets N blocks of traffic first (S transfers, token transfers, a failing
call every 50 blocks), each eth_sendTransaction mining one block; then one
`sonic-sync run --once` is timed. The devnet (py-evm, one Python process) answers the batched
reads, so the figure is bounded by it as much as by the indexer.
"""

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SONIC_BIN_DIR", str(ROOT / ".build" / "release"))
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
from stack import BIN, Stack  # noqa: E402

BLOCKS = int(os.environ.get("BENCH_INDEXER_BLOCKS", "400"))
SONIC_BLOCKS_PER_SECOND = 1 / 0.7
ALICE = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def traffic(stack, deployments, blocks=BLOCKS) -> int:
    """`blocks` blocks of traffic on the stack's devnet (`deployments`: its contracts, name to
    {"address"}): S transfers, token transfers, a failing call every 50; returns the head."""
    token = deployments["TestToken"]["address"]
    subscription = deployments["SmartSonicSubscription"]["address"]
    transfer = "0xa9059cbb" + BOB[2:].lower().rjust(64, "0") + format(1_000_000, "064x")
    for n in range(blocks):
        if n % 50 == 49:
            tx = {"from": ALICE, "to": subscription, "value": "0x1", "data": "0x" + "00" * 4, "gas": "0x30d40"}
        elif n % 2:
            tx = {"from": ALICE, "to": token, "data": transfer}
        else:
            tx = {"from": ALICE, "to": BOB, "value": hex(10**15 + n)}
        stack.rpc("eth_sendTransaction", tx)
    return int(stack.rpc("eth_blockNumber"), 16)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        stack = Stack(Path(folder))
        stack.start_devnet()
        try:
            stack.deploy_contracts()
            head = traffic(stack, stack.deployments)
            environment = stack.fcgi_environment()
            started = time.monotonic()
            subprocess.run([BIN / "sonic-sync", "run", "--once"], env=environment, check=True, capture_output=True)
            elapsed = time.monotonic() - started
            status = subprocess.run([BIN / "sonic-sync", "status"], env=environment, check=True, capture_output=True, text=True).stdout
            with sqlite3.connect(stack.db_path) as db:
                transactions = db.execute("SELECT count(*) FROM indexed_transaction").fetchone()[0]
        finally:
            stack.stop_devnet()
    assert f"indexed to block {head} " in status, status
    rate = (head + 1) / elapsed
    met = rate > SONIC_BLOCKS_PER_SECOND
    print(f"indexer on the devnet: {head + 1} blocks ({transactions} transactions) in {elapsed:.2f} s = {rate:,.0f} blocks/s "
          f"(Sonic makes {SONIC_BLOCKS_PER_SECOND:.2f} blocks/s: {'met' if met else 'MISSED'})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
