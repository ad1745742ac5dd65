"""Cluster figures for `make bench` (issue 22; docs/scaling.md): one host on SQLite against three
hosts on one PostgreSQL, in one run, on release binaries, on this machine.

Each configuration in turn (the other stopped, so neither takes CPU from the other):
- one host: the shipped nginx.conf and one sonic-fcgi on SQLite (Tests/Integration/stack.py),
  contracts deployed and indexed by a sonic-sync;
- the cluster: scripts/cluster.sh (make cluster) on free ports (cluster_stack.Cluster):
  PostgreSQL 15 with pg_stat_statements, two sonic-sync, three sonic-fcgi, the front nginx.

Measured on both: the cached balance (wrk, 64 connections, through the front nginx) and a history
page (database-bound: every request reads the index), requests a second, p50 and p99; the long-poll
wake latency (scripts/bench_longpoll.py's rounds: 100 requests parked on a transaction tracked
through the API, then its state written as the indexer writes it; from that commit to each
answer). On the cluster the transaction is tracked through host 1 and the requests are parked on
hosts 2 and 3 (each reached alone through an nginx of its own, `Cluster.door`), and the write
goes to PostgreSQL, whose trigger notifies every host.

On the cluster only: PostgreSQL's statements (pg_stat_statements, those of the hosts' role; the
bench reads as a role of its own) and sessions opened (pg_stat_database), per request and a second
at rest; the CPU of PostgreSQL's processes against the others (/proc/<pid>/stat; the postmaster's
reaped children included, so short sessions count); and the indexer from an empty database to the
head, into SQLite and into PostgreSQL, over BENCH_CLUSTER_BLOCKS (200) blocks of traffic.

Two cores run everything here (wrk, nginx, the hosts, PostgreSQL, the devnet): three hosts cannot
serve more than one, so the figures show what the shared database costs, not scaling.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SONIC_BIN_DIR", str(ROOT / ".build" / "release"))
sys.path.insert(0, str(ROOT / "Tests" / "Integration"))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_http import SECONDS, wrk  # noqa: E402
from bench_indexer import SONIC_BLOCKS_PER_SECOND, traffic  # noqa: E402
from bench_longpoll import PER_ROUND, ROUNDS, latency_rounds, percentile  # noqa: E402
from bench_longpoll import settle as settle_in_sqlite  # noqa: E402
from cluster_stack import Cluster, Psql  # noqa: E402
from stack import BIN, Stack, wait_until  # noqa: E402

BLOCKS = int(os.environ.get("BENCH_CLUSTER_BLOCKS", "200"))
REST_SECONDS = 5  # the cluster at rest: what it asks of PostgreSQL with no request
ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # the deployer: its history is the deployments
# Every sonic-fcgi of both configurations: the limiter on its path but out of the way of one load
# generator; the long-poll and unknown-transaction caps off (all waiters are one client here).
HOST_SETTINGS = dict(SONIC_RATE_LIMIT_PER_MINUTE="1000000000", SONIC_LONG_POLLS_PER_CLIENT="0",
                     SONIC_UNKNOWN_TX_PER_CLIENT="1000000", SONIC_BALANCE_TTL="0.5")
TICK = os.sysconf("SC_CLK_TCK")
SETTLE_SQL = ("UPDATE tracked_transaction SET state = 'confirmed', block = 1, gas_used = 21000, fee_wei = '21000', "
              "updated_at = extract(epoch FROM now()) WHERE hash IN ({})")


# CPU ----------------------------------------------------------------------------------------

def stat_fields(pid) -> list[str]:
    """/proc/<pid>/stat after the command's name: [0] is field 3 (state), so field n is [n - 3]."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def ticks(pid, reaped=False) -> int:
    """utime + stime of a process (all its threads), with its reaped children's when `reaped`."""
    try:
        fields = stat_fields(pid)
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)


