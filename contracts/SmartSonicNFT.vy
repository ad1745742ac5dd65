# pragma version ~=0.4.3
"""
@title Smart Sonic NFT collection
@notice ERC-721 with per-token metadata URIs (ipfs://<cid>), minted by anyone for an
        owner-set fee (may be zero). Enumerable by owner; every mint also logs Minted.
"""

from snekmate.auth import ownable
from snekmate.tokens import erc721

initializes: ownable
initializes: erc721[ownable := ownable]

exports: (
    erc721.owner,
    erc721.transfer_ownership,
    erc721.supportsInterface,
    erc721.name,
    erc721.symbol,
    erc721.balanceOf,
    erc721.ownerOf,
    erc721.getApproved,
    erc721.isApprovedForAll,
    erc721.approve,
    erc721.setApprovalForAll,
    erc721.transferFrom,
    erc721.safeTransferFrom,
    erc721.tokenURI,
    erc721.totalSupply,
    erc721.tokenByIndex,
    erc721.tokenOfOwnerByIndex,
)

mint_fee: public(uint256)


event Minted:
    to: indexed(address)
    token_id: indexed(uint256)
    uri: String[432]


event MintFeeChanged:
    old_fee: uint256
    new_fee: uint256


event Withdrawn:
    to: indexed(address)
    amount: uint256


@deploy
def __init__(name_: String[25], symbol_: String[5], initial_fee: uint256):
    ownable.__init__()
    erc721.__init__(name_, symbol_, "", name_, "1")
    self.mint_fee = initial_fee


@external
@payable
@nonreentrant
def mint(to: address, uri: String[432]) -> uint256:
    """
    @notice Mint the next token to `to` with metadata at `uri`; send exactly `mint_fee`.
    @return The new token's id (ids start at 0).
    """
    assert msg.value == self.mint_fee, "nft: wrong mint fee"
    assert to != empty(address), "nft: zero address"
    assert len(uri) > 0, "nft: empty uri"
    token_id: uint256 = erc721._counter
    erc721._counter = token_id + 1
    erc721._safe_mint(to, token_id, b"")
    erc721._set_token_uri(token_id, uri)
    log Minted(to=to, token_id=token_id, uri=uri)
    return token_id


@external
def set_mint_fee(new_fee: uint256):
    ownable._check_owner()
    log MintFeeChanged(old_fee=self.mint_fee, new_fee=new_fee)
    self.mint_fee = new_fee


@external
@nonreentrant
def withdraw(to: address):
    ownable._check_owner()
    assert to != empty(address), "nft: zero address"
    amount: uint256 = self.balance
    log Withdrawn(to=to, amount=amount)
    send(to, amount)
