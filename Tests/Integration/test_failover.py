"""Two sonic-fcgi instances behind one nginx upstream; one is killed with SIGKILL under load.
GETs that reach the dead one are retried on the other (fastcgi_next_upstream); POSTs are never
sent twice, and those in flight on the dead one fail cleanly with a retryable status."""

import signal
import threading
import urllib.error
import urllib.request

import pytest

from figures import figure
from stack import Stack, wait_until

ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("failover"), nginx_rate="100000r/s", fcgi_instances=2)
    running.start_devnet()
    running.start_nginx()
    running.start_fcgi(SONIC_RATE_LIMIT_PER_MINUTE="0")
    running.start_extra_fcgi(running.extra_fcgi_ports[0], SONIC_RATE_LIMIT_PER_MINUTE="0")
    yield running
    running.stop()


def request(stack, method, path, body=None):
    req = urllib.request.Request(stack.url + path, body, {"Content-Type": "application/json"} if body else {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return answer.status, answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except OSError:
        return -1, {}


def test_killing_one_instance_under_load_fails_no_get(stack):
    results = {"GET": [], "POST": []}
    stop = threading.Event()

    def load(method):
        while not stop.is_set():
            if method == "GET":
                results["GET"].append(request(stack, "GET", f"/api/balance/{ADDRESS}"))
            else:
                results["POST"].append(request(stack, "POST", "/api/tx/track", b'{"hash": "0x' + b"ab" * 32 + b'"}'))

    workers = [threading.Thread(target=load, args=(method,)) for method in ["GET"] * 6 + ["POST"] * 2]
    for worker in workers:
        worker.start()
    # Under way on both instances (nginx takes them in turn).
    wait_until(lambda: len(results["GET"]) >= 100 and len(results["POST"]) >= 20, 30, "100 GETs and 20 POSTs answered")
    port = stack.extra_fcgi_ports[0]
    victim = stack.extra_fcgi[port]
    errors = stack.dir / "var/log/nginx-error.log"
    logged = errors.stat().st_size if errors.exists() else 0
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    # nginx meets the dead instance (a request to it fails and says so in the error log); then
    # the survivor alone answers 200 more GETs.
    wait_until(lambda: f'"fastcgi://127.0.0.1:{port}"' in errors.read_text()[logged:], 30, f"nginx to log a failed request to 127.0.0.1:{port}")
    answered = len(results["GET"])
    wait_until(lambda: len(results["GET"]) >= answered + 200, 30, "200 GETs answered by the surviving instance")
    stop.set()
    for worker in workers:
        worker.join()

    gets, posts = results["GET"], results["POST"]
    failed_gets = [status for status, _ in gets if status != 200]
    failed_posts = [(status, headers) for status, headers in posts if status != 200]
    figure("one of two sonic-fcgi killed under load",
           f"{len(gets)} GETs ({len(failed_gets)} failed), {len(posts)} POSTs ({len(failed_posts)} answered 503)")
    assert len(gets) > 200 and failed_gets == []
    # A POST caught on the dead instance fails with 503 and Retry-After, never a silent resend.
    assert all(status == 503 and headers.get("Retry-After") for status, headers in failed_posts)
    assert request(stack, "GET", "/api/health")[0] == 200
