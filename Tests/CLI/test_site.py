"""`sonic-site` as a person working on the pages uses it: a build that prints what it wrote and
each page's first-load size, and `--watch`, which rebuilds when a file changes."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / ".build" / "debug" / "sonic-site"
sys.path.insert(0, str(ROOT / "devnet"))
from sonic_devnet.testing import wait_until  # noqa: E402


def test_build_prints_files_and_page_budgets(tmp_path):
    result = subprocess.run([SITE, "build", "--templates", ROOT / "Templates", "--public", ROOT / "Public", "--output", tmp_path / "dist"],
                            capture_output=True, text=True, check=True)
    for page in ("index", "chat", "history", "nft", "subscription", "staking", "swap"):
        assert f"page {page}: first load " in result.stdout
    assert "gzipped" in result.stdout and result.stdout.strip().splitlines()[-1].startswith("sonic-site: wrote ")
    elapsed = int(result.stdout.strip().split(" in ")[-1].split(" ms")[0])
    assert elapsed < 2_000  # the full-build bound; it is tens of milliseconds here


def test_watch_rebuilds_when_a_template_changes(tmp_path):
    shutil.copytree(ROOT / "Templates", tmp_path / "Templates")
    shutil.copytree(ROOT / "Public", tmp_path / "Public")
    output = tmp_path / "dist"
    log = tmp_path / "watch.log"
    with log.open("w") as printing:
        watcher = subprocess.Popen([SITE, "build", "--watch", "--templates", tmp_path / "Templates", "--public", tmp_path / "Public",
                                    "--output", output], stdout=printing, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "watching" in log.read_text(), 20, "the first build and the watch to start")
        page = tmp_path / "Templates" / "pages" / "chat.mustache"
        page.write_text(page.read_text().replace("<h1>Chat</h1>", "<h1>Chat, edited</h1>"))
        wait_until(lambda: "Chat, edited" in (output / "chat.html").read_text(), 20, "chat.html rebuilt with the edit")
        assert "Chat, edited" in (output / "chat.html").read_text()
        # A broken template is reported and the watcher keeps going.
        page.write_text("{{#open}}never closed")
        wait_until(lambda: "chat.mustache" in log.read_text(), 20, "the broken chat.mustache to be reported")
        assert watcher.poll() is None
    finally:
        watcher.terminate()
        watcher.wait(10)
    printed = log.read_text()
    assert "watching" in printed and "chat.mustache" in printed
