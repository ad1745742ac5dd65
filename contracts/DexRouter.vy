# pragma version ~=0.4.3
"""
@title UniswapV2Router02-compatible swap router for the devnet
@notice The swap and quote functions of UniswapV2Router02 with its names, argument orders,
        return values and revert reasons ("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT",
        "UniswapV2Router: EXPIRED", …), over DexFactory's pairs; native S in and out through
        the ETH-named functions, wrapped with `WETH()` (wS on the devnet). Paths hold at most 4
        tokens. Liquidity functions and the fee-on-transfer variants are not provided: the
        devnet's pools are seeded at genesis.
"""

from ethereum.ercs import IERC20

MAX_PATH: constant(uint256) = 4


interface Factory:
    def getPair(tokenA: address, tokenB: address) -> address: view

interface Pair:
    def getReserves() -> (uint112, uint112, uint32): view
    def swap(amount0Out: uint256, amount1Out: uint256, to: address, data: Bytes[1_024]): nonpayable

interface WrappedNative:
    def deposit(): payable
    def withdraw(wad: uint256): nonpayable
    def transfer(dst: address, wad: uint256) -> bool: nonpayable


factory: public(immutable(address))
WETH: public(immutable(address))


@deploy
def __init__(factory_: address, weth: address):
    factory = factory_
    WETH = weth


@external
@payable
def __default__():
    assert msg.sender == WETH  # only S paid out by unwrapping is accepted


# Quotes (UniswapV2Library) --------------------------------------------------------------------

@external
@pure
def quote(amountA: uint256, reserveA: uint256, reserveB: uint256) -> uint256:
    assert amountA > 0, "UniswapV2Library: INSUFFICIENT_AMOUNT"
    assert reserveA > 0 and reserveB > 0, "UniswapV2Library: INSUFFICIENT_LIQUIDITY"
    return amountA * reserveB // reserveA


