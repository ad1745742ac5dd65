"""The NFT back end through nginx: upload by content (CIDs equal to ipfs_cid's), the gateway,
prepare-mint, signed by a development account, sent, indexed and listed; and the refusals."""

import json
import struct
import subprocess
import uuid
import zlib

import pytest
from eth_account import Account
from eth_hash.auto import keccak

from siwe import ALICE, session_headers
from stack import DEV_KEY, Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("nft")).start(contracts=True, sync=True)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def headers(stack):
    return session_headers(stack)


def png(width=3, height=2, color=(200, 40, 90)) -> bytes:
    raw = b"".join(b"\x00" + bytes(color) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, data = value
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
                     f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"
        else:
            body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode() + value.encode() + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(stack, headers, fields, query=""):
    body, content_type = multipart(fields)
    return stack.request("POST", f"/api/nft/assets{query}", body, {**headers, "Content-Type": content_type})


def ipfs_cid(tmp_path, data: bytes) -> str:
    path = tmp_path / uuid.uuid4().hex
    path.write_bytes(data)
    return json.loads(subprocess.run(["ipfs_cid", str(path)], capture_output=True, check=True).stdout)["CIDv0"]


def sign(prepared, key=DEV_KEY):
    tx = prepared["tx"]
    fields = {"to": tx["to"], "value": int(tx["value"], 16), "data": tx["data"], "nonce": int(tx["nonce"], 16),
              "gas": int(tx["gas"], 16), "maxFeePerGas": int(tx["maxFeePerGas"], 16),
              "maxPriorityFeePerGas": int(tx["maxPriorityFeePerGas"], 16), "chainId": int(tx["chainId"], 16), "type": 2}
    return "0x" + Account.sign_transaction(fields, key).raw_transaction.hex().removeprefix("0x")


def test_upload_mint_index_and_list(stack, headers, tmp_path):
    image = png()
    answer = upload(stack, headers, {"image": ("sunset.png", image), "name": "Sunset", "description": "Over the sea",
                                     "attributes": json.dumps([{"trait_type": "Mood", "value": "calm"}])})
    assert answer.status == 201, answer.body
    stored = answer.json()
    assert stored["image_cid"] == ipfs_cid(tmp_path, image)
    assert stored["content_type"] == "image/png" and stored["size"] == len(image)
    assert stored["token_uri"] == f"ipfs://{stored['metadata_cid']}"

    served = stack.get(f"/ipfs/{stored['image_cid']}")
    assert served.status == 200 and served.body == image
    assert served.headers["Content-Type"] == "image/png"
    assert "immutable" in served.headers["Cache-Control"]
    metadata = stack.get(f"/ipfs/{stored['metadata_cid']}")
    assert stored["metadata_cid"] == ipfs_cid(tmp_path, metadata.body)
    assert json.loads(metadata.body) == {"name": "Sunset", "description": "Over the sea", "image": f"ipfs://{stored['image_cid']}",
                                         "attributes": [{"trait_type": "Mood", "value": "calm"}]}
    # The same input gives the same CIDs (deterministic metadata).
    again = upload(stack, headers, {"image": ("other-name.png", image), "name": "Sunset", "description": "Over the sea",
                                    "attributes": json.dumps([{"trait_type": "Mood", "value": "calm"}])}).json()
    assert again["metadata_cid"] == stored["metadata_cid"]

    prepared = stack.post_json("/api/nft/prepare-mint", {"token_uri": stored["token_uri"]}, headers)
    assert prepared.status == 200, prepared.body
    prepared = prepared.json()
    assert prepared["simulation"]["success"] is True
    assert prepared["tx"]["to"] == stack.deployments["SmartSonicNFT"]["address"]
    sent = stack.post_json("/api/tx/send", {"raw": sign(prepared)}, headers).json()
    final = stack.get(f"/api/tx/{sent['hash']}?wait=20&since=pending").json()
    assert final["status"] == "confirmed", final
    stack.wait_indexed()

    tokens = stack.get(f"/api/nft/{ALICE.address}").json()["tokens"]
    mine = [t for t in tokens if t["mint_transaction"] == sent["hash"]]
    assert len(mine) == 1
    token = mine[0]
    assert token["token_uri"] == stored["token_uri"] and token["name"] == "Sunset"
    assert token["image_url"] == f"/ipfs/{stored['image_cid']}"
    nft = stack.deployments["SmartSonicNFT"]["address"]
    data = "0x" + keccak(b"tokenURI(uint256)")[:4].hex() + format(int(token["token_id"]), "064x")
    raw = bytes.fromhex(stack.rpc("eth_call", {"to": nft, "data": data}, "latest")[2:])
    length = int.from_bytes(raw[32:64], "big")
    assert raw[64:64 + length].decode() == stored["token_uri"]
    assert stack.get(token["image_url"]).body == image


def test_cid_version_1_uses_raw_leaves(stack, headers):
    answer = upload(stack, headers, {"image": ("a.png", png(4, 4)), "name": "V1"}, "?cid_version=1")
    assert answer.status == 201, answer.body
    body = answer.json()
    assert body["image_cid"].startswith("bafkrei") and body["metadata_cid"].startswith("bafkrei")
    assert stack.get(f"/ipfs/{body['image_cid']}").body == png(4, 4)


def test_svg_is_served_sandboxed(stack, headers):
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script></svg>\n'
    answer = upload(stack, headers, {"image": ("x.svg", svg), "name": "<b>bold</b>"})
    assert answer.status == 201, answer.body
    served = stack.get(f"/ipfs/{answer.json()['image_cid']}")
    assert served.headers["Content-Type"] == "image/svg+xml"
    assert "sandbox" in served.headers["Content-Security-Policy"] and served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("fields, status, field, words", [
    ({"image": ("notes.png", b"just some text, named like a picture"), "name": "x"}, 415, "image", "not a PNG"),
    ({"image": ("cut.png", png()[:-20]), "name": "x"}, 422, "image", "cut short"),
    ({"image": ("a.png", png())}, 422, "name", "name is required"),
    ({"image": ("a.png", png()), "name": "x" * 101}, 422, "name", "at most 100"),
    ({"name": "x"}, 422, "image", "image is required"),
    ({"image": ("a.png", png()), "name": "x", "price": "1"}, 400, "price", "not a field"),
    ({"image": ("a.png", png()), "name": "x", "attributes": "{not json"}, 422, "attributes", "JSON array"),
])
def test_bad_uploads_are_refused_naming_the_field(stack, headers, fields, status, field, words):
    before = stored_files(stack)
    answer = upload(stack, headers, fields)
    assert answer.status == status, answer.body
    assert answer.json()["field"] == field and words in answer.json()["detail"]
    assert stored_files(stack) == before  # nothing left behind


def stored_files(stack):
    root = stack.dir / "var" / "ipfs"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_oversized_truncated_and_anonymous_uploads_are_refused(stack, headers):
    before = stored_files(stack)
    big = png() + b"\x00" * (10 * 1024 * 1024)
    answer = upload(stack, headers, {"image": ("big.png", big), "name": "x"})
    assert answer.status == 413 and answer.json()["field"] == "image"
    body, content_type = multipart({"image": ("a.png", png()), "name": "x"})
    cut = stack.request("POST", "/api/nft/assets", body[:-30], {**headers, "Content-Type": content_type})
    assert cut.status == 400 and "truncated" in cut.json()["detail"]
    anonymous = stack.request("POST", "/api/nft/assets", body, {"Content-Type": content_type, "Origin": stack.url})
    assert anonymous.status == 401
    assert stored_files(stack) == before


def test_the_upload_bound_is_on_the_whole_upload_and_nginx_keeps_larger_ones_away(stack, headers):
    """SONIC_NFT_MAX_BYTES (10 MB) bounds the image with its other fields: an upload of exactly
    that many bytes is stored; one byte more is refused by nginx by its length, with the API's
    problem document, and sonic-fcgi never reads it."""
    def sized(total):
        plain = png()
        body, content_type = multipart({"name": "Bound", "image": ("bound.png", plain)})
        padding = total - len(body)
        image = plain[:-12] + b"\x00" * padding + plain[-12:]  # still a whole PNG: IEND last
        body, content_type = multipart({"name": "Bound", "image": ("bound.png", image)})
        assert len(body) == total
        return body, content_type

    def uploads_answered():
        text = stack.get("/metrics").body.decode()
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("sonic_http_requests_total") and 'route="/api/nft/assets"' in line)

    body, content_type = sized(10 * 1024 * 1024)
    stored = stack.request("POST", "/api/nft/assets", body, {**headers, "Content-Type": content_type})
    assert stored.status == 201, stored.body
    before = uploads_answered()
    body, content_type = sized(10 * 1024 * 1024 + 1)
    refused = stack.request("POST", "/api/nft/assets", body, {**headers, "Content-Type": content_type})
    assert refused.status == 413 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["field"] == "image" and "at most 10 MB" in refused.json()["detail"]
    assert uploads_answered() == before


def test_prepare_mint_and_gateway_refusals(stack, headers):
    bad = stack.post_json("/api/nft/prepare-mint", {"token_uri": "javascript:alert(1)"}, headers)
    assert bad.status == 422 and bad.json()["field"] == "token_uri"
    assert stack.get("/ipfs/QmNotACid").status == 400
    assert stack.get("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o").status == 404
    assert stack.get("/ipfs/..%2F..%2Fetc%2Fpasswd").status in (400, 404)
    assert b"root:" not in stack.get("/ipfs/..%2F..%2Fetc%2Fpasswd").body
