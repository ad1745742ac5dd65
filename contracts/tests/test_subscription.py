import pytest
from web3.exceptions import ContractLogicError

from conftest import S, deploy, time_travel, transact

DAY = 86_400


@pytest.fixture
def subscription(w3):
    return deploy(w3, "SmartSonicSubscription", S)


def test_purchase_activates_for_thirty_days(w3, subscription, accounts):
    user = accounts[1]
    assert subscription.functions.price().call() == S
    assert not subscription.functions.is_active(user).call()
    receipt = transact(w3, subscription.functions.purchase(1), user, value=S)
    event = subscription.events.SubscriptionPurchased().process_receipt(receipt)[0]["args"]
    block = w3.eth.get_block(receipt.blockNumber)
    assert event["user"] == user
    assert event["start"] == block.timestamp
    assert event["end"] == block.timestamp + 30 * DAY
    assert event["paid"] == S
    assert subscription.functions.is_active(user).call()
    assert subscription.functions.expires_at(user).call() == event["end"]
    assert w3.eth.get_balance(subscription.address) == S


def test_buying_while_active_extends_from_the_expiry(w3, subscription, accounts):
    user = accounts[1]
    transact(w3, subscription.functions.purchase(1), user, value=S)
    first_end = subscription.functions.expires_at(user).call()
    receipt = transact(w3, subscription.functions.purchase(3), user, value=3 * S)
    event = subscription.events.SubscriptionPurchased().process_receipt(receipt)[0]["args"]
    assert event["start"] == first_end
    assert subscription.functions.expires_at(user).call() == first_end + 90 * DAY


def test_expiry_after_time_passes_and_a_new_purchase_starts_now(w3, devnet, subscription, accounts):
    user = accounts[2]
    transact(w3, subscription.functions.purchase(1), user, value=S)
    time_travel(devnet, 31 * DAY)
    assert not subscription.functions.is_active(user).call()
    receipt = transact(w3, subscription.functions.purchase(1), user, value=S)
    event = subscription.events.SubscriptionPurchased().process_receipt(receipt)[0]["args"]
    assert event["start"] == w3.eth.get_block(receipt.blockNumber).timestamp
    assert subscription.functions.is_active(user).call()


@pytest.mark.parametrize("periods, value", [(1, S - 1), (1, S + 1), (2, S), (1, 0)])
def test_wrong_payment_is_rejected(subscription, accounts, periods, value):
    with pytest.raises(ContractLogicError, match="subscription: wrong payment"):
        subscription.functions.purchase(periods).transact({"from": accounts[1], "value": value})


@pytest.mark.parametrize("periods", [0, 37])
def test_period_count_is_bounded(subscription, accounts, periods):
    with pytest.raises(ContractLogicError, match="periods must be 1 to 36"):
        subscription.functions.purchase(periods).transact({"from": accounts[1], "value": periods * S})


def test_pause_blocks_sales_and_only_the_owner_may_pause(w3, subscription, accounts):
    owner, user = accounts[0], accounts[1]
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        subscription.functions.set_paused(True).transact({"from": user})
    receipt = transact(w3, subscription.functions.set_paused(True), owner)
    assert subscription.events.PausedChanged().process_receipt(receipt)[0]["args"]["paused"] is True
    with pytest.raises(ContractLogicError, match="subscription: paused"):
        subscription.functions.purchase(1).transact({"from": user, "value": S})
    transact(w3, subscription.functions.set_paused(False), owner)
    transact(w3, subscription.functions.purchase(1), user, value=S)


def test_owner_changes_the_price(w3, subscription, accounts):
    owner, user = accounts[0], accounts[1]
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        subscription.functions.set_price(2 * S).transact({"from": user})
    with pytest.raises(ContractLogicError, match="price must be positive"):
        subscription.functions.set_price(0).transact({"from": owner})
    receipt = transact(w3, subscription.functions.set_price(2 * S), owner)
    assert subscription.events.PriceChanged().process_receipt(receipt)[0]["args"] == {"old_price": S, "new_price": 2 * S}
    with pytest.raises(ContractLogicError, match="wrong payment"):
        subscription.functions.purchase(1).transact({"from": user, "value": S})
    transact(w3, subscription.functions.purchase(1), user, value=2 * S)


def test_owner_withdraws_the_proceeds(w3, subscription, accounts):
    owner, user, treasury = accounts[0], accounts[1], accounts[2]
    transact(w3, subscription.functions.purchase(2), user, value=2 * S)
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        subscription.functions.withdraw(user).transact({"from": user})
    with pytest.raises(ContractLogicError, match="zero address"):
        subscription.functions.withdraw("0x" + "00" * 20).transact({"from": owner})
    before = w3.eth.get_balance(treasury)
    receipt = transact(w3, subscription.functions.withdraw(treasury), owner)
    assert subscription.events.Withdrawn().process_receipt(receipt)[0]["args"] == {"to": treasury, "amount": 2 * S}
    assert w3.eth.get_balance(treasury) - before == 2 * S
    assert w3.eth.get_balance(subscription.address) == 0


def test_ownership_can_be_transferred(w3, subscription, accounts):
    owner, successor = accounts[0], accounts[1]
    assert subscription.functions.owner().call() == owner
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        subscription.functions.transfer_ownership(successor).transact({"from": successor})
    receipt = transact(w3, subscription.functions.transfer_ownership(successor), owner)
    assert receipt.logs, "OwnershipTransferred is logged"
    assert subscription.functions.owner().call() == successor
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        subscription.functions.set_price(5).transact({"from": owner})
    transact(w3, subscription.functions.set_price(5), successor)


def test_period_constants(subscription):
    assert subscription.functions.PERIOD().call() == 30 * DAY
    assert subscription.functions.MAX_PERIODS().call() == 36
    assert subscription.functions.paused().call() is False
