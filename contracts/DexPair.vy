# pragma version ~=0.4.3
"""
@title Uniswap-V2-compatible pair for the devnet
@notice The pool of two tokens that DexFactory creates (a copy of this code, then `initialize`):
        UniswapV2Pair's functions, events and maths (0.3 % fee on the input, the constant
        product checked after every swap, MINIMUM_LIQUIDITY locked at the first mint, an LP
        token with 18 decimals). Differences: no protocol fee (feeTo), no price accumulators,
        no permit. Revert reasons are Uniswap's ("UniswapV2: K", …).
"""

from ethereum.ercs import IERC20

MINIMUM_LIQUIDITY: public(constant(uint256)) = 1_000
MAX_CALLBACK_DATA: constant(uint256) = 1_024


interface UniswapV2Callee:
    def uniswapV2Call(sender: address, amount0: uint256, amount1: uint256, data: Bytes[MAX_CALLBACK_DATA]): nonpayable


event Mint:
    sender: indexed(address)
    amount0: uint256
    amount1: uint256

event Burn:
    sender: indexed(address)
    amount0: uint256
    amount1: uint256
    to: indexed(address)

event Swap:
    sender: indexed(address)
    amount0In: uint256
    amount1In: uint256
    amount0Out: uint256
    amount1Out: uint256
    to: indexed(address)

event Sync:
    reserve0: uint112
    reserve1: uint112

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


name: public(constant(String[16])) = "Devnet V2"
symbol: public(constant(String[8])) = "DEV-V2"
decimals: public(constant(uint8)) = 18
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])

factory: public(address)
token0: public(address)
token1: public(address)
reserve0: uint112
reserve1: uint112
blockTimestampLast: uint32


@external
def initialize(token0: address, token1: address):
    assert self.factory == empty(address), "UniswapV2: FORBIDDEN"
    self.factory = msg.sender
    self.token0 = token0
    self.token1 = token1


@external
@view
def getReserves() -> (uint112, uint112, uint32):
    return self.reserve0, self.reserve1, self.blockTimestampLast


# Liquidity and swaps --------------------------------------------------------------------------

@external
@nonreentrant
def mint(to: address) -> uint256:
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)
    amount0: uint256 = balance0 - convert(self.reserve0, uint256)
    amount1: uint256 = balance1 - convert(self.reserve1, uint256)
    liquidity: uint256 = 0
    supply: uint256 = self.totalSupply
    if supply == 0:
        liquidity = isqrt(amount0 * amount1) - MINIMUM_LIQUIDITY
        self._mint(empty(address), MINIMUM_LIQUIDITY)
    else:
        liquidity = min(amount0 * supply // convert(self.reserve0, uint256), amount1 * supply // convert(self.reserve1, uint256))
    assert liquidity > 0, "UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED"
    self._mint(to, liquidity)
    self._update(balance0, balance1)
    log Mint(sender=msg.sender, amount0=amount0, amount1=amount1)
    return liquidity


@external
@nonreentrant
def burn(to: address) -> (uint256, uint256):
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)
    liquidity: uint256 = self.balanceOf[self]
    amount0: uint256 = liquidity * balance0 // self.totalSupply
    amount1: uint256 = liquidity * balance1 // self.totalSupply
    assert amount0 > 0 and amount1 > 0, "UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED"
    self.balanceOf[self] = 0
    self.totalSupply -= liquidity
    log Transfer(sender=self, receiver=empty(address), value=liquidity)
    self._send(self.token0, to, amount0)
    self._send(self.token1, to, amount1)
    self._update(staticcall IERC20(self.token0).balanceOf(self), staticcall IERC20(self.token1).balanceOf(self))
    log Burn(sender=msg.sender, amount0=amount0, amount1=amount1, to=to)
    return amount0, amount1


@external
@nonreentrant
def swap(amount0Out: uint256, amount1Out: uint256, to: address, data: Bytes[MAX_CALLBACK_DATA]):
    assert amount0Out > 0 or amount1Out > 0, "UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT"
    reserve0: uint256 = convert(self.reserve0, uint256)
    reserve1: uint256 = convert(self.reserve1, uint256)
    assert amount0Out < reserve0 and amount1Out < reserve1, "UniswapV2: INSUFFICIENT_LIQUIDITY"
    assert to != self.token0 and to != self.token1, "UniswapV2: INVALID_TO"
    if amount0Out > 0:
        self._send(self.token0, to, amount0Out)
    if amount1Out > 0:
        self._send(self.token1, to, amount1Out)
    if len(data) > 0:
        extcall UniswapV2Callee(to).uniswapV2Call(msg.sender, amount0Out, amount1Out, data)
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)
    amount0In: uint256 = 0
    amount1In: uint256 = 0
    if balance0 > reserve0 - amount0Out:
        amount0In = balance0 - (reserve0 - amount0Out)
    if balance1 > reserve1 - amount1Out:
        amount1In = balance1 - (reserve1 - amount1Out)
    assert amount0In > 0 or amount1In > 0, "UniswapV2: INSUFFICIENT_INPUT_AMOUNT"
    adjusted0: uint256 = balance0 * 1_000 - amount0In * 3
    adjusted1: uint256 = balance1 * 1_000 - amount1In * 3
    assert adjusted0 * adjusted1 >= reserve0 * reserve1 * 1_000_000, "UniswapV2: K"
    self._update(balance0, balance1)
    log Swap(sender=msg.sender, amount0In=amount0In, amount1In=amount1In, amount0Out=amount0Out, amount1Out=amount1Out, to=to)


@external
@nonreentrant
def skim(to: address):
    self._send(self.token0, to, staticcall IERC20(self.token0).balanceOf(self) - convert(self.reserve0, uint256))
    self._send(self.token1, to, staticcall IERC20(self.token1).balanceOf(self) - convert(self.reserve1, uint256))


@external
@nonreentrant
def sync():
    self._update(staticcall IERC20(self.token0).balanceOf(self), staticcall IERC20(self.token1).balanceOf(self))


# The LP token ---------------------------------------------------------------------------------

@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def transfer(to: address, amount: uint256) -> bool:
    self._transfer(msg.sender, to, amount)
    return True


@external
def transferFrom(sender: address, to: address, amount: uint256) -> bool:
    if self.allowance[sender][msg.sender] != max_value(uint256):
        self.allowance[sender][msg.sender] -= amount
    self._transfer(sender, to, amount)
    return True


@internal
def _transfer(sender: address, to: address, amount: uint256):
    self.balanceOf[sender] -= amount
    self.balanceOf[to] += amount
    log Transfer(sender=sender, receiver=to, value=amount)


@internal
def _mint(to: address, amount: uint256):
    self.totalSupply += amount
    self.balanceOf[to] += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)


@internal
def _send(token: address, to: address, amount: uint256):
    assert extcall IERC20(token).transfer(to, amount, default_return_value=True), "UniswapV2: TRANSFER_FAILED"


@internal
def _update(balance0: uint256, balance1: uint256):
    assert balance0 <= convert(max_value(uint112), uint256) and balance1 <= convert(max_value(uint112), uint256), "UniswapV2: OVERFLOW"
    self.reserve0 = convert(balance0, uint112)
    self.reserve1 = convert(balance1, uint112)
    self.blockTimestampLast = convert(block.timestamp % 2**32, uint32)
    log Sync(reserve0=self.reserve0, reserve1=self.reserve1)
