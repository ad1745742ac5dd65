"""A slow node: an HTTP proxy that forwards every JSON-RPC request to a node after a fixed delay.

Sonic's public endpoints answer in tens to hundreds of milliseconds; the devnet in about one.
Pointing `SONIC_RPC_URLS` at this proxy makes the devnet answer like a distant node, for the
benchmarks and tests of what a slow node may and may not slow down.

    python -m sonic_devnet.slow_proxy --upstream http://127.0.0.1:8545 --delay-ms 200 [--port 0]

It prints `listening on http://127.0.0.1:PORT` once it accepts connections. Each request waits
its delay on its own (requests in flight do not queue behind each other), then goes to the node
over a small pool of kept-alive connections. Only what our client sends is understood: POST or
GET with a Content-Length body; the node's answer must carry a Content-Length too.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import urllib.parse

MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024


class Upstream:
    """Kept-alive connections to the node, at most `size` at once."""

    def __init__(self, url: str, size: int):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path or "/"
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(size)

    async def forward(self, method: str, headers: dict[str, str], body: bytes) -> tuple[bytes, bytes]:
        """Sends one request and returns the node's status line and body."""
        async with self.slots:
            reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection(self.host, self.port)
            try:
                head = f"{method} {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
                if "content-type" in headers:
                    head += f"Content-Type: {headers['content-type']}\r\n"
                writer.write(head.encode() + b"\r\n" + body)
                await writer.drain()
                status, answer_headers = await read_head(reader)
                answer = await reader.readexactly(int(answer_headers.get("content-length", "0")))
            except Exception:
                writer.close()
                raise
            self.idle.append((reader, writer))
            return status, answer


async def read_head(reader: asyncio.StreamReader) -> tuple[bytes, dict[str, str]]:
    """The first line and the headers (names in lower case) of a request or an answer."""
    raw = await reader.readuntil(b"\r\n\r\n")
    if len(raw) > MAX_HEADER_BYTES:
        raise ValueError("headers too large")
    lines = raw.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return lines[0].encode("latin-1"), headers


async def serve_connection(reader, writer, upstream: Upstream, delay: float):
    try:
        while True:
            try:
                request_line, headers = await read_head(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            length = int(headers.get("content-length", "0"))
            if length > MAX_BODY_BYTES:
                return
            body = await reader.readexactly(length)
            await asyncio.sleep(delay)
            try:
                status, answer = await upstream.forward(request_line.split(b" ")[0].decode(), headers, body)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status, answer = b"HTTP/1.1 502 Bad Gateway", b""
            writer.write(status + b"\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(answer)).encode() + b"\r\n\r\n" + answer)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        writer.close()


async def run(upstream_url: str, delay: float, port: int, connections: int):
    upstream = Upstream(upstream_url, connections)
    server = await asyncio.start_server(lambda r, w: serve_connection(r, w, upstream, delay), "127.0.0.1", port,
                                        backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    print(f"listening on http://127.0.0.1:{bound}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sonic_devnet.slow_proxy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="the node's URL, e.g. http://127.0.0.1:8545")
    parser.add_argument("--delay-ms", type=int, default=200, help="milliseconds added before each request (default 200)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--connections", type=int, default=32, help="kept-alive connections to the node (default 32)")
    args = parser.parse_args(argv)
    try:
        asyncio.run(run(args.upstream, args.delay_ms / 1000, args.port, args.connections))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
