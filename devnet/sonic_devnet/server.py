"""HTTP front of the devnet: JSON-RPC 2.0 over HTTP POST, keep-alive, no Nagle delays.

Run: python -m sonic_devnet [--port 8545] [--chain-id 31337] [--block-time SECONDS]
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from eth_utils import from_wei, to_checksum_address

from . import defi
from .chain import DEFAULT_ACCOUNTS, DEFAULT_CHAIN_ID, DevChain
from .rpc import Dispatcher

MAX_BODY = 5 * 1024 * 1024


class RPCServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, dispatcher: Dispatcher):
        super().__init__(address, RPCHandler)
        self.dispatcher = dispatcher


class RPCHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server_version = "SonicDevnet"
    sys_version = ""

    def setup(self):
        super().setup()
        # Without this, keep-alive clients hit 40 ms delayed-ACK stalls on small responses.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # one line per request is noise at 1,000 calls/s
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self):
        self._send(204, b"")

    def do_GET(self):
        self._send(200, b'{"status":"ok","service":"sonic-devnet"}')

    def do_POST(self):
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            return self._send(411, b'{"error":"Content-Length required"}')
        if int(length) > MAX_BODY:
            self.close_connection = True
            return self._send(413, b'{"error":"request body too large"}')
        body = self.rfile.read(int(length))
        answer = self.server.dispatcher.handle_body(body)
        if answer is None:
            return self._send(204, b"")
        self._send(200, answer)


def interval_miner(chain: DevChain, seconds: float, stop: threading.Event):
    while not stop.wait(seconds):
        chain.mine(1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sonic-devnet", description="Local EVM chain for Smart Sonic.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8545)
    parser.add_argument("--chain-id", type=int, default=DEFAULT_CHAIN_ID)
    parser.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS)
    parser.add_argument(
        "--block-time", type=float, default=0,
        help="seconds between blocks; 0 (default) mines one block per transaction",
    )
    args = parser.parse_args(argv)
    if args.block_time < 0:
        parser.error("--block-time: must be 0 or more seconds")

    started = time.monotonic()
    genesis_time = defi.genesis_timestamp()
    chain = DevChain(chain_id=args.chain_id, accounts=args.accounts,
                     genesis_state=defi.load_genesis(genesis_time), genesis_timestamp=genesis_time)
    stop = threading.Event()
    if args.block_time > 0:
        chain.auto_mine = False
        threading.Thread(target=interval_miner, args=(chain, args.block_time, stop), daemon=True).start()

    try:
        server = RPCServer((args.host, args.port), Dispatcher(chain))
    except OSError as error:
        print(f"sonic-devnet: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())

    mode = f"a block every {args.block_time:g} s" if args.block_time else "a block per transaction"
    print(f"sonic-devnet: chain id {args.chain_id}, {mode}, http://{args.host}:{args.port} "
          f"(genesis built in {time.monotonic() - started:.2f} s)", flush=True)
    for address in chain.accounts:
        balance = from_wei(chain.balance(address, "latest"), "ether")
        print(f"  {to_checksum_address(address)}  {balance} S", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
