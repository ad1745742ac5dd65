"""The database's disk fills up (a 4 MB tmpfs holds it): writes fail with a clear, retryable
error, reads keep working, nothing crashes, and service recovers when space returns."""

import sqlite3
import subprocess

import pytest

from figures import figure
from stack import Stack

ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("disk-full")
    small = folder / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(small)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    running = Stack(folder, nginx_rate="100000r/s")
    running.db_path = small / "sonic.sqlite"
    try:
        running.start()
        running.stop_fcgi()
        # 400 hashes the node does not know, from one client: the per-client cap raised.
        running.start_fcgi(SONIC_RATE_LIMIT_PER_MINUTE="0", SONIC_UNKNOWN_TX_PER_CLIENT="1000")
        yield running, small
    finally:
        running.stop()
        subprocess.run(["umount", "-l", str(small)], check=False)


def fill(small):
    """Writes a file until the filesystem is full; returns it."""
    filler = small / "filler"
    with open(filler, "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError:
            pass
    return filler


def track(stack, n):
    return stack.post_json("/api/tx/track", {"hash": "0x" + format(n, "064x")})


def test_writes_fail_clearly_reads_go_on_and_service_recovers(stack):
    stack, small = stack
    assert track(stack, 1).status == 200
    filler = fill(small)
    failures = [track(stack, n) for n in range(2, 400)]
    refused = [answer for answer in failures if answer.status != 200]
    figure("the database's disk full", f"{len(refused)} of {len(failures)} writes refused with 503 and Retry-After, reads served")
    assert refused, "the full disk never showed"
    for answer in refused:
        assert answer.status == 503 and answer.json()["title"] == "Database unavailable" and answer.headers["Retry-After"]
    # Reads keep working: the tracked transaction, health, a balance.
    assert stack.get("/api/tx/0x" + format(1, "064x")).json()["status"] == "pending"
    assert stack.get("/api/health").json()["database"] == "ok"
    assert stack.get(f"/api/balance/{ADDRESS}").status == 200
    assert stack.fcgi.poll() is None  # still running
    filler.unlink()
    again = track(stack, 1000)
    assert again.status == 200, again.body  # space is back, so are writes
    with sqlite3.connect(stack.db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
