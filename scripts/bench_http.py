"""HTTP figures for `make bench`: the cached balance endpoint through nginx and sonic-fcgi
against nginx serving a static 1 KiB JSON file, measured with wrk in one run on this machine.

The stack is the real one (release binaries, the shipped nginx.conf) on free ports; only
nginx's per-address flood limit is raised, and sonic-fcgi's limiter is set high, so one load
generator can run while the limiter stays on the code path measured.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SONIC_BIN_DIR", str(ROOT / ".build" / "release"))
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
sys.path.insert(0, str(ROOT / "devnet"))
from stack import Stack  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "3")) * 3
CONNECTIONS = 64


class Wrk(NamedTuple):
    rate: float  # requests a second
    p50: float  # milliseconds
    p99: float
    errors: int  # answers not 2xx or 3xx
    requests: int  # answers in all


def milliseconds(output, label):
    found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
    return float(found.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[found.group(2)]


def wrk(url, seconds=SECONDS, connections=CONNECTIONS) -> Wrk:
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Wrk(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), milliseconds(output, "50%"),
               milliseconds(output, "99%"), int(errors.group(1)) if errors else 0,
               int(re.search(r"(\d+) requests in", output).group(1)))


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        stack = Stack(Path(folder), nginx_rate="1000000r/s", nginx_workers="auto")  # as shipped
        stack.start()
        try:
            stack.stop_fcgi()
            stack.start_fcgi(SONIC_RATE_LIMIT_PER_MINUTE="1000000000")  # threads: the default
            (stack.dir / "dist" / "bench.json").write_text(json.dumps({"pad": "x" * 1010}))
            address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
            assert stack.get(f"/api/balance/{address}").status == 200
            static_rate, _, static_p99, static_errors, _ = wrk(f"{stack.url}/bench.json")
            api_rate, _, api_p99, api_errors, _ = wrk(f"{stack.url}/api/balance/{address}")
        finally:
            stack.stop()
    ratio = api_rate / static_rate
    met = ratio >= 0.4 and api_p99 < 10 and api_errors == 0
    print(f"{'measurement':44}  {'req/s':>9}  {'p99 ms':>7}  {'errors':>6}")
    print(f"{'nginx static 1 KiB JSON, 64 connections':44}  {static_rate:9,.0f}  {static_p99:7.2f}  {static_errors:6}")
    print(f"{'GET /api/balance (cached), 64 connections':44}  {api_rate:9,.0f}  {api_p99:7.2f}  {api_errors:6}")
    print(f"ratio {ratio:.2f} (target ≥ 0.40), p99 {api_p99:.2f} ms (target < 10): {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
