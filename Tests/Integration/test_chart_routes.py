"""The routes the dashboard's pictures are drawn from, through nginx against the devnet: an
address's balance day by day walked back from the node's balance through the indexed history,
and the network's fees over its last blocks as the node reports them; bad input named."""

import pytest
from eth_account import Account

from stack import DEV_KEY, Stack

ALICE = Account.from_key(DEV_KEY).address
BOB = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("charts")).start(contracts=False, sync=True)
    for n in range(3):
        running.rpc("eth_sendTransaction", {"from": ALICE, "to": BOB, "value": hex(10**18 + n)})
    running.rpc("eth_sendTransaction", {"from": BOB, "to": ALICE, "value": hex(5 * 10**17)})
    running.wait_indexed()
    yield running
    running.stop()


def test_the_balance_series_ends_at_the_nodes_balance_and_starts_before_every_movement(stack):
    answer = stack.get(f"/api/history/{ALICE}/balance-series?days=7")
    assert answer.status == 200 and answer.headers["cache-control"] == "no-store"
    series = answer.json()
    assert series["days"] == 7 and len(series["points"]) == 7 and series["complete"] is True
    # The last point is the node's balance at the indexer's block, in exact wei.
    at_block = int(stack.rpc("eth_getBalance", ALICE, hex(series["block"])), 16)
    assert series["balance_wei"] == str(at_block) == series["points"][-1]["balance_wei"]
    # Everything on this chain happened today: the days before read the balance before any of it.
    assert {point["balance_wei"] for point in series["points"][:-1]} == {str(int(stack.rpc("eth_getBalance", ALICE, "0x0"), 16))}
    today = series["points"][-1]
    assert (today["received"], today["sent"]) == (1, 3)
    assert all(point["received"] == point["sent"] == 0 for point in series["points"][:-1])
    dates = [point["date"] for point in series["points"]]
    assert dates == sorted(dates) and len(set(dates)) == 7


def test_the_fee_history_is_the_nodes(stack):
    answer = stack.get("/api/network/fees?blocks=4")
    assert answer.status == 200
    fees = answer.json()
    node = stack.rpc("eth_feeHistory", hex(4), hex(fees["blocks"][-1]["number"]), [50])
    assert [block["number"] for block in fees["blocks"]] == [int(node["oldestBlock"], 16) + i for i in range(4)]
    assert [block["base_fee_wei"] for block in fees["blocks"]] == [str(int(fee, 16)) for fee in node["baseFeePerGas"][:-1]]
    assert fees["next_base_fee_wei"] == str(int(node["baseFeePerGas"][-1], 16))
    assert [block["priority_fee_wei"] for block in fees["blocks"]] == [str(int(reward[0], 16)) for reward in node["reward"]]


@pytest.mark.parametrize("path, field, accepted", [
    (f"/api/history/{ALICE}/balance-series?days=0", "days", "from 1 to 365"),
    (f"/api/history/{ALICE}/balance-series?days=400", "days", "from 1 to 365"),
    (f"/api/history/{ALICE}/balance-series?days=a%20week", "days", "from 1 to 365"),
    ("/api/history/0xABC/balance-series", "address", "0x"),
    ("/api/network/fees?blocks=1000", "blocks", "from 1 to 100"),
    ("/api/network/fees?blocks=-3", "blocks", "from 1 to 100"),
])
def test_bad_input_is_refused_naming_the_field_and_what_is_accepted(stack, path, field, accepted):
    answer = stack.get(path)
    assert answer.status == 400 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field and accepted in answer.json()["detail"], answer.json()
