"""schemathesis against docs/openapi.yaml and the real stack: generated and mutated requests to
every operation; none may answer 5xx, break the documented response schema, use an undocumented
status or content type. The long-polls (a transaction's status, an address's feed) are left out
here (each example may wait up to 60 s);
`make reliability` runs everything with more examples."""

import os
import re
import subprocess

import pytest

from figures import figure
from stack import ROOT, Stack

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
EXCLUDE = os.environ.get("SCHEMATHESIS_EXCLUDE", r"^/api/tx/\{hash\}$|^/api/feed/\{address\}$|^/metrics$")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("schema"), nginx_rate="100000r/s").start(contracts=True)
    running.stop_fcgi()
    running.start_fcgi(SONIC_RATE_LIMIT_PER_MINUTE="0")
    yield running
    running.stop()


def test_every_operation_conforms_to_the_spec(stack):
    command = [str(ROOT / ".venv" / "bin" / "schemathesis"), "run", str(ROOT / "docs" / "openapi.yaml"), "--url", stack.url,
               "--max-examples", str(EXAMPLES), "--seed", "20261127", "--request-timeout", "65", "--continue-on-failure",
               "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
               "--exclude-path-regex", EXCLUDE]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    summary = re.search(r"(\d+) generated", run.stdout)
    figure("schemathesis on every operation", f"{summary.group(1) if summary else '?'} requests generated; exit {run.returncode}")
    assert run.returncode == 0, run.stdout[-8000:]
    assert summary and int(summary.group(1)) > 100
    log = (stack.dir / "var/log/sonic-fcgi.log").read_text()
    assert "Fatal error" not in log and stack.fcgi.poll() is None  # sonic-fcgi is still up
