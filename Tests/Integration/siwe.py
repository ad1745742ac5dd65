"""Sign-In with Ethereum for the integration tests: the message the dashboard asks wallets to
sign, signed with a test key, and the session it opens."""

from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie

from eth_account import Account
from eth_account.messages import encode_defunct

from stack import DEV_KEY

ALICE = Account.from_key(DEV_KEY)


def siwe(stack, nonce_answer, account=ALICE, **changes):
    fields = {
        "domain": nonce_answer["domain"], "address": account.address, "uri": nonce_answer["uri"],
        "chain": nonce_answer["chain_id"], "nonce": nonce_answer["nonce"],
        "issued": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "expires": (datetime.now(timezone.utc) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    fields.update(changes)
    return (f"{fields['domain']} wants you to sign in with your Ethereum account:\n{fields['address']}\n\n"
            f"Sign in to Smart Sonic.\n\nURI: {fields['uri']}\nVersion: 1\nChain ID: {fields['chain']}\n"
            f"Nonce: {fields['nonce']}\nIssued At: {fields['issued']}\nExpiration Time: {fields['expires']}")


def sign_in(stack, account=ALICE, signer=None, **changes):
    nonce = stack.get("/api/auth/nonce").json()
    message = siwe(stack, nonce, account, **changes)
    signature = Account.sign_message(encode_defunct(text=message), (signer or account).key).signature.hex()
    return stack.post_json("/api/auth/verify", {"message": message, "signature": "0x" + signature.removeprefix("0x")}), message


def cookie_of(answer):
    cookie = SimpleCookie()
    cookie.load(answer.headers["Set-Cookie"])
    return cookie["sonic_session"]


def session_headers(stack, account=ALICE):
    """Headers a signed-in browser sends on a state-changing request: cookie, CSRF token, Origin."""
    answer, _ = sign_in(stack, account)
    assert answer.status == 200, answer.body
    return {"Cookie": f"sonic_session={cookie_of(answer).value}", "X-CSRF-Token": answer.json()["csrf_token"], "Origin": stack.url}
