# pragma version ~=0.4.3
"""
@title Uniswap-V2-compatible factory for the devnet
@notice `createPair(tokenA, tokenB)` makes a copy of the pair code at `pairImplementation`
        with CREATE2 (salt keccak256(token0, token1)), so a pair's address follows from its
        tokens; `getPair`, `allPairs`, `allPairsLength` and `PairCreated` as UniswapV2Factory.
"""

MAX_PAIRS: constant(uint256) = 1_024


interface Pair:
    def initialize(token0: address, token1: address): nonpayable


event PairCreated:
    token0: indexed(address)
    token1: indexed(address)
    pair: address
    count: uint256


pairImplementation: public(address)
getPair: public(HashMap[address, HashMap[address, address]])
allPairs: public(DynArray[address, MAX_PAIRS])


@deploy
def __init__(pair_implementation: address):
    self.pairImplementation = pair_implementation


@external
@view
def allPairsLength() -> uint256:
    return len(self.allPairs)


@external
def createPair(tokenA: address, tokenB: address) -> address:
    assert tokenA != tokenB, "UniswapV2: IDENTICAL_ADDRESSES"
    token0: address = tokenA
    token1: address = tokenB
    if convert(tokenB, uint160) < convert(tokenA, uint160):
        token0 = tokenB
        token1 = tokenA
    assert token0 != empty(address), "UniswapV2: ZERO_ADDRESS"
    assert self.getPair[token0][token1] == empty(address), "UniswapV2: PAIR_EXISTS"
    pair: address = create_copy_of(self.pairImplementation, salt=keccak256(concat(convert(token0, bytes20), convert(token1, bytes20))))
    extcall Pair(pair).initialize(token0, token1)
    self.getPair[token0][token1] = pair
    self.getPair[token1][token0] = pair
    self.allPairs.append(pair)
    log PairCreated(token0=token0, token1=token1, pair=pair, count=len(self.allPairs))
    return pair
