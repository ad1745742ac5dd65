"""A webhook receiver on this machine for the alert tests (integration and browser): it records
each POST it is sent and answers 204; `check_signature` verifies the X-Smart-Sonic-Signature header
the way docs/alerts.md tells a receiver to."""

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stack import Stack


class Receiver:
    """Listens on 127.0.0.1 (a free port) until the process ends; `received` holds (path, headers, body)."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def check_signature(headers: dict, body: bytes, secret: str) -> bool:
    """Whether `body` was signed with `secret`: HMAC-SHA256 of "<t>.<body>", compared in constant time."""
    parts = dict(part.split("=", 1) for part in headers["X-Smart-Sonic-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(parts["v1"], expected)


def stack_with_local_webhooks(workdir) -> Stack:
    """A started stack (contracts deployed, sonic-sync running) whose webhooks may go to loopback:
    allowed in these tests only, where the receiver is on this machine."""
    running = Stack(workdir).start(contracts=True)
    running.stop_fcgi()
    running.start_fcgi(SONIC_WEBHOOK_ALLOW_PRIVATE="1")
    running.start_sync(SONIC_WEBHOOK_ALLOW_PRIVATE="1")
    return running
