"""The load test of `make load` (and `make reliability`): many people using Smart Sonic at once.

Starts the real stack (release binaries, the shipped nginx.conf with a worker per core, the
devnet with our contracts, sonic-sync), gives the development accounts some history, and runs
LOAD_USERS (default 800) people of Tests/Load/locustfile.py with locust for LOAD_MINUTES
(default 10), LOAD_SPAWN_RATE (default 50) started a second (LOAD_NODE_DELAY_MS, when set, puts
the slow-node proxy with that delay between sonic-fcgi and the devnet, as a distant node): readers
loading the dashboard, balances, history pages, agent messages and transfer previews, and
senders sending real transfers and following them with long-polls.

Printed: the users held, requests/s, p50/p95/p99 per route as the clients saw them (through
nginx), the error count, and sonic-fcgi's resident memory after the warm-up and at the end.
Targets (docs/reliability.md): no error, p95 under 100 ms on every route but the long-poll
(which waits for the chain by design), memory growth under 5 % after the warm-up. The exit
status says whether they were met.

Only the flood limits are raised (nginx's per-address rate and SONIC_RATE_LIMIT_PER_MINUTE),
since every simulated person comes from 127.0.0.1; the limiter stays on the code path.
"""

import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SONIC_BIN_DIR", str(ROOT / ".build" / "release"))
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
sys.path.insert(0, str(ROOT / "devnet"))
from eth_account import Account  # noqa: E402
from sonic_devnet.chain import HD_PATH, TEST_MNEMONIC  # noqa: E402
from sonic_devnet.testing import SlowNode  # noqa: E402
from stack import Stack  # noqa: E402

MINUTES = float(os.environ.get("LOAD_MINUTES", "10"))
USERS = int(os.environ.get("LOAD_USERS", "800"))
SPAWN_RATE = int(os.environ.get("LOAD_SPAWN_RATE", "50"))
WARM_UP = float(os.environ.get("LOAD_WARM_UP", "60"))  # seconds after the last user started
NODE_DELAY_MS = int(os.environ.get("LOAD_NODE_DELAY_MS", "0"))
SENDERS = 8
LONG_POLL = "/api/tx/{hash}?wait (long-poll)"


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def development_keys() -> list[str]:
    Account.enable_unaudited_hdwallet_features()
    return [Account.from_mnemonic(TEST_MNEMONIC, account_path=f"{HD_PATH}/{i}").key.hex() for i in range(10)]


def seed_history(stack: Stack, addresses: list[str]):
    """Transfers among the development accounts, so history pages have entries to page through."""
    for i in range(60):
        sender, recipient = addresses[i % len(addresses)], addresses[(i * 7 + 3) % len(addresses)]
        stack.rpc("eth_sendTransaction", {"from": sender, "to": recipient, "value": hex(10**15 * (i + 1))})
    stack.wait_indexed(120)


def rpc_summary(metrics: str, seconds: float) -> str:
    """The RPC calls sonic-fcgi made, by method, from its /metrics: what the load cost the node."""
    calls, errors, durations = {}, 0, {}
    for line in metrics.splitlines():
        if line.startswith("sonic_rpc_calls_total{"):
            labels, value = line.rsplit(" ", 1)
            method = labels.split('method="')[1].split('"')[0]
            calls[method] = calls.get(method, 0) + int(float(value))
            if 'outcome="error"' in labels:
                errors += int(float(value))
        elif line.startswith("sonic_rpc_call_duration_seconds_sum{"):
            labels, value = line.rsplit(" ", 1)
            durations[labels.split('method="')[1].split('"')[0]] = float(value)
    total = sum(calls.values())
    top = sorted(calls.items(), key=lambda item: -item[1])[:6]
    parts = [f"{method} {count:,} ({1000 * durations.get(method, 0) / max(count, 1):.1f} ms mean)" for method, count in top]
    return f"{total:,} ({total / seconds:.0f}/s, {errors} failed): " + ", ".join(parts)


def percent(value: float, total: float) -> str:
    return f"{100 * value / total:.2f} %" if total else "n/a"


