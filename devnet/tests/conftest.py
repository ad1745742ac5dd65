"""Real devnet servers on free loopback ports for the devnet's own tests."""

import pytest

from sonic_devnet.testing import DEV_KEYS, Devnet, RPCFailure, free_port  # noqa: F401 (re-exported for the tests)

KEY0, KEY1 = DEV_KEYS[0], DEV_KEYS[1]


@pytest.fixture(scope="session")
def devnet():
    node = Devnet()
    yield node
    node.stop()


@pytest.fixture
def fresh_devnet():
    """A devnet of its own, for tests whose assertions depend on the chain's history."""
    node = Devnet()
    yield node
    node.stop()


@pytest.fixture
def interval_devnet():
    node = Devnet("--block-time", "1")
    yield node
    node.stop()
