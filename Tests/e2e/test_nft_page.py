"""The NFT creator in a real browser: pick, preview, upload (CIDs shown, equal to ipfs_cid's),
mint through the wallet with live status, and the gallery; wrong files refused before upload;
hostile text shown as text."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, Stack

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Integration"))
from test_nft import png  # noqa: E402


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("e2e-nft")).start(contracts=True, sync=True)
    yield running
    running.stop()


def test_pick_upload_mint_and_see_it_in_the_gallery(stack, wallet_page, wallet, tmp_path):
    wallet_page.goto(stack.url + "/")
    wallet_page.get_by_role("button", name="Connect wallet").click()
    expect(wallet_page.locator("#wallet-status")).to_have_text("Signed in", timeout=10_000)
    dialogs = []
    wallet_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    wallet_page.get_by_role("navigation").get_by_role("link", name="NFT").click()

    image = png(16, 16, (250, 120, 30))
    wallet_page.get_by_label("Picture").set_input_files({"name": "sunset.png", "mimeType": "image/png", "buffer": image})
    expect(wallet_page.locator("#nft-preview")).to_be_visible()
    expect(wallet_page.locator("#nft-file-note")).to_contain_text("sunset.png")
    wallet_page.get_by_label("Name").fill("Sunset")
    wallet_page.get_by_label("Description").fill("<img src=x onerror=alert(1)> at sea")
    wallet_page.get_by_role("button", name="Upload").click()
    expect(wallet_page.locator("#nft-status")).to_contain_text("Stored by content", timeout=10_000)
    (tmp_path / "sunset.png").write_bytes(image)
    reference = json.loads(subprocess.run(["ipfs_cid", str(tmp_path / "sunset.png")], capture_output=True, check=True).stdout)["CIDv0"]
    expect(wallet_page.locator("#nft-image-cid")).to_have_text(reference)

    wallet_page.get_by_role("button", name="Prepare the mint").click()
    expect(wallet_page.locator(".action-card .summary")).to_contain_text("Mint an NFT with metadata ipfs://", timeout=10_000)
    wallet_page.get_by_role("button", name="Confirm in wallet").click()
    expect(wallet_page.locator(".tx-status")).to_contain_text("Confirmed in block", timeout=20_000)
    assert "eth_sendTransaction" in wallet.calls
    item = wallet_page.locator("#gallery .nft").filter(has_text="Sunset")
    expect(item).to_have_count(1, timeout=15_000)
    expect(item.locator("img")).to_have_attribute("src", f"/ipfs/{reference}")
    token_uri = wallet_page.locator("#nft-token-uri").text_content()
    expect(item.locator(".token-uri")).to_have_text(token_uri)
    assert token_uri.startswith("ipfs://Qm")
    wallet_page.wait_for_function("document.querySelector('#gallery img') && document.querySelector('#gallery img').naturalWidth === 16")
    ARTIFACTS.mkdir(exist_ok=True)
    wallet_page.screenshot(path=str(ARTIFACTS / "nft.png"), full_page=True)
    # The description held markup with a script handler: shown as text, nothing ran.
    assert dialogs == [] and not [m for m in wallet_page.console_messages if "Content Security Policy" in m]


def test_a_file_that_is_not_a_picture_is_refused_before_upload(stack, page):
    page.goto(stack.url + "/nft")
    page.get_by_label("Picture").set_input_files({"name": "notes.png", "mimeType": "text/plain", "buffer": b"hello"})
    expect(page.locator("#nft-file-note")).to_have_text("notes.png is not a PNG, JPEG, GIF, WebP or SVG picture.")
    expect(page.locator("#nft-preview")).to_be_hidden()
    page.get_by_label("Name").fill("x")
    page.get_by_role("button", name="Upload").click()
    assert not page.evaluate("document.getElementById('nft-image').validity.valid")


def test_the_chat_opens_the_creator_with_the_name_it_heard(stack, page):
    page.goto(stack.url + "/chat")
    page.get_by_label("Message").fill("mint this picture as an NFT called Sunset")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_role("link", name="Open the NFT creator").click()
    expect(page.get_by_label("Name")).to_have_value("Sunset")
