# pragma version ~=0.4.3
"""
@title Test contract wallet (devnet only)
@notice A smart account with one owner, as a Safe with one owner is for signatures: it accepts
        (EIP-1271) a 65-byte signature its owner's key made over the hash, and nothing else.
        It is here to test signing in with a contract account; `sonic deploy` never deploys it.
"""

# isValidSignature's selector: what a valid signature gets back.
MAGIC_VALUE: constant(bytes4) = 0x1626ba7e
REFUSED: constant(bytes4) = 0xffffffff
# secp256k1's group order halved: higher s values are the malleable twins (EIP-2).
HALF_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168

owner: public(address)


@deploy
def __init__(owner: address):
    assert owner != empty(address), "wallet: owner is the zero address"
    self.owner = owner


@external
@view
def isValidSignature(hash: bytes32, signature: Bytes[65]) -> bytes4:
    """
    @notice MAGIC_VALUE when the owner's key signed `hash` (r, s, v with v 27 or 28, low s).
    """
    if len(signature) != 65:
        return REFUSED
    r: uint256 = convert(slice(signature, 0, 32), uint256)
    s: uint256 = convert(slice(signature, 32, 32), uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if s > HALF_ORDER or (v != 27 and v != 28):
        return REFUSED
    if ecrecover(hash, v, r, s) != self.owner:
        return REFUSED
    return MAGIC_VALUE
