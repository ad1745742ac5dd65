"""NFT uploads pinned to kubo and to Pinata once minted (never at upload: issue 18), against
local fakes that check the request shape each service documents (kubo RPC:
https://docs.ipfs.tech/reference/kubo/rpc/ ; Pinata: https://docs.pinata.cloud/api-reference) and
answer the CID `ipfs_cid` computes, or a wrong one when told to."""

import json
import subprocess
import tempfile
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from fakes import JSONHandler, serve
from siwe import session_headers
from stack import Stack, wait_until
from test_nft import png, sign, upload

JWT = "eyJhbGciOiJIUzI1NiJ9.fake-pinata-token.sig"


def cid_of(data: bytes) -> str:
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        return json.loads(subprocess.run(["ipfs_cid", file.name], capture_output=True, check=True).stdout)["CIDv0"]


def form_parts(headers, body: bytes) -> dict:
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + headers["Content-Type"].encode() + b"\r\n\r\n" + body)
    assert message.is_multipart(), "not multipart/form-data"
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True) for part in message.iter_parts()}


class Fake(JSONHandler):
    calls: list
    problems: list
    wrong: bool


class FakeKubo(Fake):
    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = self.body()
        type(self).calls.append((url.path, query))
        if url.path == "/api/v0/add":
            if query.get("cid-version") != "0" or "file" not in form_parts(self.headers, body):
                type(self).problems.append(("add", query))
                return self.answer(400, {"Message": "bad request", "Code": 0, "Type": "error"})
            data = form_parts(self.headers, body)["file"]
            cid = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" if type(self).wrong else cid_of(data)
            return self.answer(200, {"Name": "image", "Hash": cid, "Size": str(len(data))})
        if url.path == "/api/v0/pin/add" and query.get("arg", "").startswith("Qm"):
            return self.answer(200, {"Pins": [query["arg"]]})
        type(self).problems.append((url.path, query))
        self.answer(404, {"Message": "unknown command"})


class FakePinata(Fake):
    def do_POST(self):
        body = self.body()
        type(self).calls.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {JWT}":
            type(self).problems.append(("auth", self.headers.get("Authorization")))
            return self.answer(401, {"error": "Invalid authentication"})
        if self.path == "/pinning/pinFileToIPFS":
            parts = form_parts(self.headers, body)
            if "file" not in parts or json.loads(parts.get("pinataOptions", b"{}")).get("cidVersion") != 0:
                type(self).problems.append(("file", list(parts)))
                return self.answer(400, {"error": "bad request"})
            data = parts["file"]
        elif self.path == "/pinning/pinJSONToIPFS":
            request = json.loads(body)
            if "pinataContent" not in request:
                type(self).problems.append(("json", list(request)))
                return self.answer(400, {"error": "bad request"})
            # As Pinata stores it: the content serialized compactly, in the order sent.
            data = json.dumps(request["pinataContent"], separators=(",", ":"), ensure_ascii=False).encode()
        else:
            type(self).problems.append(("path", self.path))
            return self.answer(404, {"error": "not found"})
        cid = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" if type(self).wrong else cid_of(data)
        self.answer(200, {"IpfsHash": cid, "PinSize": len(data), "Timestamp": "2026-11-27T10:00:00Z"})


def reset(handler):
    handler.calls, handler.problems, handler.wrong = [], [], False
    return serve(handler)


@pytest.fixture(scope="module")
def pinned_stack(tmp_path_factory):
    kubo, kubo_url = reset(FakeKubo)
    pinata, pinata_url = reset(FakePinata)
    stack = Stack(tmp_path_factory.mktemp("pinning")).start(contracts=True, sync=True)
    stack.stop_fcgi()
    stack.start_fcgi(SONIC_KUBO_API_URL=kubo_url, SONIC_PINATA_URL=pinata_url, SONIC_PINATA_JWT=JWT)
    yield stack
    stack.stop()
    kubo.shutdown()
    pinata.shutdown()


def mint(stack, headers, token_uri):
    prepared = stack.post_json("/api/nft/prepare-mint", {"token_uri": token_uri}, headers)
    assert prepared.status == 200, prepared.body
    sent = stack.post_json("/api/tx/send", {"raw": sign(prepared.json())}, headers).json()
    assert stack.get(f"/api/tx/{sent['hash']}?wait=20&since=pending").json()["status"] == "confirmed"


def fcgi_log(stack):
    return (Path(stack.dir) / "var/log/sonic-fcgi.log").read_text()


def test_uploads_are_pinned_to_kubo_and_pinata_with_equal_cids_once_minted(pinned_stack):
    headers = session_headers(pinned_stack)
    answer = upload(pinned_stack, headers, {"image": ("a.png", png(5, 5)), "name": 'Quote " name', "description": "é"})
    assert answer.status == 201, answer.body
    body = answer.json()
    assert body["pinned"] == ["local"]
    assert FakeKubo.calls == [] and FakePinata.calls == []  # nothing paid for before the mint
    mint(pinned_stack, headers, body["token_uri"])
    wait_until(lambda: len(FakePinata.calls) == 2, 30, "the minted upload pinned to Pinata")
    assert FakeKubo.problems == [] and FakePinata.problems == []
    assert [path for path, _ in FakeKubo.calls] == ["/api/v0/add", "/api/v0/pin/add", "/api/v0/add", "/api/v0/pin/add"]
    assert FakeKubo.calls[1][1]["arg"] == body["image_cid"] and FakeKubo.calls[3][1]["arg"] == body["metadata_cid"]
    assert FakePinata.calls == ["/pinning/pinFileToIPFS", "/pinning/pinJSONToIPFS"]
    wait_until(lambda: f"{body['metadata_cid']} (minted) pinned to the kubo node, Pinata" in fcgi_log(pinned_stack), 10, "the pinning logged")
    assert JWT not in fcgi_log(pinned_stack)


def test_a_different_cid_is_reported_as_a_mismatch(pinned_stack):
    headers = session_headers(pinned_stack)
    FakePinata.wrong = True
    try:
        answer = upload(pinned_stack, headers, {"image": ("b.png", png(6, 6)), "name": "Mismatch"})
        assert answer.status == 201 and answer.json()["pinned"] == ["local"]
        mint(pinned_stack, headers, answer.json()["token_uri"])
        wait_until(lambda: "Pinata answered QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" in fcgi_log(pinned_stack), 30, "the mismatch logged")
    finally:
        FakePinata.wrong = False
    line = next(line for line in fcgi_log(pinned_stack).splitlines() if "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG" in line)
    assert "Pinning mismatch" in line and "trying again in 600 s" in line and JWT not in line
