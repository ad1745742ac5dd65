import pytest
from web3.exceptions import ContractLogicError

from conftest import S, deploy, transact

URI = "ipfs://QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"


@pytest.fixture
def nft(w3):
    return deploy(w3, "SmartSonicNFT", "Smart Sonic", "SONIC", 0)


def test_free_mint_sets_owner_and_uri(w3, nft, accounts):
    minter, receiver = accounts[1], accounts[2]
    receipt = transact(w3, nft.functions.mint(receiver, URI), minter)
    minted = nft.events.Minted().process_receipt(receipt)[0]["args"]
    assert minted == {"to": receiver, "token_id": 0, "uri": URI}
    transfer = nft.events.Transfer().process_receipt(receipt)[0]["args"]
    assert transfer["receiver"] == receiver and transfer["token_id"] == 0
    assert nft.functions.ownerOf(0).call() == receiver
    assert nft.functions.tokenURI(0).call() == URI
    assert nft.functions.balanceOf(receiver).call() == 1
    assert nft.functions.tokenOfOwnerByIndex(receiver, 0).call() == 0
    assert nft.functions.totalSupply().call() == 1
    assert nft.functions.name().call() == "Smart Sonic"
    assert nft.functions.supportsInterface(bytes.fromhex("80ac58cd")).call()  # ERC-721


def test_token_ids_count_up_and_enumerate_by_owner(w3, nft, accounts):
    for index in range(3):
        transact(w3, nft.functions.mint(accounts[1], f"{URI}/{index}"), accounts[1])
    assert [nft.functions.tokenOfOwnerByIndex(accounts[1], i).call() for i in range(3)] == [0, 1, 2]
    assert nft.functions.tokenURI(2).call() == f"{URI}/2"


def test_mint_fee_is_exact_and_withdrawable(w3, nft, accounts):
    owner, user = accounts[0], accounts[1]
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        nft.functions.set_mint_fee(S // 10).transact({"from": user})
    receipt = transact(w3, nft.functions.set_mint_fee(S // 10), owner)
    assert nft.events.MintFeeChanged().process_receipt(receipt)[0]["args"] == {"old_fee": 0, "new_fee": S // 10}
    for value in (0, S // 10 + 1):
        with pytest.raises(ContractLogicError, match="nft: wrong mint fee"):
            nft.functions.mint(user, URI).transact({"from": user, "value": value})
    transact(w3, nft.functions.mint(user, URI), user, value=S // 10)
    before = w3.eth.get_balance(accounts[2])
    receipt = transact(w3, nft.functions.withdraw(accounts[2]), owner)
    assert nft.events.Withdrawn().process_receipt(receipt)[0]["args"]["amount"] == S // 10
    assert w3.eth.get_balance(accounts[2]) - before == S // 10


@pytest.mark.parametrize("to, uri, reason", [("0x" + "00" * 20, URI, "nft: zero address"), (None, "", "nft: empty uri")])
def test_bad_mints_are_refused(nft, accounts, to, uri, reason):
    with pytest.raises(ContractLogicError, match=reason):
        nft.functions.mint(to or accounts[1], uri).transact({"from": accounts[1]})


def test_transfer_between_owners(w3, nft, accounts):
    transact(w3, nft.functions.mint(accounts[1], URI), accounts[1])
    transact(w3, nft.functions.transferFrom(accounts[1], accounts[2], 0), accounts[1])
    assert nft.functions.ownerOf(0).call() == accounts[2]
    with pytest.raises(ContractLogicError):
        nft.functions.transferFrom(accounts[1], accounts[2], 0).transact({"from": accounts[1]})


def test_approvals_and_safe_transfer(w3, nft, accounts):
    holder, operator, receiver = accounts[0], accounts[1], accounts[2]
    for index in range(2):
        transact(w3, nft.functions.mint(holder, f"{URI}/{index}"), holder)
    transact(w3, nft.functions.approve(operator, 0), holder)
    assert nft.functions.getApproved(0).call() == operator
    transact(w3, nft.functions.transferFrom(holder, receiver, 0), operator)
    assert nft.functions.ownerOf(0).call() == receiver
    with pytest.raises(ContractLogicError):
        nft.functions.transferFrom(holder, receiver, 1).transact({"from": operator})
    transact(w3, nft.functions.setApprovalForAll(operator, True), holder)
    assert nft.functions.isApprovedForAll(holder, operator).call()
    transact(w3, nft.functions.safeTransferFrom(holder, receiver, 1, b""), operator)
    assert nft.functions.balanceOf(receiver).call() == 2
    assert [nft.functions.tokenByIndex(i).call() for i in range(2)] == [0, 1]


def test_ownership_and_metadata(w3, nft, accounts):
    assert nft.functions.symbol().call() == "SONIC"
    assert nft.functions.owner().call() == accounts[0]
    transact(w3, nft.functions.transfer_ownership(accounts[1]), accounts[0])
    assert nft.functions.owner().call() == accounts[1]
    with pytest.raises(ContractLogicError, match="ownable: caller is not the owner"):
        nft.functions.set_mint_fee(1).transact({"from": accounts[0]})
    with pytest.raises(ContractLogicError):
        nft.functions.tokenURI(999).call()
