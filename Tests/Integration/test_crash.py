"""sonic-fcgi killed with SIGKILL in the middle of NFT uploads and sign-ins, several times:
afterwards SQLite's integrity check passes, every session that was answered still works, and
the content store holds whole objects only (no half-written upload left behind)."""

import json
import random
import signal
import sqlite3
import struct
import threading
import time
import zlib
from http.cookies import SimpleCookie

import pytest

from figures import figure
from siwe import session_headers, sign_in
from stack import Stack, wait_until
from test_nft import upload


# Many 3 MB uploads from one address: the daily upload quotas raised with the rate limit.
UNLIMITED = {"SONIC_RATE_LIMIT_PER_MINUTE": "0", "SONIC_UPLOADS_PER_DAY": "1000000", "SONIC_UPLOAD_BYTES_PER_DAY": str(1 << 40)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("crash"), nginx_rate="100000r/s").start()
    running.stop_fcgi()
    running.start_fcgi(**UNLIMITED)
    yield running
    running.stop()


def big_png(seed: int) -> bytes:
    """A valid PNG of about 3 MB (noise does not compress)."""
    width, height = 1024, 1024
    rng = random.Random(seed)
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def test_kills_during_uploads_and_sign_ins_leave_nothing_half_written(stack):
    images = [big_png(seed) for seed in range(3)]
    answered_sessions = []
    interrupted = 0
    rng = random.Random(11)
    for round_ in range(10):
        headers = session_headers(stack)
        stop = threading.Event()

        def uploads():
            index = 0
            while not stop.is_set():
                try:
                    upload(stack, headers, {"image": ("big.png", images[index % 3] + b""), "name": f"Crash {round_} {index}"})
                except OSError:
                    pass
                index += 1

        def sign_ins():
            while not stop.is_set():
                try:
                    answer, _ = sign_in(stack)
                except Exception:  # noqa: BLE001 - the server may vanish mid-exchange
                    continue
                if answer.status == 200:
                    cookie = SimpleCookie()
                    cookie.load(answer.headers["Set-Cookie"])
                    answered_sessions.append(cookie["sonic_session"].value)

        threads = [threading.Thread(target=uploads), threading.Thread(target=uploads), threading.Thread(target=sign_ins)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.2, 0.6))  # a random moment to strike, the subject of this test: not a wait
        # Every other round, strike while an upload is being written (its staging folder exists).
        staging = stack.dir / "var" / "ipfs" / "staging"
        if round_ % 2 == 0:
            wait_until(lambda: any(staging.iterdir()), 5, "an upload being staged in var/ipfs/staging", every=0.0005)
        elif not any((stack.dir / "var" / "ipfs" / "objects").glob("*")):
            # The other rounds strike at any moment, but not before one upload has finished: on a
            # busy machine a 3 MB upload may take longer than the random moment.
            wait_until(lambda: any((stack.dir / "var" / "ipfs" / "objects").glob("*")), 30, "an upload to finish")
        stack.fcgi.send_signal(signal.SIGKILL)
        stack.fcgi.wait()
        stack.fcgi = None
        stop.set()
        for thread in threads:
            thread.join()
        interrupted += len(list((stack.dir / "var" / "ipfs" / "staging").iterdir()))
        stack.start_fcgi(**UNLIMITED)  # sweeps what the killed one left staged

    figure("sonic-fcgi killed (SIGKILL) during uploads and sign-ins",
           f"10 kills, {interrupted} uploads caught half-staged, {len(answered_sessions)} answered sessions all still valid")
    with sqlite3.connect(stack.db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert answered_sessions, "no sign-in was answered before the kills"
    for token in answered_sessions:
        assert stack.get("/api/auth/me", {"Cookie": f"sonic_session={token}"}).status == 200
    root = stack.dir / "var" / "ipfs"
    assert list((root / "staging").iterdir()) == []
    objects = list((root / "objects").iterdir())
    assert objects, "no upload finished at all"
    for folder in objects:
        record = json.loads((folder / "object.json").read_text())
        served = stack.get(f"/ipfs/{record['root']}")  # every block checked against its hash
        assert served.status == 200 and len(served.body) == record["size"]
