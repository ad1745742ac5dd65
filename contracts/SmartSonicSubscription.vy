# pragma version ~=0.4.3
"""
@title Smart Sonic premium subscription
@notice 30-day periods paid in S. Buying while active extends from the current expiry, so no
        paid time is ever lost. The exact price times the number of periods must be sent:
        overpayment is rejected rather than kept or refunded, so a stale price in a wallet
        fails loudly instead of silently costing more. The owner can change the price,
        pause sales and withdraw the proceeds.
"""

from snekmate.auth import ownable

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)

PERIOD: public(constant(uint256)) = 30 * 86_400
MAX_PERIODS: public(constant(uint256)) = 36

price: public(uint256)
paused: public(bool)
_expiry: HashMap[address, uint256]


event SubscriptionPurchased:
    user: indexed(address)
    start: uint256
    end: uint256
    paid: uint256


event PriceChanged:
    old_price: uint256
    new_price: uint256


event PausedChanged:
    paused: bool


event Withdrawn:
    to: indexed(address)
    amount: uint256


@deploy
def __init__(initial_price: uint256):
    ownable.__init__()
    self.price = initial_price


@external
@payable
@nonreentrant
def purchase(periods: uint256):
    """
    @notice Buy `periods` × 30 days for the sender, from now or from the current expiry,
            whichever is later.
    """
    assert not self.paused, "subscription: paused"
    assert periods >= 1 and periods <= MAX_PERIODS, "subscription: periods must be 1 to 36"
    assert msg.value == self.price * periods, "subscription: wrong payment"
    start: uint256 = max(block.timestamp, self._expiry[msg.sender])
    end: uint256 = start + periods * PERIOD
    self._expiry[msg.sender] = end
    log SubscriptionPurchased(user=msg.sender, start=start, end=end, paid=msg.value)


@external
@view
def is_active(user: address) -> bool:
    return self._expiry[user] > block.timestamp


@external
@view
def expires_at(user: address) -> uint256:
    """
    @notice Unix time at which `user`'s subscription ends (0 if never bought).
    """
    return self._expiry[user]


@external
def set_price(new_price: uint256):
    ownable._check_owner()
    assert new_price > 0, "subscription: price must be positive"
    log PriceChanged(old_price=self.price, new_price=new_price)
    self.price = new_price


@external
def set_paused(paused: bool):
    ownable._check_owner()
    self.paused = paused
    log PausedChanged(paused=paused)


@external
@nonreentrant
def withdraw(to: address):
    ownable._check_owner()
    assert to != empty(address), "subscription: zero address"
    amount: uint256 = self.balance
    log Withdrawn(to=to, amount=amount)
    send(to, amount)