@external
@pure
def getAmountOut(amountIn: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    return self._amount_out(amountIn, reserveIn, reserveOut)


@external
@pure
def getAmountIn(amountOut: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    return self._amount_in(amountOut, reserveIn, reserveOut)


@external
@view
def getAmountsOut(amountIn: uint256, path: DynArray[address, MAX_PATH]) -> DynArray[uint256, MAX_PATH]:
    return self._amounts_out(amountIn, path)


@external
@view
def getAmountsIn(amountOut: uint256, path: DynArray[address, MAX_PATH]) -> DynArray[uint256, MAX_PATH]:
    return self._amounts_in(amountOut, path)


# Swaps ----------------------------------------------------------------------------------------

@external
@nonreentrant
def swapExactTokensForTokens(
    amountIn: uint256, amountOutMin: uint256, path: DynArray[address, MAX_PATH], to: address, deadline: uint256
) -> DynArray[uint256, MAX_PATH]:
    self._ensure(deadline)
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_out(amountIn, path)
    assert amounts[len(amounts) - 1] >= amountOutMin, "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"
    self._pull(path[0], msg.sender, self._pair(path[0], path[1]), amounts[0])
    self._swap(amounts, path, to)
    return amounts


@external
@nonreentrant
def swapTokensForExactTokens(
    amountOut: uint256, amountInMax: uint256, path: DynArray[address, MAX_PATH], to: address, deadline: uint256
) -> DynArray[uint256, MAX_PATH]:
    self._ensure(deadline)
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_in(amountOut, path)
    assert amounts[0] <= amountInMax, "UniswapV2Router: EXCESSIVE_INPUT_AMOUNT"
    self._pull(path[0], msg.sender, self._pair(path[0], path[1]), amounts[0])
    self._swap(amounts, path, to)
    return amounts


@external
@payable
@nonreentrant
def swapExactETHForTokens(
    amountOutMin: uint256, path: DynArray[address, MAX_PATH], to: address, deadline: uint256
) -> DynArray[uint256, MAX_PATH]:
    self._ensure(deadline)
    assert path[0] == WETH, "UniswapV2Router: INVALID_PATH"
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_out(msg.value, path)
    assert amounts[len(amounts) - 1] >= amountOutMin, "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"
    self._wrap_to(self._pair(path[0], path[1]), amounts[0])
    self._swap(amounts, path, to)
    return amounts


@external
@payable
@nonreentrant
def swapETHForExactTokens(
    amountOut: uint256, path: DynArray[address, MAX_PATH], to: address, deadline: uint256
) -> DynArray[uint256, MAX_PATH]:
    self._ensure(deadline)
    assert path[0] == WETH, "UniswapV2Router: INVALID_PATH"
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_in(amountOut, path)
    assert amounts[0] <= msg.value, "UniswapV2Router: EXCESSIVE_INPUT_AMOUNT"
    self._wrap_to(self._pair(path[0], path[1]), amounts[0])
    self._swap(amounts, path, to)
    if msg.value > amounts[0]:
        raw_call(msg.sender, b"", value=msg.value - amounts[0])
    return amounts


@external
@nonreentrant
def swapExactTokensForETH(
    amountIn: uint256, amountOutMin: uint256, path: DynArray[address, MAX_PATH], to: address, deadline: uint256
) -> DynArray[uint256, MAX_PATH]:
    self._ensure(deadline)
    assert path[len(path) - 1] == WETH, "UniswapV2Router: INVALID_PATH"
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_out(amountIn, path)
    assert amounts[len(amounts) - 1] >= amountOutMin, "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"
    self._pull(path[0], msg.sender, self._pair(path[0], path[1]), amounts[0])
    self._swap(amounts, path, self)
    self._unwrap_to(to, amounts[len(amounts) - 1])
    return amounts


@external
@nonreentrant
def swapTokensForExactETH(
    amountOut: uint256, amountInMax: uint256, path: DynArray[address, MAX_PATH], to: address, deadline: uint256
) -> DynArray[uint256, MAX_PATH]:
    self._ensure(deadline)
    assert path[len(path) - 1] == WETH, "UniswapV2Router: INVALID_PATH"
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_in(amountOut, path)
    assert amounts[0] <= amountInMax, "UniswapV2Router: EXCESSIVE_INPUT_AMOUNT"
    self._pull(path[0], msg.sender, self._pair(path[0], path[1]), amounts[0])
    self._swap(amounts, path, self)
    self._unwrap_to(to, amounts[len(amounts) - 1])
    return amounts


# Internals ------------------------------------------------------------------------------------

@internal
@view
def _ensure(deadline: uint256):
    assert deadline >= block.timestamp, "UniswapV2Router: EXPIRED"


@internal
@pure
def _amount_out(amountIn: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    assert amountIn > 0, "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT"
    assert reserveIn > 0 and reserveOut > 0, "UniswapV2Library: INSUFFICIENT_LIQUIDITY"
    with_fee: uint256 = amountIn * 997
    return with_fee * reserveOut // (reserveIn * 1_000 + with_fee)


@internal
@pure
def _amount_in(amountOut: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    assert amountOut > 0, "UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT"
    assert reserveIn > 0 and reserveOut > amountOut, "UniswapV2Library: INSUFFICIENT_LIQUIDITY"
    return reserveIn * amountOut * 1_000 // ((reserveOut - amountOut) * 997) + 1


@internal
@view
def _pair(tokenA: address, tokenB: address) -> address:
    assert tokenA != tokenB, "UniswapV2Library: IDENTICAL_ADDRESSES"
    pair: address = staticcall Factory(factory).getPair(tokenA, tokenB)
    assert pair != empty(address), "UniswapV2Library: PAIR_NOT_FOUND"
    return pair


@internal
@view
def _reserves(tokenA: address, tokenB: address) -> (uint256, uint256):
    reserve0: uint112 = 0
    reserve1: uint112 = 0
    time: uint32 = 0
    reserve0, reserve1, time = staticcall Pair(self._pair(tokenA, tokenB)).getReserves()
    if convert(tokenA, uint160) < convert(tokenB, uint160):
        return convert(reserve0, uint256), convert(reserve1, uint256)
    return convert(reserve1, uint256), convert(reserve0, uint256)


@internal
@view
def _amounts_out(amountIn: uint256, path: DynArray[address, MAX_PATH]) -> DynArray[uint256, MAX_PATH]:
    assert len(path) >= 2, "UniswapV2Library: INVALID_PATH"
    amounts: DynArray[uint256, MAX_PATH] = [amountIn]
    for i: uint256 in range(len(path) - 1, bound=MAX_PATH):
        reserve_in: uint256 = 0
        reserve_out: uint256 = 0
        reserve_in, reserve_out = self._reserves(path[i], path[i + 1])
        amounts.append(self._amount_out(amounts[i], reserve_in, reserve_out))
    return amounts


@internal
@view
def _amounts_in(amountOut: uint256, path: DynArray[address, MAX_PATH]) -> DynArray[uint256, MAX_PATH]:
    assert len(path) >= 2, "UniswapV2Library: INVALID_PATH"
    backwards: DynArray[uint256, MAX_PATH] = [amountOut]
    for step: uint256 in range(len(path) - 1, bound=MAX_PATH):
        i: uint256 = len(path) - 1 - step
        reserve_in: uint256 = 0
        reserve_out: uint256 = 0
        reserve_in, reserve_out = self._reserves(path[i - 1], path[i])
        backwards.append(self._amount_in(backwards[step], reserve_in, reserve_out))
    amounts: DynArray[uint256, MAX_PATH] = []
    for step: uint256 in range(len(backwards), bound=MAX_PATH):
        amounts.append(backwards[len(backwards) - 1 - step])
    return amounts


@internal
def _swap(amounts: DynArray[uint256, MAX_PATH], path: DynArray[address, MAX_PATH], to: address):
    for i: uint256 in range(len(path) - 1, bound=MAX_PATH):
        token_in: address = path[i]
        token_out: address = path[i + 1]
        out: uint256 = amounts[i + 1]
        amount0_out: uint256 = 0
        amount1_out: uint256 = out
        if convert(token_out, uint160) < convert(token_in, uint160):
            amount0_out = out
            amount1_out = 0
        receiver: address = to
        if i + 2 < len(path):
            receiver = self._pair(token_out, path[i + 2])
        extcall Pair(self._pair(token_in, token_out)).swap(amount0_out, amount1_out, receiver, b"")


@internal
def _pull(token: address, owner: address, to: address, amount: uint256):
    assert extcall IERC20(token).transferFrom(owner, to, amount, default_return_value=True), "TransferHelper: TRANSFER_FROM_FAILED"


@internal
def _wrap_to(pair: address, amount: uint256):
    extcall WrappedNative(WETH).deposit(value=amount)
    assert extcall WrappedNative(WETH).transfer(pair, amount), "TransferHelper: TRANSFER_FAILED"


@internal
def _unwrap_to(to: address, amount: uint256):
    extcall WrappedNative(WETH).withdraw(amount)
    raw_call(to, b"", value=amount)
