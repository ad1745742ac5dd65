"""The page scripts' formatting module held to the amount vectors the agent's replies are held
to (Tests/Fixtures/amount-format.json), run by node on Public/js/format.js itself."""

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_format_module_passes_the_shared_vectors():
    run = subprocess.run(["node", "--test", str(HERE / "format.test.mjs")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout and "# pass 5" in run.stdout, run.stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_history_words_for_approvals():
    run = subprocess.run(["node", "--test", str(HERE / "activity.test.mjs")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout and "# pass 2" in run.stdout, run.stdout
