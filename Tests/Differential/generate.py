"""Random cases for the differential tests, computed by independent implementations from PyPI.

    python Tests/Differential/generate.py OUTDIR [--seed N] [--count N]

Writes OUTDIR/{keccak,rlp,abi,tx,personal,eip712,keystore}.json. The Swift suite DifferentialTests
(SONIC_DIFF_DIR=OUTDIR) recomputes every case with our code and must agree byte for byte, and
writes swift-*.json that verify.py checks with the same libraries in the other direction.
The seed is printed so a failure can be reproduced.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import eth_abi
import rlp
from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_defunct, encode_typed_data
from eth_hash.auto import keccak


def random_bytes(r, low=0, high=80):
    return bytes(r.getrandbits(8) for _ in range(r.randint(low, high)))


# RLP -----------------------------------------------------------------------------------------

def random_item(r, depth=0):
    if depth < 4 and r.random() < 0.35:
        return [random_item(r, depth + 1) for _ in range(r.randint(0, 5))]
    choice = r.random()
    if choice < 0.2:
        return bytes([r.randint(0, 0x7F)])  # single-byte form
    if choice < 0.3:
        return random_bytes(r, 56, 300)  # long form
    return random_bytes(r, 0, 60)


def to_json_item(item):
    return [to_json_item(x) for x in item] if isinstance(item, list) else "0x" + item.hex()


def rlp_cases(r, count):
    cases = []
    for _ in range(count):
        item = random_item(r)
        cases.append({"item": to_json_item(item), "encoded": "0x" + rlp.encode(item).hex()})
    return cases


# Keccak-256 ----------------------------------------------------------------------------------

def keccak_cases(r, count):
    cases = []
    for index in range(count):
        length = r.choice([0, 1, 135, 136, 137, 271, 272, 273, r.randint(0, 2000)]) if index % 2 else r.randint(0, 600)
        data = bytes(r.getrandbits(8) for _ in range(length))
        cases.append({"data": "0x" + data.hex(), "digest": "0x" + keccak(data).hex()})
    return cases


# ABI -----------------------------------------------------------------------------------------

def random_type(r, depth=0):
    if depth < 3 and r.random() < 0.3:
        kind = r.choice(["array", "fixed", "tuple"])
        if kind == "tuple":
            return "(" + ",".join(random_type(r, depth + 1) for _ in range(r.randint(1, 3))) + ")"
        inner = random_type(r, depth + 1)
        return f"{inner}[]" if kind == "array" else f"{inner}[{r.randint(1, 3)}]"
    kind = r.choice(["uint", "int", "address", "bool", "bytesN", "bytes", "string"])
    if kind in ("uint", "int"):
        return f"{kind}{8 * r.randint(1, 32)}"
    if kind == "bytesN":
        return f"bytes{r.randint(1, 32)}"
    return kind


def split_tuple(text):
    parts, depth, current = [], 0, ""
    for ch in text[1:-1]:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        current += ch
    parts.append(current)
    return parts


def random_value(r, t):
    """(python value for eth-abi, JSON value for Swift)."""
    if t.endswith("]"):
        inner, count = t[: t.rindex("[")], t[t.rindex("[") + 1 : -1]
        n = int(count) if count else r.randint(0, 3)
        pairs = [random_value(r, inner) for _ in range(n)]
        return [p for p, _ in pairs], [j for _, j in pairs]
    if t.startswith("("):
        pairs = [random_value(r, m) for m in split_tuple(t)]
        return tuple(p for p, _ in pairs), [j for _, j in pairs]
    if t.startswith("uint"):
        bits = int(t[4:])
        v = r.choice([0, 1, (1 << bits) - 1, r.getrandbits(bits)])
        return v, str(v)
    if t.startswith("int"):
        bits = int(t[3:])
        v = r.choice([0, -1, -(1 << (bits - 1)), (1 << (bits - 1)) - 1, r.getrandbits(bits) - (1 << (bits - 1))])
        return v, str(v)
    if t == "address":
        a = Account.create().address if r.random() < 0.1 else "0x" + random_bytes(r, 20, 20).hex()
        return a, a
    if t == "bool":
        v = r.random() < 0.5
        return v, v
    if t == "bytes":
        b = random_bytes(r, 0, 100)
        return b, "0x" + b.hex()
    if t.startswith("bytes"):
        b = random_bytes(r, int(t[5:]), int(t[5:]))
        return b, "0x" + b.hex()
    if t == "string":
        alphabet = "abcXYZ 0123,()[]\"'é€😀\\"
        s = "".join(r.choice(alphabet) for _ in range(r.randint(0, 40)))
        return s, s
    raise ValueError(t)


def abi_cases(r, count):
    cases = []
    for _ in range(count):
        types = [random_type(r) for _ in range(r.randint(1, 4))]
        pairs = [random_value(r, t) for t in types]
        encoded = eth_abi.encode(types, [p for p, _ in pairs])
        cases.append({"types": types, "values": [j for _, j in pairs], "encoded": "0x" + encoded.hex()})
    return cases


# Transactions and messages --------------------------------------------------------------------

def random_tx(r, key):
    kind = r.choice([0, 1, 2])
    tx = {
        "nonce": r.choice([0, 1, r.getrandbits(16), r.getrandbits(64)]),
        "gas": r.choice([21000, r.getrandbits(24) + 21000]),
        "value": r.choice([0, 1, r.getrandbits(r.randint(1, 256))]),
        "data": "0x" + random_bytes(r, 0, 120).hex(),
        "chainId": r.choice([1, 146, 14601, 31337, r.getrandbits(32) + 1]),
    }
    if r.random() < 0.1:
        tx["to"] = ""  # contract creation
    else:
        tx["to"] = Account.from_key(random_bytes(r, 32, 32) or b"\x01" * 32).address if r.random() < 0.5 else "0x" + random_bytes(r, 20, 20).hex()
    if kind == 0:
        tx["gasPrice"] = r.getrandbits(r.randint(1, 80))
    else:
        access = [
            {"address": "0x" + random_bytes(r, 20, 20).hex(), "storageKeys": ["0x" + random_bytes(r, 32, 32).hex() for _ in range(r.randint(0, 2))]}
            for _ in range(r.randint(0, 2))
        ]
        tx["accessList"] = access
        tx["type"] = kind
        if kind == 1:
            tx["gasPrice"] = r.getrandbits(r.randint(1, 80))
        else:
            tx["maxPriorityFeePerGas"] = r.getrandbits(r.randint(1, 64))
            tx["maxFeePerGas"] = tx["maxPriorityFeePerGas"] + r.getrandbits(r.randint(1, 64))
    from eth_utils import to_checksum_address
    if tx["to"]:
        tx["to"] = to_checksum_address(tx["to"])
    else:
        del tx["to"]
    signed = Account.sign_transaction(tx, key)
    return tx, signed


def random_key(r):
    while True:
        key = random_bytes(r, 32, 32)
        if 0 < int.from_bytes(key, "big") < 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141:
            return "0x" + key.hex()


def jsonable_tx(tx):
    out = {k: (str(v) if isinstance(v, int) else v) for k, v in tx.items()}
    return out


def tx_cases(r, count):
    cases = []
    for _ in range(count):
        key = random_key(r)
        tx, signed = random_tx(r, key)
        cases.append({
            "key": key, "tx": jsonable_tx(tx), "raw": "0x" + signed.raw_transaction.hex(),
            "hash": "0x" + signed.hash.hex(), "sender": Account.from_key(key).address,
        })
    return cases


def personal_cases(r, count):
    cases = []
    for _ in range(count):
        key = random_key(r)
        message = random_bytes(r, 0, 200)
        signed = Account.sign_message(encode_defunct(primitive=message), key)
        cases.append({"key": key, "message": "0x" + message.hex(), "signature": "0x" + signed.signature.hex(),
                      "address": Account.from_key(key).address})
    return cases


EIP712_ATOMIC = ["uint256", "uint8", "uint64", "int256", "int32", "address", "bool", "bytes32", "bytes4", "string", "bytes"]


def random_typed_data(r):
    names = [f"Type{i}" for i in range(r.randint(1, 3))]
    types = {}
    for index, name in enumerate(names):
        fields = []
        for field_index in range(r.randint(1, 4)):
            base = r.choice(EIP712_ATOMIC + names[index + 1 :])
            suffix = r.choice(["", "", "", "[]", "[2]"])
            fields.append({"name": f"f{field_index}", "type": base + suffix})
        types[name] = fields
    # eth-account finds the primary type as the one no other references: keep only reachable types.
    reachable, queue = set(), [names[0]]
    while queue:
        current = queue.pop()
        if current in reachable:
            continue
        reachable.add(current)
        queue += [f["type"].split("[")[0] for f in types[current] if f["type"].split("[")[0] in types]
    types = {k: v for k, v in types.items() if k in reachable}

    def value(t):
        if t.endswith("]"):
            inner, count = t[: t.rindex("[")], t[t.rindex("[") + 1 : -1]
            n = int(count) if count else r.randint(0, 3)
            pairs = [value(inner) for _ in range(n)]
            return [p for p, _ in pairs], [j for _, j in pairs]
        if t in types:
            pairs = {f["name"]: value(f["type"]) for f in types[t]}
            return {k: p for k, (p, _) in pairs.items()}, {k: j for k, (_, j) in pairs.items()}
        if t.startswith("uint") or t.startswith("int"):
            py, js = random_value(r, t)
            return py, (py if abs(py) < 2**53 else js)
        if t == "bytes":
            b = random_bytes(r, 0, 40)
            return "0x" + b.hex(), "0x" + b.hex()
        if t.startswith("bytes"):
            b = random_bytes(r, int(t[5:]), int(t[5:]))
            return "0x" + b.hex(), "0x" + b.hex()
        if t == "address":
            a = Account.create().address
            return a, a
        return random_value(r, t)

    domain_fields = [f for f in [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                                 ("verifyingContract", "address"), ("salt", "bytes32")] if r.random() < 0.7] or [("name", "string")]
    domain_py, domain_js = {}, {}
    for field, t in domain_fields:
        domain_py[field], domain_js[field] = value(t)
    message_py, message_js = value(names[0])
    full_types = {"EIP712Domain": [{"name": n, "type": t} for n, t in domain_fields], **types}
    py = {"types": full_types, "primaryType": names[0], "domain": domain_py, "message": message_py}
    js = {"types": full_types, "primaryType": names[0], "domain": domain_js, "message": message_js}
    return py, js


def eip712_cases(r, count):
    cases = []
    for _ in range(count):
        key = random_key(r)
        py, js = random_typed_data(r)
        signable = encode_typed_data(full_message=py)
        cases.append({"key": key, "typedData": js, "digest": "0x" + _hash_eip191_message(signable).hex(),
                      "signature": "0x" + Account.sign_message(signable, key).signature.hex()})
    return cases


def keystore_cases(r, count):
    cases = []
    for index in range(count):
        key = random_key(r)
        password = "".join(r.choice("abcdefgh123 é") for _ in range(r.randint(0, 16)))
        if index % 2:
            keystore = Account.encrypt(key, password, kdf="pbkdf2", iterations=r.choice([1, 2, 1000]))
        else:
            keystore = Account.encrypt(key, password, kdf="scrypt", iterations=r.choice([2, 16, 1024]))
        cases.append({"key": key, "password": password, "keystore": keystore})
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "big"))
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    r = random.Random(args.seed)
    timings = []
    generators = {"keccak": keccak_cases, "rlp": rlp_cases, "abi": abi_cases, "tx": tx_cases, "personal": personal_cases,
                  "eip712": eip712_cases, "keystore": keystore_cases}
    for name, make in generators.items():
        started = time.monotonic()
        cases = make(r, args.count)
        timings.append(f"{name} {time.monotonic() - started:.1f}s")
        (out / f"{name}.json").write_text(json.dumps({"seed": args.seed, "cases": cases}))
    print(f"differential: {args.count} cases each of {', '.join(generators)} (seed {args.seed}) in {out}: {', '.join(timings)}")


if __name__ == "__main__":
    sys.exit(main())
