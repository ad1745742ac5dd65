"""The real stack for integration tests: devnet, sonic-fcgi and nginx on free loopback ports.

nginx runs the repository's nginx.conf with only its ports, its document root and its var/
paths moved to this test's folder, so what is tested is the configuration that ships.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "devnet"))
from sonic_devnet.testing import wait_until  # noqa: E402, F401 (the one deadline poll, re-exported for the tests)

BIN = Path(os.environ.get("SONIC_BIN_DIR", ROOT / ".build" / "debug"))
# The first development account of "test test … junk": a public key, for the local devnet only.
DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports: all held open while choosing, so none is handed out twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def nginx_user_args() -> list[str]:
    """As root, nginx's workers would run as nobody and could not read a private checkout:
    run them as the invoking user, as scripts/stack.sh does."""
    return ["-g", "user root;"] if os.geteuid() == 0 else []


class HTTPAnswer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


class Stack:
    def __init__(self, workdir: Path, nginx_rate: str | None = None, nginx_workers: str = "1", fcgi_instances: int = 1,
                 fcgi_port: int | None = None):
        """`fcgi_port`: the port of a sonic-fcgi running already (this nginx in front of it), else a free one."""
        self.nginx_rate = nginx_rate
        self.nginx_workers = nginx_workers
        # More sonic-fcgi instances behind the same upstreams (docs/operations.md).
        self.extra_fcgi_ports = free_ports(fcgi_instances - 1) if fcgi_instances > 1 else []
        self.extra_fcgi = {}
        self.dir = workdir
        for sub in ("run", "log", "nginx"):
            (workdir / "var" / sub).mkdir(parents=True, exist_ok=True)
        self.devnet_port, self.fcgi_port, self.http_port = free_ports(3)
        self.fcgi_port = fcgi_port or self.fcgi_port
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.db_path = workdir / "var" / "sonic.sqlite"
        self.devnet = self.fcgi = self.sync = None
        self._build_site()
        self._write_nginx_conf()

    # Pieces ------------------------------------------------------------------------------

    def _build_site(self):
        subprocess.run(
            [BIN / "sonic-site", "build", "--templates", ROOT / "Templates", "--public", ROOT / "Public",
             "--output", self.dir / "dist"],
            check=True, capture_output=True,
        )

    def _write_nginx_conf(self):
        text = (ROOT / "nginx.conf").read_text()
        replacements = [
            ("listen 127.0.0.1:8080 ", f"listen 127.0.0.1:{self.http_port} "),
            ("server 127.0.0.1:9146;", "\n        ".join(f"server 127.0.0.1:{port};" for port in [self.fcgi_port, *self.extra_fcgi_ports])),
            ("worker_processes auto;", f"worker_processes {self.nginx_workers};"),
        ]
        if self.nginx_rate:
            replacements.append(("rate=50r/s;", f"rate={self.nginx_rate};"))
        for old, new in replacements:
            assert old in text, f"nginx.conf no longer contains {old!r}"
            text = text.replace(old, new)
        (self.dir / "nginx.conf").write_text(text)

    def start_devnet(self):
        self.devnet = subprocess.Popen(
            [sys.executable, "-m", "sonic_devnet", "--port", str(self.devnet_port)],
            cwd=ROOT / "devnet", stdout=open(self.dir / "var/log/devnet.log", "ab"), stderr=subprocess.STDOUT,
        )
        wait_until(lambda: self.rpc("eth_chainId") is not None, 60, "devnet")

    def stop_devnet(self):
        if self.devnet:
            self.devnet.terminate()
            self.devnet.wait(10)
            self.devnet = None

    def deploy_contracts(self):
        """Our contracts on this stack's devnet, recorded where its sonic-fcgi reads them."""
        subprocess.run([sys.executable, str(ROOT / "contracts" / "compile.py")], check=True, capture_output=True)
        subprocess.run(
            [BIN / "sonic", "deploy", "--rpc-url", f"http://127.0.0.1:{self.devnet_port}", "--private-key", DEV_KEY,
             "--deployments", str(self.dir / "deployments"), "--artifacts", str(ROOT / "contracts" / "build")],
            check=True, capture_output=True,
        )
        self.deployments = json.loads((self.dir / "deployments" / "devnet.json").read_text())["contracts"]

    def fcgi_environment(self, **overrides):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SONIC_")}
        env.update(
            SONIC_NETWORK="devnet",
            SONIC_RPC_URLS=f"http://127.0.0.1:{self.devnet_port}",
            SONIC_RPC_TIMEOUT="2",
            SONIC_DB_PATH=str(self.db_path),
            SONIC_FCGI_LISTEN=f"127.0.0.1:{self.fcgi_port}",
            SONIC_DEPLOYMENTS_DIR=str(self.dir / "deployments"),
            SONIC_BALANCE_TTL="0.5",
            SONIC_MAX_STALENESS="4",
            SONIC_PUBLIC_ORIGIN=self.url,
            SONIC_RATE_LIMIT_PER_MINUTE="0",
            SONIC_SIGN_INS_PER_HOUR="0",
            SONIC_KNOWLEDGE_DIR=str(ROOT / "docs" / "knowledge"),
            SONIC_CONTENT_DIR=str(self.dir / "var" / "ipfs"),
        )
        env.update(overrides)
        return env

    def start_fcgi(self, **overrides):
        self.fcgi = subprocess.Popen(
            [BIN / "sonic-fcgi"], env=self.fcgi_environment(**overrides),
            stdout=open(self.dir / "var/log/sonic-fcgi.log", "ab"), stderr=subprocess.STDOUT,
        )
        wait_until(lambda: socket.create_connection(("127.0.0.1", self.fcgi_port), 1).close() or True, 30, "sonic-fcgi")

    def start_extra_fcgi(self, port, **overrides):
        """Another sonic-fcgi on the same database, listening on `port` (one of extra_fcgi_ports)."""
        self.extra_fcgi[port] = subprocess.Popen(
            [BIN / "sonic-fcgi"], env=self.fcgi_environment(SONIC_FCGI_LISTEN=f"127.0.0.1:{port}", **overrides),
            stdout=open(self.dir / f"var/log/sonic-fcgi-{port}.log", "ab"), stderr=subprocess.STDOUT,
        )
        wait_until(lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True, 30, f"sonic-fcgi on {port}")

    def stop_fcgi(self, sig=signal.SIGTERM) -> int:
        self.fcgi.send_signal(sig)
        code = self.fcgi.wait(15)
        self.fcgi = None
        return code

    def start_sync(self, **overrides):
        """sonic-sync on this stack's database, indexing every transaction (as on the devnet)."""
        self.sync = subprocess.Popen(
            [BIN / "sonic-sync", "run", "--interval", "0.05", "--progress-every", "1"], env=self.fcgi_environment(**overrides),
            stdout=open(self.dir / "var/log/sonic-sync.log", "ab"), stderr=subprocess.STDOUT,
        )
        return self.sync

    def stop_sync(self, sig=signal.SIGTERM) -> int | None:
        if not self.sync:
            return None
        self.sync.send_signal(sig)
        code = self.sync.wait(15)
        self.sync = None
        return code

    def sync_state(self):
        """What `sonic-sync status` prints for this stack."""
        return subprocess.run([BIN / "sonic-sync", "status"], env=self.fcgi_environment(), capture_output=True, text=True,
                              check=True).stdout.strip()

    def indexed_block(self) -> int | None:
        """The last block sonic-sync has written, from `sonic-sync status`."""
        match = re.search(r"indexed to block (\d+) ", self.sync_state())
        return int(match.group(1)) if match else None

    def wait_indexed(self, seconds: float = 30) -> int:
        """Until the indexer has written the devnet's current head; returns that block."""
        head = int(self.rpc("eth_blockNumber"), 16)
        wait_until(lambda: (self.indexed_block() or -1) >= head, seconds, f"the index of block {head}")
        return head

    def start_nginx(self):
        # A port chosen earlier can be taken meanwhile as the local end of an outgoing
        # connection (both come from the ephemeral range): then take another.
        for attempt in range(3):
            started = subprocess.run(["nginx", "-p", str(self.dir), "-c", "nginx.conf", *nginx_user_args()],
                                     capture_output=True, text=True)
            if started.returncode == 0:
                break
            if "Address already in use" not in started.stderr or attempt == 2:
                raise RuntimeError(f"nginx did not start: {started.stderr}")
            self.http_port = free_port()
            self.url = f"http://127.0.0.1:{self.http_port}"
            self._write_nginx_conf()
        wait_until(lambda: self.get("/").status == 200, 30, "nginx")

    def stop_nginx(self):
        pid_file = self.dir / "var/run/nginx.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text())
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not Path(f"/proc/{pid}").exists(), 10, "nginx exit")

    def start(self, contracts=False, sync=False):
        """Starts devnet, nginx and sonic-fcgi (and sonic-sync); if one fails, stops the others before raising."""
        try:
            self.start_devnet()
            if contracts:
                self.deploy_contracts()
            self.start_nginx()  # first: sonic-fcgi is told the origin nginx ends up on
            self.start_fcgi()
            if sync:
                self.start_sync()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        try:
            self.stop_nginx()
        except (OSError, TimeoutError):
            pass
        if self.fcgi:
            self.fcgi.kill()
            self.fcgi.wait()
        if self.sync:
            self.sync.kill()
            self.sync.wait()
        for process in self.extra_fcgi.values():
            process.kill()
            process.wait()
        self.stop_devnet()

    # Talking to it -------------------------------------------------------------------------

    def rpc(self, method, *params):
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.devnet_port}", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())["result"]

    def devnet_request(self, method, params):
        """A raw JSON-RPC exchange with the devnet: {"result"} or {"error"}."""
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.devnet_port}", body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> HTTPAnswer:
        request = urllib.request.Request(self.url + path, body, headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return HTTPAnswer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return HTTPAnswer(error.code, error.headers, error.read())

    def get(self, path: str, headers=None) -> HTTPAnswer:
        return self.request("GET", path, headers=headers)

    def metric(self, name: str) -> float:
        """A metric without labels from /metrics, as a Prometheus scrape reads it."""
        text = self.get("/metrics").body.decode()
        found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
        assert found, f"/metrics shows no {name}"
        return float(found.group(1))

    def start_parked(self, poll) -> threading.Thread:
        """Runs `poll`, a long-poll request, on a thread of its own, and returns that thread once
        sonic-fcgi has parked the request (sonic_long_polls_waiting has counted it)."""
        waiting = self.metric("sonic_long_polls_waiting")
        thread = threading.Thread(target=poll)
        thread.start()
        wait_until(lambda: self.metric("sonic_long_polls_waiting") > waiting, 10, "sonic-fcgi to park the long poll")
        return thread

    def post_json(self, path: str, body, headers=None) -> HTTPAnswer:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.request("POST", path, data, {"Content-Type": "application/json", **(headers or {})})
