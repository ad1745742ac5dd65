# pragma version ~=0.4.3
"""
@title Smart Sonic test token (devnet only)
@notice A plain ERC-20 minted to the development accounts at deployment.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: (
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.totalSupply,
    erc20.balanceOf,
    erc20.allowance,
    erc20.transfer,
    erc20.transferFrom,
    erc20.approve,
)


@deploy
def __init__(name_: String[25], symbol_: String[5], decimals_: uint8, holders: DynArray[address, 16], amount: uint256):
    ownable.__init__()
    erc20.__init__(name_, symbol_, decimals_, name_, "1")
    for holder: address in holders:
        erc20._mint(holder, amount)
