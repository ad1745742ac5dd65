"""The `sonic` command as a script would use it: output checked against eth-account and eth-abi."""

import json
import os
import subprocess
from pathlib import Path

import eth_abi
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_hash.auto import keccak

SONIC = Path(__file__).resolve().parents[2] / ".build" / "debug" / "sonic"
KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
ADDRESS = Account.from_key(KEY).address


def sonic(*args, env=None, check=True):
    result = subprocess.run([SONIC, *args], capture_output=True, text=True, env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(f"sonic {' '.join(args)} failed: {result.stderr}")
    return result


def out(*args, **kwargs) -> str:
    return sonic(*args, **kwargs).stdout.strip()


def test_keccak_of_text_and_bytes():
    assert out("keccak", "hello") == "0x" + keccak(b"hello").hex()
    assert out("keccak", "0x68656c6c6f") == "0x" + keccak(b"hello").hex()


def test_units_are_exact():
    assert out("to-wei", "1.5") == "1500000000000000000"
    assert out("to-wei", "20", "gwei") == "20000000000"
    assert out("from-wei", "1500000000000000000") == "1.500000000000000000"
    failed = sonic("to-wei", "0.0000000000000000001", check=False)
    assert failed.returncode != 0
    assert "more than 18 decimal places" in failed.stderr


def test_checksum():
    assert out("to-checksum", ADDRESS.lower()) == ADDRESS
    bad = sonic("to-checksum", ADDRESS[:-1] + ("A" if ADDRESS[-1] != "A" else "B"), check=False)
    assert bad.returncode != 0 and "checksum" in bad.stderr


def test_abi_encode_calldata_and_decode_match_eth_abi():
    encoded = out("abi-encode", "f(uint256,string,address[])", "42", "hi, there", f"[{ADDRESS},{ADDRESS}]")
    assert encoded == "0x" + eth_abi.encode(["uint256", "string", "address[]"], [42, "hi, there", [ADDRESS, ADDRESS]]).hex()
    calldata = out("calldata", "transfer(address,uint256)", ADDRESS, "1000")
    assert calldata == "0xa9059cbb" + eth_abi.encode(["address", "uint256"], [ADDRESS, 1000]).hex()
    assert out("abi-decode", "transfer(address,uint256)", calldata, "--input").splitlines() == [ADDRESS, "1000"]
    returned = "0x" + eth_abi.encode(["uint256", "bool"], [7, True]).hex()
    assert out("abi-decode", "f()(uint256,bool)", returned).splitlines() == ["7", "true"]


def test_wallet_address_sign_verify():
    assert out("wallet", "address", "--private-key", KEY) == ADDRESS
    signature = out("wallet", "sign", "--private-key", KEY, "hello sonic")
    expected = Account.sign_message(encode_defunct(text="hello sonic"), KEY).signature.hex()
    assert signature == "0x" + expected.removeprefix("0x")
    assert "Validation succeeded" in out("wallet", "verify", "--address", ADDRESS, "hello sonic", signature)
    wrong = sonic("wallet", "verify", "--address", Account.create().address, "hello sonic", signature, check=False)
    assert wrong.returncode == 1 and "Validation failed" in wrong.stderr


def test_wallet_new_makes_a_working_key():
    lines = out("wallet", "new").splitlines()
    address = lines[1].split()[-1]
    key = lines[2].split()[-1]
    assert Account.from_key(key).address == address


@pytest.mark.parametrize("fees", [["--gas-price", "20gwei"], ["--max-fee", "60gwei", "--priority-fee", "1gwei"]])
def test_mktx_is_a_valid_signed_transaction(fees):
    raw = out("mktx", "--private-key", KEY, "--chain-id", "146", "--nonce", "3", "--gas-limit", "21000", *fees,
              "--value", "1.5ether", "--data", "0x1234", ADDRESS)
    assert Account.recover_transaction(raw) == ADDRESS
    decoded = json.loads(out("decode-tx", raw))
    assert decoded["from"] == ADDRESS
    assert decoded["chainId"] == hex(146)
    assert int(decoded["value"], 16) == 1_500_000_000_000_000_000
    assert decoded["input"] == "0x1234"
    assert decoded["hash"] == "0x" + keccak(bytes.fromhex(raw[2:])).hex()


def test_decode_tx_refuses_garbage():
    failed = sonic("decode-tx", "0x02c0", check=False)
    assert failed.returncode != 0 and "type-2 transaction has 12 fields" in failed.stderr


def test_keystore_round_trip_with_eth_account(tmp_path):
    path = tmp_path / "key.json"
    env = {"SONIC_KEYSTORE_PASSWORD": "correct horse"}
    assert out("keystore", "encrypt", "--private-key", KEY, "--output", str(path), env=env) == ADDRESS
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "0x" + Account.decrypt(path.read_text(), "correct horse").hex() == KEY
    assert out("keystore", "decrypt", str(path), env=env) == KEY
    assert out("wallet", "address", "--keystore", str(path), env=env) == ADDRESS
    wrong = sonic("keystore", "decrypt", str(path), env={"SONIC_KEYSTORE_PASSWORD": "nope"}, check=False)
    assert wrong.returncode != 0 and "wrong password" in wrong.stderr
    assert KEY[2:] not in wrong.stderr + wrong.stdout


def test_bad_private_key_is_not_echoed():
    secretish = "0x" + "ab" * 31
    failed = sonic("wallet", "address", "--private-key", secretish, check=False)
    assert failed.returncode != 0
    assert "ab" * 31 not in failed.stderr


def test_every_command_has_help():
    top = out("--help")
    for command in ["keccak", "to-wei", "from-wei", "to-checksum", "abi-encode", "abi-decode", "calldata", "wallet",
                    "mktx", "decode-tx", "keystore", "chain-id", "block-number"]:
        assert command in top
        assert "USAGE" in out(*command.split(), "--help")