def main() -> int:
    keys = development_keys()
    addresses = [Account.from_key(key).address for key in keys]
    with tempfile.TemporaryDirectory() as folder:
        stack = Stack(Path(folder), nginx_rate="1000000r/s", nginx_workers="auto")  # a worker per core, as shipped
        stack.start(contracts=True, sync=True)
        node = None
        try:
            stack.stop_fcgi()
            slow = {}
            if NODE_DELAY_MS:
                node = SlowNode(f"http://127.0.0.1:{stack.devnet_port}", NODE_DELAY_MS)
                slow = {"SONIC_RPC_URLS": node.url}
                print(f"sonic-fcgi's node answers {NODE_DELAY_MS} ms late (the slow-node proxy)")
            # 800 people from one address: the per-client long-poll cap off, like the rate limit.
            stack.start_fcgi(SONIC_RATE_LIMIT_PER_MINUTE="1000000000", SONIC_LONG_POLLS_PER_CLIENT="0", SONIC_BALANCE_TTL="1",
                             SONIC_MAX_STALENESS="300", **slow)
            seed_history(stack, addresses)
            token = "SUSD" if "TestToken" in stack.deployments else ""  # the devnet's test dollar (SonicChain.Network)
            pid = stack.fcgi.pid
            start_rss = resident_kib(pid)
            samples: list[tuple[float, int]] = []
            done = threading.Event()

            def sample():
                while not done.wait(5):
                    samples.append((time.monotonic(), resident_kib(pid)))

            threading.Thread(target=sample, daemon=True).start()
            prefix = Path(folder) / "locust"
            environment = {
                **os.environ, "LOAD_ADDRESSES": ",".join(addresses), "LOAD_KEYS": ",".join(keys[1:1 + SENDERS]),
                "LOAD_TOKEN": token,
            }
            began = time.monotonic()
            spawned_at = began + USERS / SPAWN_RATE
            run = subprocess.run(
                [ROOT / ".venv" / "bin" / "locust", "-f", ROOT / "Tests" / "Load" / "locustfile.py", "--headless",
                 "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE), "--run-time", f"{int(MINUTES * 60)}s",
                 "--host", stack.url, "--csv", prefix, "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING"],
                env=environment, capture_output=True, text=True,
            )
            ended = time.monotonic()
            done.set()
            end_rss = resident_kib(pid)
            warm = [rss for at, rss in samples if at >= spawned_at + WARM_UP]
            warm_rss = warm[0] if warm else start_rss
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
            failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))
            fcgi_log = (Path(folder) / "var/log/sonic-fcgi.log").read_text()
            metrics = stack.get("/metrics").body.decode()
        finally:
            stack.stop()
            if node:
                node.stop()

    print(f"load: {USERS} users ({SENDERS} senders) for {(ended - began) / 60:.1f} min on {os.cpu_count()} cores, "
          f"through nginx (a worker per core) to sonic-fcgi, the devnet and sonic-sync")
    print(f"{'route':42} {'requests':>9} {'failed':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>8}")
    slow = []
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(f"{row['Name'][:42]:42} {int(row['Request Count']):9,} {int(row['Failure Count']):7} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):8.0f}")
        if row["Name"] != LONG_POLL and row["Type"] != "SETTLE" and float(row["95%"]) >= 100:
            slow.append(row["Name"])
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    print(f"{'all':42} {requests:9,} {failed:7} {float(total['Requests/s']):7.1f} {total['50%']:>7} {total['95%']:>7} "
          f"{total['99%']:>7} {float(total['Max Response Time']):8.0f}")
    growth = (end_rss - warm_rss) / warm_rss
    print(f"errors: {failed} of {requests:,} ({percent(failed, requests)})")
    for failure in failures[:10]:
        print(f"  {failure['Occurrences']}× {failure['Method']} {failure['Name']}: {failure['Error'][:160]}")
    print(f"sonic-fcgi resident memory: {start_rss / 1024:.1f} MiB at start, {warm_rss / 1024:.1f} MiB after the warm-up, "
          f"{end_rss / 1024:.1f} MiB at the end (growth {100 * growth:+.1f} % after the warm-up)")
    minutes = {}
    for at, rss in samples:
        minutes.setdefault(int((at - began) // 60) + 1, rss)  # the first sample of each minute
    print("  by minute (MiB):", " ".join(f"{minute}: {rss / 1024:.1f}" for minute, rss in sorted(minutes.items())))
    print("calls to the node:", rpc_summary(metrics, ended - began))
    if "warning" in fcgi_log.lower():
        print("sonic-fcgi warnings:", *[line for line in fcgi_log.splitlines() if "warning" in line.lower()][:5], sep="\n  ")
    if run.returncode not in (0, 1):
        print(run.stdout[-2000:], run.stderr[-3000:])
    met = failed == 0 and not slow and growth < 0.05 and run.returncode in (0, 1)
    print(f"targets (no error, p95 < 100 ms on every route but the long-poll, memory growth < 5 %): "
          f"{'met' if met else 'MISSED'}" + (f"; p95 ≥ 100 ms: {', '.join(slow)}" if slow else ""))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
