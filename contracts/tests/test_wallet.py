"""TestWallet: a one-owner contract account that accepts (EIP-1271) only its owner's signatures."""

from eth_account import Account
from eth_account.messages import encode_defunct, _hash_eip191_message

from conftest import DEV_KEYS, deploy

MAGIC = bytes.fromhex("1626ba7e")
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def test_accepts_its_owners_signature_and_nothing_else(w3):
    owner = Account.from_key(DEV_KEYS[1])
    wallet = deploy(w3, "TestWallet", owner.address)
    message = encode_defunct(text="Sign in to Smart Sonic.")
    digest = _hash_eip191_message(message)
    signed = Account.sign_message(message, owner.key)
    assert wallet.functions.isValidSignature(digest, signed.signature).call() == MAGIC

    stranger = Account.sign_message(message, DEV_KEYS[2])
    assert wallet.functions.isValidSignature(digest, stranger.signature).call() != MAGIC
    assert wallet.functions.isValidSignature(b"\x01" * 32, signed.signature).call() != MAGIC
    assert wallet.functions.isValidSignature(digest, signed.signature[:64]).call() != MAGIC
    # The high-s twin of the owner's signature is refused, as EIP-2 wants.
    r, s, v = signed.r, signed.s, signed.v
    twin = r.to_bytes(32, "big") + (N - s).to_bytes(32, "big") + bytes([55 - v])
    assert wallet.functions.isValidSignature(digest, twin).call() != MAGIC
