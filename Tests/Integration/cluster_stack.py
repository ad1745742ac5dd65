"""The cluster of scripts/cluster.sh (make cluster) on free ports of its own, as the tests and the
bench talk to it: PostgreSQL 15, the devnet, two sonic-sync (one indexing, one its standby),
three sonic-fcgi sharing no file, nginx balancing them with passive health checks.

Used by Tests/Integration/test_cluster.py and scripts/bench_cluster.py. `door(N)` is a way to
one host alone: an nginx of its own (the shipped nginx.conf) whose upstream is sonic-fcgi N."""

import os
import signal
import subprocess
import time
from pathlib import Path

from eth_account import Account

from stack import BIN, ROOT, Stack, free_ports, wait_until

FAIL_TIMEOUT = 2  # seconds nginx leaves out a host that failed (the script's default is 10)
HOSTS = (1, 2, 3)


def alive(pid) -> bool:
    """Running: there, and not a zombie waiting for its parent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Cluster(Stack):
    """The cluster: Stack's requests go to its front nginx and its devnet. `environment` adds to
    (or overrides) the settings every process of the cluster is started with."""

    def __init__(self, **environment):  # noqa: super().__init__ would start a single-host stack
        pg, devnet, http, *fcgi = free_ports(6)
        # In the checkout's var/test, not a private temporary folder: PostgreSQL runs as the
        # postgres user (when run as root), which must reach its data folder.
        self.dir = ROOT / "var" / "test" / f"cluster-{http}"
        self.devnet_port, self.pg_port, self.http_port, self.fcgi_ports = devnet, pg, http, fcgi
        self.url = f"http://127.0.0.1:{http}"
        self.run = self.dir / "cluster" / "run"
        self.doors = {}
        subprocess.run([BIN / "sonic-site", "build", "--templates", ROOT / "Templates", "--public", ROOT / "Public",
                        "--output", self.dir / "dist"], check=True, capture_output=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SONIC_")}
        self.env.update(
            SONIC_BIN=str(BIN), SONIC_CLUSTER_DIR=str(self.dir / "cluster"), SONIC_CLUSTER_SITE=str(self.dir / "dist"),
            SONIC_CLUSTER_PORT=str(http), SONIC_CLUSTER_PG_PORT=str(pg), SONIC_CLUSTER_DEVNET_PORT=str(devnet),
            SONIC_CLUSTER_FCGI_PORTS=" ".join(map(str, fcgi)), SONIC_CLUSTER_RATE="100000r/s",
            SONIC_CLUSTER_FAIL_TIMEOUT=f"{FAIL_TIMEOUT}s", SONIC_RATE_LIMIT_PER_MINUTE="0", SONIC_RPC_TIMEOUT="2",
            SONIC_INDEX_ALL="1",  # every account's history, to compare with the chain
        )
        self.env.update(environment)

    @property
    def database_url(self) -> str:
        return f"postgres://sonic@127.0.0.1:{self.pg_port}/sonic"

    def script(self, *args):
        done = subprocess.run([ROOT / "scripts" / "cluster.sh", *args], env=self.env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self):
        printed = self.script("start")
        assert f"is running: {self.url}" in printed, printed
        return printed

    def stop(self):
        for door in self.doors.values():
            door.stop_nginx()
        self.doors = {}
        self.script("stop")

    def pid(self, name) -> int:
        return int((self.run / f"{name}.pid").read_text())

    def postgres_pid(self) -> int:
        """The postmaster's (the first line of its postmaster.pid)."""
        return int((self.dir / "cluster" / "pg" / "data" / "postmaster.pid").read_text().split()[0])

    def door(self, number) -> Stack:
        """sonic-fcgi `number` alone, behind an nginx of its own (the shipped nginx.conf, a worker
        per core, the flood limit raised), started at the first call: its requests (/metrics
        included) reach that host and no other, while the front nginx goes on balancing all three."""
        if number not in self.doors:
            door = Stack(self.dir / f"door-{number}", nginx_rate="1000000r/s", nginx_workers="auto",
                         fcgi_port=self.fcgi_ports[number - 1])
            door.devnet_port = self.devnet_port
            door.start_nginx()
            self.doors[number] = door
        return self.doors[number]

    def kill(self, name):
        """kill -9, and wait until it is gone."""
        pid = self.pid(name)
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid), 10, f"{name} to end")

    def only_host(self, number):
        """Leaves sonic-fcgi `number` the one host alive (the others killed with -9)."""
        for other in set(HOSTS) - {number}:
            if alive(self.pid(f"sonic-fcgi-{other}")):
                self.kill(f"sonic-fcgi-{other}")
        if not alive(self.pid(f"sonic-fcgi-{number}")):
            self.start_host(number)
        self.settle(f"host {number} alone to answer")

    def start_host(self, number):
        self.script("start-host", str(number))

    def all_hosts(self):
        for number in HOSTS:
            if not alive(self.pid(f"sonic-fcgi-{number}")):
                self.start_host(number)
        self.settle("every host to answer")

    def settle(self, what):
        """Waits until nginx tries every host again (the dead ones left out for FAIL_TIMEOUT) and
        answers a dozen GETs in a row. (Right after a host comes back in place of a killed one
        while the two others are dead, one GET answered 503 "API unavailable" in about one run in
        four when only one GET was awaited: nginx had no host to retry it on.)"""
        time.sleep(FAIL_TIMEOUT + 0.5)
        wait_until(lambda: all(self.get("/api/network").status == 200 for _ in range(12)), 30, what)

    def log(self, name) -> str:
        return (self.dir / "cluster" / "log" / f"{name}.log").read_text()

    def pending_transfer(self, key, value=10**15):
        """A transfer signed here but not sent: its hash, and its raw bytes to send later."""
        account = Account.from_key(key)
        nonce = int(self.rpc("eth_getTransactionCount", account.address, "pending"), 16)
        fee = int(self.rpc("eth_gasPrice"), 16) * 2
        signed = Account.sign_transaction({"to": Account.create().address, "value": value, "nonce": nonce, "gas": 21_000,
                                           "maxFeePerGas": fee, "maxPriorityFeePerGas": 1, "chainId": 31337, "type": 2}, key)
        return "0x" + signed.hash.hex().removeprefix("0x"), "0x" + signed.raw_transaction.hex().removeprefix("0x")


class Psql:
    """One psql session on a database of the cluster, kept open (its commands answered as they
    are sent, so a write's return is its commit): PostgreSQL's own client, no driver needed."""

    MARK = "--psql-done--"

    def __init__(self, url: str):
        self.process = subprocess.Popen(
            ["stdbuf", "-oL", "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\t", url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)

    def run(self, sql: str) -> list[list[str]]:
        """Runs `sql` (one or more statements) and returns the rows printed, each a list of fields."""
        self.process.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo " + self.MARK + "\n")
        self.process.stdin.flush()
        rows = []
        while (line := self.process.stdout.readline()) != self.MARK + "\n":
            if not line:
                raise RuntimeError(f"psql ended: {self.process.stderr.read()}")
            if line.strip():
                rows.append(line.rstrip("\n").split("\t"))
        return rows

    def value(self, sql: str):
        return self.run(sql)[0][0]

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)
