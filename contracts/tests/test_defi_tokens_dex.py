"""wS, the Uniswap-V2-compatible DEX and the S/USD feed of the devnet's genesis: wrapping,
quotes equal to the V2 maths, swaps in and out of native S, the router's reverts, the pools'
seeded prices, the feed's owner and staleness."""

import json

import pytest
from web3.exceptions import ContractLogicError

from conftest import BUILD, S, transact
from sonic_devnet import defi

ADDRESSES = defi.addresses()


def contract(chain, name, address=None):
    artifact = "TestToken" if name in ("SUSD", "STT") else name
    abi = json.loads((BUILD / f"{artifact}.json").read_text())["abi"]
    return chain.eth.contract(address=address or ADDRESSES[name], abi=abi)


def v2_amount_out(amount_in, reserve_in, reserve_out):
    with_fee = amount_in * 997
    return with_fee * reserve_out // (reserve_in * 1000 + with_fee)


def reserves(chain, pair_name, token):
    pair = contract(chain, "DexPair", ADDRESSES[pair_name])
    r0, r1, _ = pair.functions.getReserves().call()
    return (r0, r1) if pair.functions.token0().call() == token else (r1, r0)


def deadline(chain):
    return chain.eth.get_block("latest").timestamp + 600


def test_wrapping_and_unwrapping(chain):
    ws = contract(chain, "WrappedSonic")
    alice, bob = chain.eth.accounts[1], chain.eth.accounts[2]
    assert (ws.functions.symbol().call(), ws.functions.decimals().call()) == ("wS", 18)
    supply = ws.functions.totalSupply().call()
    receipt = transact(chain, ws.functions.deposit(), alice, value=3 * S)
    assert ws.events.Deposit().process_receipt(receipt)[0]["args"]["wad"] == 3 * S
    assert ws.functions.balanceOf(alice).call() == 3 * S and ws.functions.totalSupply().call() == supply + 3 * S
    transact(chain, ws.functions.depositFor(bob), alice, value=S)
    assert ws.functions.balanceOf(bob).call() == S
    before = chain.eth.get_balance(bob)
    receipt = transact(chain, ws.functions.withdrawTo(bob, 2 * S), alice)
    assert ws.events.Withdrawal().process_receipt(receipt)[0]["args"]["wad"] == 2 * S
    assert chain.eth.get_balance(bob) == before + 2 * S
    with pytest.raises(ContractLogicError, match="balance too small"):
        ws.functions.withdraw(5 * S).call({"from": alice})


def test_pools_are_seeded_at_the_stated_prices(chain):
    ws = ADDRESSES["WrappedSonic"]
    assert reserves(chain, "Pair wS/SUSD", ws) == (100_000 * S, 50_000 * 10**6)
    assert reserves(chain, "Pair wS/STT", ws) == (100_000 * S, 1_000_000 * S)
    factory = contract(chain, "DexFactory")
    assert factory.functions.getPair(ADDRESSES["SUSD"], ws).call() == ADDRESSES["Pair wS/SUSD"]
    assert factory.functions.allPairsLength().call() == 2


def test_quotes_follow_the_v2_maths_and_swaps_pay_them(chain):
    router = contract(chain, "DexRouter")
    susd = contract(chain, "SUSD")
    ws, trader = ADDRESSES["WrappedSonic"], chain.eth.accounts[3]
    assert router.functions.WETH().call() == ws and router.functions.factory().call() == ADDRESSES["DexFactory"]
    reserve_s, reserve_usd = reserves(chain, "Pair wS/SUSD", ws)
    amounts = router.functions.getAmountsOut(10 * S, [ws, susd.address]).call()
    assert amounts == [10 * S, v2_amount_out(10 * S, reserve_s, reserve_usd)]
    receipt = transact(chain, router.functions.swapExactETHForTokens(amounts[1], [ws, susd.address], trader, deadline(chain)),
                       trader, value=10 * S)
    assert susd.functions.balanceOf(trader).call() == amounts[1]
    pair = contract(chain, "DexPair", ADDRESSES["Pair wS/SUSD"])
    assert len(pair.events.Swap().process_receipt(receipt)) == 1 and len(pair.events.Sync().process_receipt(receipt)) == 1
    assert reserves(chain, "Pair wS/SUSD", ws) == (reserve_s + 10 * S, reserve_usd - amounts[1])

    # And back: SUSD for S, with an allowance.
    back = router.functions.getAmountsOut(amounts[1], [susd.address, ws]).call()
    with pytest.raises(ContractLogicError):
        router.functions.swapExactTokensForETH(amounts[1], 0, [susd.address, ws], trader, deadline(chain)).call({"from": trader})
    transact(chain, susd.functions.approve(router.address, amounts[1]), trader)
    before = chain.eth.get_balance(trader)
    receipt = transact(chain, router.functions.swapExactTokensForETH(amounts[1], back[1], [susd.address, ws], trader, deadline(chain)), trader)
    assert chain.eth.get_balance(trader) == before + back[1] - receipt.gasUsed * receipt.effectiveGasPrice
    assert susd.functions.balanceOf(trader).call() == 0


