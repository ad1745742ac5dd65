"""The walking skeleton end to end: browser-facing nginx, sonic-fcgi, SQLite and the devnet."""

import base64
import gzip
import hashlib
import re
import signal
import time
import urllib.request

from figures import figure
from stack import wait_until


def test_health_reports_chain_block_and_database(stack):
    answer = stack.get("/api/health")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    health = answer.json()
    assert health["status"] == "ok"
    assert health["chain_id"] == 31337
    assert health["network"] == "devnet"
    assert health["database"] == "ok" and health["rpc"] == "ok"
    assert health["block"] == int(stack.rpc("eth_blockNumber"), 16)
    assert stack.db_path.exists()


def test_health_follows_new_blocks(stack):
    before = stack.get("/api/health").json()["block"]
    stack.rpc("evm_mine")
    stack.rpc("evm_mine")
    # The report is kept for SONIC_BALANCE_TTL (0.5 s here): the new head shows within it.
    wait_until(lambda: stack.get("/api/health").json()["block"] == before + 2, 5, "health to show the new head")


def test_unknown_api_path_is_a_json_404(stack):
    answer = stack.get("/api/no-such-thing")
    assert answer.status == 404
    assert answer.headers["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 404
    assert "/api/no-such-thing" in problem["detail"]


def test_wrong_method_is_405_with_allow(stack):
    answer = stack.request("POST", "/api/health", b"{}", {"Content-Type": "application/json"})
    assert answer.status == 405
    assert answer.headers["Allow"] == "GET"
    assert answer.json()["title"] == "Method not allowed"


def test_oversized_body_is_refused_by_nginx(stack):
    answer = stack.request("POST", "/api/health", b"x" * (2 * 1024 * 1024), {"Content-Type": "application/json"})
    assert answer.status == 413 and answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["field"] == "body" and "at most 1 MB" in answer.json()["detail"]


def test_dashboard_page_is_served_with_security_headers(stack):
    answer = stack.get("/")
    assert answer.status == 200
    assert b"Smart Sonic" in answer.body
    assert b'id="block-height"' in answer.body
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"]
    assert answer.headers["Server"] == "nginx"  # server_tokens off: no version
    assert not re.search(rb"<script(?![^>]*\bsrc=)[^>]*>", answer.body), "inline script breaks the CSP"
    assert b"style=" not in answer.body


def test_assets_are_hashed_precompressed_cached_and_checked(stack):
    page = stack.get("/").body.decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="(/css/site\.[0-9a-f]{10}\.css)" integrity="(sha384-[^"]+)">', page)
    assert stylesheet, "the page links its stylesheet by hashed name with integrity"
    answer = stack.get(stylesheet.group(1), {"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    css = gzip.decompress(answer.body)
    assert b"prefers-color-scheme" in css
    # The browser's integrity check passes on what nginx serves.
    assert stylesheet.group(2) == "sha384-" + base64.b64encode(hashlib.sha384(css).digest()).decode()
    assert "max-age=315360000" in answer.headers["Cache-Control"]
    # gzip_static: the file sonic-site compressed is served as it is.
    assert answer.body == (stack.dir / "dist" / stylesheet.group(1).lstrip("/")).with_suffix(".css.gz").read_bytes()
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    for script in re.findall(r'src="(/js/[a-z]+\.[0-9a-f]{10}\.js)" integrity="sha384-', page):
        assert stack.get(script).status == 200


def test_devnet_down_degrades_to_503_and_recovers(stack):
    stack.stop_devnet()
    try:
        # Within the report's half second (SONIC_BALANCE_TTL here) the node's absence shows.
        answer = wait_until(lambda: (health := stack.get("/api/health")).status == 503 and health, 5, "health to report the node down")
        assert answer.headers["Retry-After"]
        health = answer.json()
        assert health["status"] == "degraded"
        assert health["rpc"] == "unreachable"
        assert health["database"] == "ok"
        assert health["block"] is None
    finally:
        stack.start_devnet()
    wait_until(lambda: stack.get("/api/health").status == 200, 10, "recovery")
    assert stack.get("/api/health").json()["status"] == "ok"


def test_node_on_the_wrong_chain_is_reported(stack, tmp_path):
    # A second sonic-fcgi that believes it is on mainnet, against the devnet.
    stack.stop_fcgi()
    try:
        stack.start_fcgi(SONIC_NETWORK="mainnet")
        health = stack.get("/api/health").json()
        assert health["status"] == "degraded"
        assert health["rpc"] == "wrong_chain"
        assert health["chain_id"] == 31337
    finally:
        stack.stop_fcgi()
        stack.start_fcgi()


def test_api_down_answers_problem_json_from_nginx(stack):
    stack.stop_fcgi()
    try:
        answer = stack.get("/api/health")
        assert answer.status == 503
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json()["title"] == "API unavailable"
    finally:
        stack.start_fcgi()
    assert stack.get("/api/health").status == 200


def test_sigterm_stops_sonic_fcgi_cleanly(stack):
    started = time.monotonic()
    assert stack.stop_fcgi(signal.SIGTERM) == 0
    assert time.monotonic() - started < 5
    stack.start_fcgi()
    assert stack.get("/api/health").status == 200


def test_sigterm_answers_parked_long_polls_with_their_current_state(stack):
    tx_hash = "0x" + "5a" * 32
    assert stack.post_json("/api/tx/track", {"hash": tx_hash}).json()["status"] == "pending"
    result = {}

    def poll():
        result["answer"] = stack.get(f"/api/tx/{tx_hash}?wait=30&since=pending")

    waiter = stack.start_parked(poll)
    started = time.monotonic()
    assert stack.stop_fcgi(signal.SIGTERM) == 0
    waiter.join(5)
    assert result["answer"].status == 200 and result["answer"].json()["status"] == "pending"
    assert time.monotonic() - started < 3
    stack.start_fcgi()


def test_hostile_requests_are_refused_cleanly(stack):
    # Oversized headers: nginx's limit (4 buffers of 8 KB) answers 400 without reaching sonic-fcgi.
    big = stack.get("/api/health", {"X-Filler": "a" * 20_000})
    assert big.status in (400, 431, 494)
    # Deeply nested JSON and invalid UTF-8: problem documents naming what is wrong, no 5xx.
    nested = stack.post_json("/api/tx/track", b"[" * 3_000 + b"]" * 3_000)
    assert nested.status == 400 and nested.json()["title"] == "Too deeply nested" and nested.json()["field"] == "body"
    invalid = stack.post_json("/api/tx/track", b'{"hash": "\xff\xfe"}')
    assert invalid.status == 400 and invalid.headers["Content-Type"] == "application/problem+json"
    # Path traversal on static files stays inside dist/.
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/css/..%2f..%2f..%2fetc/passwd"):
        answer = stack.get(path)
        assert answer.status in (400, 404) and b"root:" not in answer.body
    assert stack.get("/api/health").status == 200  # and the service is still up


def test_slow_clients_do_not_starve_others(stack):
    """Slowloris: 300 connections that send their headers a byte at a time. nginx holds them
    without a thread each (and cuts them after client_header_timeout); others are answered."""
    import socket as sockets

    slow = []
    for _ in range(300):
        connection = sockets.create_connection(("127.0.0.1", stack.http_port), 5)
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        slow.append(connection)
    try:
        for round_ in range(5):
            for connection in slow:
                connection.sendall(b"X-Slow-%d: y\r\n" % round_)
            # Answered while they hang (a starved server would make this wait out nginx's
            # 15 s header timeout, past this request's own 5 s).
            with urllib.request.urlopen(stack.url + "/api/health", timeout=5) as answer:
                assert answer.status == 200
            time.sleep(0.2)  # the slow clients' pace, the subject of this test: not a wait
        figure("slowloris: 300 connections sending headers a byte at a time", "others answered meanwhile (5 of 5)")
    finally:
        for connection in slow:
            connection.close()
