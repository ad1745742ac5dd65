# pragma version ~=0.4.3
"""
@title Wrapped S (wS) for the devnet
@notice WETH9-style wrapping at wS's real address (0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38,
        placed by the devnet's genesis): `deposit()` (or plain S sent to it) mints wS 1:1,
        `withdraw(amount)` burns it and pays S back, `depositFor(account)` and
        `withdrawTo(account, amount)` do the same for another account. ERC-20 with 18 decimals;
        an allowance of max(uint256) is never spent down, as in WETH9.
"""

name: public(String[32])
symbol: public(String[8])
decimals: public(constant(uint8)) = 18
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])

event Deposit:
    dst: indexed(address)
    wad: uint256

event Withdrawal:
    src: indexed(address)
    wad: uint256

event Transfer:
    src: indexed(address)
    dst: indexed(address)
    wad: uint256

event Approval:
    src: indexed(address)
    guy: indexed(address)
    wad: uint256


@deploy
def __init__():
    self.name = "Wrapped Sonic"
    self.symbol = "wS"


@external
@view
def totalSupply() -> uint256:
    return self.balance


@external
@payable
def __default__():
    self._deposit(msg.sender, msg.value)


@external
@payable
def deposit():
    self._deposit(msg.sender, msg.value)


@external
@payable
def depositFor(account: address) -> bool:
    self._deposit(account, msg.value)
    return True


@external
@nonreentrant
def withdraw(wad: uint256):
    self._withdraw(msg.sender, wad)


@external
@nonreentrant
def withdrawTo(account: address, wad: uint256) -> bool:
    self._withdraw(account, wad)
    return True


@external
def approve(guy: address, wad: uint256) -> bool:
    self.allowance[msg.sender][guy] = wad
    log Approval(src=msg.sender, guy=guy, wad=wad)
    return True


@external
def transfer(dst: address, wad: uint256) -> bool:
    self._transfer(msg.sender, dst, wad)
    return True


@external
def transferFrom(src: address, dst: address, wad: uint256) -> bool:
    if src != msg.sender and self.allowance[src][msg.sender] != max_value(uint256):
        assert self.allowance[src][msg.sender] >= wad, "wS: allowance too small"
        self.allowance[src][msg.sender] -= wad
    self._transfer(src, dst, wad)
    return True


@internal
def _deposit(account: address, wad: uint256):
    self.balanceOf[account] += wad
    log Deposit(dst=account, wad=wad)


@internal
def _withdraw(account: address, wad: uint256):
    assert self.balanceOf[msg.sender] >= wad, "wS: balance too small"
    self.balanceOf[msg.sender] -= wad
    log Withdrawal(src=msg.sender, wad=wad)
    raw_call(account, b"", value=wad)


@internal
def _transfer(src: address, dst: address, wad: uint256):
    assert self.balanceOf[src] >= wad, "wS: balance too small"
    self.balanceOf[src] -= wad
    self.balanceOf[dst] += wad
    log Transfer(src=src, dst=dst, wad=wad)
