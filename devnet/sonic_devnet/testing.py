"""A devnet in a subprocess on a free loopback port, and the deadline poll every Python suite waits
with, for test suites (devnet, contracts, CLI, stack)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

DEVNET_DIR = Path(__file__).resolve().parents[1]

# The first accounts of "test test … junk" (m/44'/60'/0'/0/N): public, well known, devnet only.
DEV_KEYS = [
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
]


def wait_until(check, seconds: float, what: str, every: float = 0.05):
    """Calls `check` every `every` seconds until it returns something true, and returns that:
    how a test waits for an event instead of sleeping for a guessed time. An OSError counts as
    "not yet" (a server still starting). Raises TimeoutError naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up after {seconds} s waiting for {what}")
        time.sleep(every)


def stop_process(process: subprocess.Popen):
    """Asks a helper process to end, and kills it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RPCFailure(Exception):
    def __init__(self, error):
        super().__init__(error["message"])
        self.error = error


class Devnet:
    def __init__(self, *args: str, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sonic_devnet", "--port", str(self.port), *args],
            cwd=DEVNET_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        wait_until(self._answers, 60, f"the devnet on port {self.port} to answer")

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"the devnet exited: {self.process.stdout.read().decode()}")
        return self.call("eth_chainId")

    def post(self, payload):
        request = urllib.request.Request(self.url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            return json.loads(body) if body else None

    def request(self, method: str, *params):
        return self.post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})

    def call(self, method: str, *params):
        answer = self.request(method, *params)
        if "error" in answer:
            raise RPCFailure(answer["error"])
        return answer["result"]

    def stop(self):
        stop_process(self.process)


class SlowNode:
    """The slow-node proxy (`slow_proxy.py`) in a subprocess in front of `upstream`: every call
    answers `delay_ms` later, as a distant node would. `url` is what to give SONIC_RPC_URLS."""

    def __init__(self, upstream: str, delay_ms: int):
        self.delay_ms = delay_ms
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sonic_devnet.slow_proxy", "--upstream", upstream, "--delay-ms", str(delay_ms)],
            cwd=DEVNET_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"the slow-node proxy did not start: {line}")
        self.url = line.split()[-1]

    def stop(self):
        stop_process(self.process)
