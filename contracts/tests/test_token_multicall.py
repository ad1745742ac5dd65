import pytest
from eth_abi import decode
from web3.exceptions import ContractLogicError

from conftest import deploy, transact


@pytest.fixture(scope="module")
def token(w3, accounts):
    return deploy(w3, "TestToken", "Sonic USD", "SUSD", 6, accounts, 1_000_000 * 10**6)


@pytest.fixture(scope="module")
def multicall(w3):
    return deploy(w3, "Multicall3")


def test_token_is_minted_to_the_holders(token, accounts):
    assert token.functions.decimals().call() == 6
    assert token.functions.symbol().call() == "SUSD"
    for account in accounts:
        assert token.functions.balanceOf(account).call() == 1_000_000 * 10**6


def test_token_transfer(w3, token, accounts):
    receipt = transact(w3, token.functions.transfer(accounts[1], 5 * 10**6), accounts[0])
    event = token.events.Transfer().process_receipt(receipt)[0]["args"]
    assert event["value"] == 5 * 10**6
    with pytest.raises(ContractLogicError):
        token.functions.transfer(accounts[1], 10**30).transact({"from": accounts[0]})


def test_aggregate3_reads_many_balances_in_one_call(w3, token, multicall, accounts):
    calls = [(token.address, False, token.encode_abi("balanceOf", [a])) for a in accounts]
    results = multicall.functions.aggregate3(calls).call()
    assert [decode(["uint256"], data)[0] for ok, data in results] == [token.functions.balanceOf(a).call() for a in accounts]
    assert all(ok for ok, _ in results)


def test_aggregate3_failures_allowed_or_not(token, multicall, accounts):
    bad = (token.address, True, bytes.fromhex("deadbeef"))
    good = (token.address, False, token.encode_abi("decimals", []))
    results = multicall.functions.aggregate3([bad, good]).call()
    assert results[0][0] is False and results[1][0] is True
    with pytest.raises(ContractLogicError, match="Multicall3: call failed"):
        multicall.functions.aggregate3([(token.address, False, bytes.fromhex("deadbeef"))]).call()


def test_selectors_match_multicall3(w3, multicall, accounts):
    assert multicall.encode_abi("aggregate3", [[]])[:10] == "0x82ad56cb"  # Multicall3's selector
    assert multicall.functions.getEthBalance(accounts[0]).call() == w3.eth.get_balance(accounts[0])
    assert multicall.functions.getBlockNumber().call() == w3.eth.block_number


def test_token_allowances(w3, token, accounts):
    owner, spender = accounts[0], accounts[2]
    assert token.functions.name().call() == "Sonic USD"
    assert token.functions.totalSupply().call() == len(accounts) * 1_000_000 * 10**6
    transact(w3, token.functions.approve(spender, 7), owner)
    assert token.functions.allowance(owner, spender).call() == 7
    transact(w3, token.functions.transferFrom(owner, accounts[1], 7), spender)
    assert token.functions.allowance(owner, spender).call() == 0
    with pytest.raises(ContractLogicError):
        token.functions.transferFrom(owner, accounts[1], 1).transact({"from": spender})