def test_two_hop_quote_and_token_for_token_swap(chain):
    router = contract(chain, "DexRouter")
    ws, trader = ADDRESSES["WrappedSonic"], chain.eth.accounts[4]
    susd, stt = contract(chain, "SUSD"), contract(chain, "STT")
    transact(chain, router.functions.swapExactETHForTokens(0, [ws, stt.address], trader, deadline(chain)), trader, value=2 * S)
    held = stt.functions.balanceOf(trader).call()
    path = [stt.address, ws, susd.address]
    amounts = router.functions.getAmountsOut(held, path).call()
    assert router.functions.getAmountsIn(amounts[2], path).call()[0] <= held
    transact(chain, stt.functions.approve(router.address, held), trader)
    transact(chain, router.functions.swapExactTokensForTokens(held, amounts[2], path, trader, deadline(chain)), trader)
    assert susd.functions.balanceOf(trader).call() == amounts[2]


def test_router_reverts_with_uniswaps_reasons(chain):
    router = contract(chain, "DexRouter")
    ws, susd, trader = ADDRESSES["WrappedSonic"], ADDRESSES["SUSD"], chain.eth.accounts[5]
    quote = router.functions.getAmountsOut(S, [ws, susd]).call()[1]
    with pytest.raises(ContractLogicError, match="UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"):
        router.functions.swapExactETHForTokens(quote + 1, [ws, susd], trader, deadline(chain)).call({"from": trader, "value": S})
    with pytest.raises(ContractLogicError, match="UniswapV2Router: EXPIRED"):
        router.functions.swapExactETHForTokens(0, [ws, susd], trader, deadline(chain) - 1_200).call({"from": trader, "value": S})
    with pytest.raises(ContractLogicError, match="UniswapV2Router: INVALID_PATH"):
        router.functions.swapExactETHForTokens(0, [susd, ws], trader, deadline(chain)).call({"from": trader, "value": S})


def test_feed_answers_and_only_its_owner_sets_it(node, chain):
    feed = contract(chain, "PriceFeed")
    owner, other = chain.eth.accounts[0], chain.eth.accounts[6]
    assert feed.functions.owner().call() == owner
    assert feed.functions.decimals().call() == 8 and feed.functions.description().call() == "S / USD"
    round_id, answer, _, updated, _ = feed.functions.latestRoundData().call()
    assert answer == 50_000_000
    with pytest.raises(ContractLogicError, match="not the owner"):
        feed.functions.setAnswer(1).call({"from": other})
    receipt = transact(chain, feed.functions.setAnswer(61_000_000), owner)
    assert feed.functions.latestRoundData().call()[:4] == [round_id + 1, 61_000_000,
                                                          chain.eth.get_block(receipt.blockNumber).timestamp,
                                                          chain.eth.get_block(receipt.blockNumber).timestamp]
    stale = chain.eth.get_block("latest").timestamp - 7_200
    transact(chain, feed.functions.setRound(60_000_000, stale), owner)
    assert feed.functions.latestRoundData().call()[3] == stale
    assert feed.functions.getRoundData(round_id).call()[1] == 50_000_000
