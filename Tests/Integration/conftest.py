import shutil

import pytest

from figures import FIGURES
from stack import Stack


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("reliability figures")
        width = max(len(what) for what, _ in FIGURES)
        terminalreporter.write_line(f"{'fault or input class':<{width}}  result")
        for what, result in FIGURES:
            terminalreporter.write_line(f"{what:<{width}}  {result}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("stack")).start()
    yield running
    running.stop()