def children(pid) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(stat_fields(entry.name)[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError):
                pass
    return found


def tree_ticks(parent) -> int:
    """A server and its workers: the parent with the children it reaped, and the living children."""
    return ticks(parent, reaped=True) + sum(ticks(child) for child in children(parent))


def machine_ticks() -> tuple[int, int]:
    """(busy, all) ticks of every core since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


class CPU:
    """CPU seconds of named groups of processes over a window, and of the whole machine."""

    def __init__(self, groups, child="wrk"):
        self.groups = groups  # name -> function giving the group's ticks now
        self.child = child  # what the one child of this process reaped in the window is

    def __enter__(self):
        self.start = {name: measure() for name, measure in self.groups.items()}
        self.start_machine, self.start_children = machine_ticks(), resource.getrusage(resource.RUSAGE_CHILDREN)
        self.started = time.monotonic()
        return self

    def __exit__(self, *_):
        self.wall = time.monotonic() - self.started
        self.seconds = {name: (measure() - self.start[name]) / TICK for name, measure in self.groups.items()}
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.seconds[self.child] = (child.ru_utime - self.start_children.ru_utime) + (child.ru_stime - self.start_children.ru_stime)
        busy, total = machine_ticks()
        self.busy = (busy - self.start_machine[0]) / TICK
        self.capacity = (total - self.start_machine[1]) / TICK
        self.seconds["the rest of the machine"] = max(0.0, self.busy - sum(self.seconds.values()))

    def shares(self) -> str:
        parts = [f"{name} {seconds / self.wall:.2f} ({seconds / self.busy:.0%})" for name, seconds in self.seconds.items()]
        return (f"cores busy {self.busy / self.wall:.2f} of {self.capacity / self.wall:.0f}; each in cores (share of the busy "
                f"CPU): " + ", ".join(parts))


def host_groups(fcgi_pids, nginx_pid):
    return {"sonic-fcgi": lambda: sum(ticks(pid) for pid in fcgi_pids()), "nginx": lambda: tree_ticks(nginx_pid())}


# PostgreSQL's counters ---------------------------------------------------------------------

class Counters:
    """pg_stat_statements for the hosts' role (`sonic`) in one database, and its sessions opened,
    read through a session of the bench's own role (so its own reads are not counted)."""

    def __init__(self, psql, database="sonic"):
        self.psql, self.database = psql, database

    def read(self):
        rows = self.psql.run(f"""
            SELECT s.queryid, s.calls, s.total_exec_time, regexp_replace(left(s.query, 90), '\\s+', ' ', 'g')
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
            WHERE d.datname = '{self.database}' AND r.rolname = 'sonic'""")
        sessions = int(self.psql.value(f"SELECT sessions FROM pg_stat_database WHERE datname = '{self.database}'"))
        return {row[0]: (int(row[1]), float(row[2]), row[3]) for row in rows}, sessions

    def __enter__(self):
        self.before = self.read()
        return self

    def __exit__(self, *_):
        after, sessions = self.read()
        before, sessions_before = self.before
        self.sessions = sessions - sessions_before
        self.by_statement = sorted(((calls - before.get(key, (0, 0.0))[0], time - before.get(key, (0, 0.0))[1], text)
                                    for key, (calls, time, text) in after.items()), reverse=True)
        self.statements = sum(calls for calls, _, _ in self.by_statement)
        self.exec_ms = sum(time for _, time, _ in self.by_statement)

    def top(self, count=4) -> str:
        return "; ".join(f"{calls} × {text}" for calls, _, text in self.by_statement[:count] if calls > 0)


# The measurements of both ----------------------------------------------------------------

def load(front, path, groups, counters=None, seconds=SECONDS):
    """wrk on `path` through `front`, with the CPU (and PostgreSQL's counters) over its run."""
    with CPU(groups) as cpu:
        if counters:
            with counters:
                result = wrk(f"{front.url}{path}", seconds)
        else:
            result = wrk(f"{front.url}{path}", seconds)
    return result, cpu


def track_through(front):
    def track(tx_hash):
        answer = front.post_json("/api/tx/track", {"hash": tx_hash})
        assert answer.status == 200 and answer.json()["status"] == "pending", answer.body
    return track


def one_host(results):
    with tempfile.TemporaryDirectory() as folder:
        stack = Stack(Path(folder), nginx_rate="1000000r/s", nginx_workers="auto")  # as shipped
        stack.start(contracts=True)
        try:
            stack.stop_fcgi()
            stack.start_fcgi(**HOST_SETTINGS)
            stack.start_sync()
            stack.wait_indexed()
            stack.stop_sync()  # as in bench_http.py: sonic-fcgi alone (the bench writes what the indexer would)
            assert stack.get(f"/api/balance/{ADDRESS}").status == 200
            assert stack.get(f"/api/history/{ADDRESS}").json()["entries"], "the deployer's history is empty"
            groups = host_groups(lambda: [stack.fcgi.pid], lambda: int((stack.dir / "var/run/nginx.pid").read_text()))
            results["balance"] = load(stack, f"/api/balance/{ADDRESS}", groups)
            results["history"] = load(stack, f"/api/history/{ADDRESS}", groups)
            results["wake"] = latency_rounds([stack], track_through(stack), lambda hashes: settle_in_sqlite(stack.db_path, hashes))
        finally:
            stack.stop()


def the_cluster(results):
    cluster = Cluster(**HOST_SETTINGS)
    bench = None
    try:
        cluster.start()
        # The bench's own role, so that what it reads is not counted with the hosts' statements.
        setup = Psql(cluster.database_url)
        setup.run("CREATE ROLE bench LOGIN SUPERUSER; CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        setup.close()
        bench = Psql(cluster.database_url.replace("sonic@", "bench@"))
        counters = Counters(bench)
        fcgi = lambda: [cluster.pid(f"sonic-fcgi-{number}") for number in (1, 2, 3)]  # noqa: E731
        groups = {"PostgreSQL": lambda: tree_ticks(cluster.postgres_pid()),
                  **host_groups(fcgi, lambda: cluster.pid("nginx")),
                  "sonic-sync": lambda: sum(ticks(cluster.pid(f"sonic-sync-{n}")) for n in (1, 2)),
                  "devnet": lambda: ticks(cluster.pid("devnet"))}
        assert cluster.get(f"/api/balance/{ADDRESS}").status == 200
        wait_until(lambda: cluster.get(f"/api/history/{ADDRESS}").json().get("entries"), 30, "the deployer's history")
        time.sleep(2)  # the start's work done (the knowledge base loaded, the deployments indexed)
        sessions = "SELECT count(*) FROM pg_stat_activity WHERE usename = 'sonic' AND datname = 'sonic'"
        results["connections"] = [int(bench.value(sessions))]

        with CPU(groups) as cpu, counters:
            time.sleep(REST_SECONDS)
        results["rest"] = (counters.statements / cpu.wall, counters.sessions / cpu.wall, cpu, counters.top())
        for name, path in (("balance", f"/api/balance/{ADDRESS}"), ("history", f"/api/history/{ADDRESS}")):
            result, cpu = load(cluster, path, groups, counters)
            results[name] = (result, cpu, counters.statements, counters.exec_ms, counters.top())
            results["connections"].append(int(bench.value(sessions)))

        # Tracked through host 1, parked on hosts 2 and 3, settled in PostgreSQL (the indexer's write).
        doors = [cluster.door(number) for number in (1, 2, 3)]
        with counters:
            results["wake"] = latency_rounds(doors[1:], track_through(doors[0]),
                                             lambda hashes: bench.run(SETTLE_SQL.format(", ".join(f"'{h}'" for h in hashes))))
        results["wake statements"] = (counters.statements, counters.top())  # the settling writes are the bench's role's

        results["indexer"] = indexers(cluster, bench, groups)
    finally:
        if bench:
            bench.close()
        cluster.stop()
        shutil.rmtree(cluster.dir, ignore_errors=True)


def indexers(cluster, bench, groups):
    """BLOCKS blocks of traffic, the cluster's own indexer given time to index them, then one
    `sonic-sync run --once` from empty to the head into SQLite and one into PostgreSQL (a database
    of its own): (blocks, SQLite seconds, PostgreSQL seconds, PostgreSQL's statements, its CPU)."""
    deployments = json.loads((cluster.dir / "cluster" / "deployments" / "devnet.json").read_text())["contracts"]
    head = traffic(cluster, deployments, BLOCKS)
    wait_until(lambda: cluster.get(f"/api/history/{ADDRESS}").json().get("indexed_block", 0) >= head, 60, "the cluster's indexer")
    bench.run("CREATE DATABASE sonic_index OWNER sonic")
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SONIC_")}
        environment.update(SONIC_NETWORK="devnet", SONIC_RPC_URLS=f"http://127.0.0.1:{cluster.devnet_port}",
                           SONIC_DEPLOYMENTS_DIR=str(cluster.dir / "cluster" / "deployments"),
                           SONIC_DB_PATH=f"{folder}/index.sqlite", SONIC_CONTENT_DIR=f"{folder}/ipfs")
        url = cluster.database_url.removesuffix("/sonic") + "/sonic_index"
        counters = Counters(bench, "sonic_index")  # after the loop: the run into PostgreSQL, as `cpu`
        for extra in ({}, {"SONIC_DATABASE_URL": url}):
            with CPU(groups, "sonic-sync --once") as cpu, counters:
                started = time.monotonic()
                subprocess.run([BIN / "sonic-sync", "run", "--once"], env={**environment, **extra}, check=True, capture_output=True)
                timings.append(time.monotonic() - started)
            status = subprocess.run([BIN / "sonic-sync", "status"], env={**environment, **extra}, check=True,
                                    capture_output=True, text=True).stdout
            assert f"indexed to block {head} " in status, status
    return head + 1, timings[0], timings[1], counters.statements, cpu


# The report --------------------------------------------------------------------------------

def main() -> int:
    single, multi = {}, {}
    one_host(single)
    the_cluster(multi)

    rows = []  # (measurement, one host, cluster, target, met)

    def row(name, one, three, target="", met=None):
        rows.append((name, one, three, target, met))

    for name, label in (("balance", "cached balance"), ("history", "history page")):
        (a, _), (b, *_rest) = single[name], multi[name]
        row(f"{label}: requests/s (64 connections)", f"{a.rate:,.0f}", f"{b.rate:,.0f}")
        row(f"{label}: p50 / p99 (ms)", f"{a.p50:.2f} / {a.p99:.2f}", f"{b.p50:.2f} / {b.p99:.2f}")
        row(f"{label}: errors", str(a.errors), str(b.errors), "0", a.errors == 0 and b.errors == 0)
    wakes = {}
    for which, results in (("one", single), ("three", multi)):
        latencies, errors = results["wake"]
        wakes[which] = (percentile(latencies, 0.5), percentile(latencies, 0.99), errors)
    row(f"long-poll wake, {PER_ROUND} parked × {ROUNDS}: p50 (ms)", f"{wakes['one'][0]:.1f}", f"{wakes['three'][0]:.1f}")
    row(f"long-poll wake, {PER_ROUND} parked × {ROUNDS}: p99 (ms)", f"{wakes['one'][1]:.1f}", f"{wakes['three'][1]:.1f}",
        "<= 50", wakes["one"][1] <= 50 and wakes["three"][1] <= 50)
    row("long-poll errors (not 200 with the new state)", str(wakes["one"][2]), str(wakes["three"][2]), "0",
        wakes["one"][2] == 0 and wakes["three"][2] == 0)
    blocks, sqlite_seconds, pg_seconds, index_statements, index_cpu = multi["indexer"]
    sqlite_rate, pg_rate = blocks / sqlite_seconds, blocks / pg_seconds
    row(f"indexer from empty, {blocks} blocks: blocks/s", f"{sqlite_rate:,.0f}", f"{pg_rate:,.0f}",
        f"> {SONIC_BLOCKS_PER_SECOND:.2f}", min(sqlite_rate, pg_rate) > SONIC_BLOCKS_PER_SECOND)

    width = max(len(r[0]) for r in rows)
    print(f"{'cluster measurement'.ljust(width)}  {'one host, SQLite':>18}  {'3 hosts, PostgreSQL':>20}  target")
    for name, one, three, target, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"{name.ljust(width)}  {one:>18}  {three:>20}  {target.ljust(6)} {verdict}")

    print("\nWhat the cluster asks of PostgreSQL (the hosts' statements, pg_stat_statements):")
    per_second, sessions_per_second, rest_cpu, rest_top = multi["rest"]
    at_rest, after_balance, after_history = multi["connections"]
    print(f"  at rest: {per_second:.1f} statements/s, {sessions_per_second:.1f} sessions opened/s; most called: {rest_top}")
    print(f"  sessions of the hosts open (3 sonic-fcgi, 2 sonic-sync): {at_rest} at rest, {after_balance} after the balance load, "
          f"{after_history} after the history load")
    print(f"  at rest: {rest_cpu.shares()}")
    for name, label in (("balance", "cached balance"), ("history", "history page")):
        result, cpu, statements, exec_ms, top = multi[name]
        beyond_rest = max(0.0, statements - per_second * cpu.wall)
        postgres = cpu.seconds["PostgreSQL"]
        print(f"  {label}: {statements:,} statements for {result.requests:,} requests = {statements / result.requests:.3f} a request "
              f"({beyond_rest / result.requests:.3f} beyond those at rest); executing {exec_ms / max(statements, 1) * 1000:.0f} µs "
              f"a statement inside PostgreSQL; PostgreSQL's CPU {postgres * 1e6 / result.requests:.0f} µs a request, "
              f"{postgres * 1e6 / max(statements, 1):.0f} µs a statement")
        print(f"    {cpu.shares()}")
        print(f"    most called: {top}")
    wake_statements, wake_top = multi["wake statements"]
    print(f"  long-polls: {wake_statements:,} statements for {ROUNDS} tracked and {ROUNDS * PER_ROUND:,} parked and answered "
          f"= {wake_statements / (ROUNDS * PER_ROUND):.2f} a long-poll; most called: {wake_top}")
    print(f"  indexer into PostgreSQL: {index_statements:,} statements for {blocks} blocks = {index_statements / blocks:.1f} a block "
          f"({pg_seconds:.2f} s; into SQLite {sqlite_seconds:.2f} s); {index_cpu.shares()}")
    print("Two cores run all of it: the three hosts share the cores one host had, so these are the costs of the shared "
          "database, not a scaling figure (docs/scaling.md).")
    return 0 if all(met is not False for *_, met in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
