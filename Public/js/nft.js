// NFT creator: pick a picture (previewed; type and size checked before upload), name and
// describe it, upload it (stored by content: the CIDs are shown), mint it through the wallet
// with live status, and a gallery of the address's NFTs from the indexer.

import { api, el } from "./api.js";
import { cardState, failed } from "./card.js";
import { exactTime, relativeTime } from "./format.js";
import { transactionCard } from "./txcard.js";
import { onChange, state } from "./wallet.js";

const TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];
const MAX_BYTES = 10 * 1024 * 1024;
const form = document.getElementById("nft-form");
const file = document.getElementById("nft-image");
const note = document.getElementById("nft-file-note");
const preview = document.getElementById("nft-preview");
const status = document.getElementById("nft-status");
const cids = document.getElementById("nft-cids");
const mint = document.getElementById("nft-mint");
const mintCard = document.getElementById("nft-mint-card");
const gallery = document.getElementById("gallery");
const galleryMeta = document.getElementById("gallery-meta");
let tokenURI = null;

// The chat sends people here with what they said: "mint this as an NFT called Sunset".
const asked = new URLSearchParams(location.search);
if (asked.get("name")) form.elements.name.value = asked.get("name").slice(0, 100);
if (asked.get("description")) form.elements.description.value = asked.get("description").slice(0, 1000);

function say(text, bad = false) {
  status.textContent = text;
  status.className = bad ? "status-bad" : "muted";
}

function chosenProblem(chosen) {
  if (!chosen) return "Choose a picture.";
  if (!TYPES.includes(chosen.type)) return `${chosen.name} is not a PNG, JPEG, GIF, WebP or SVG picture.`;
  if (chosen.size > MAX_BYTES) return `${chosen.name} is ${(chosen.size / 1048576).toFixed(1)} MB; at most 10 MB.`;
  return null;
}

file.addEventListener("change", () => {
  const chosen = file.files[0];
  const problem = chosenProblem(chosen);
  file.setCustomValidity(problem || "");
  preview.hidden = true;
  if (problem) {
    note.textContent = problem;
    note.className = "status-bad";
    return;
  }
  note.textContent = `${chosen.name}, ${(chosen.size / 1024).toFixed(1)} KB`;
  note.className = "muted";
  const reader = new FileReader();
  reader.onload = () => { preview.src = reader.result; preview.hidden = false; };
  reader.readAsDataURL(chosen);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) return;
  if (!state.signedIn) {
    say("Sign in with your wallet (top right) to upload.", true);
    return;
  }
  const data = new FormData();
  data.append("image", file.files[0]);
  data.append("name", form.elements.name.value.trim());
  data.append("description", form.elements.description.value.trim());
  say("Uploading…");
  try {
    const stored = await api("/nft/assets", { method: "POST", body: data });
    tokenURI = stored.token_uri;
    document.getElementById("nft-image-cid").textContent = stored.image_cid;
    document.getElementById("nft-metadata-cid").textContent = stored.metadata_cid;
    document.getElementById("nft-token-uri").textContent = stored.token_uri;
    cids.hidden = false;
    mint.hidden = false;
    say(`Stored by content (${stored.pinned.join(", ")}). Now mint it.`);
  } catch (error) {
    say(`Not uploaded: ${error.message}`, true);
  }
});

mint.addEventListener("click", async () => {
  mint.disabled = true;
  try {
    const prepared = await api("/nft/prepare-mint", { method: "POST", body: { token_uri: tokenURI } });
    mintCard.replaceChildren(await transactionCard(prepared, { onConfirmed: (hash) => showMinted(hash) }));
  } catch (error) {
    say(`Cannot mint: ${error.message}`, true);
  } finally {
    mint.disabled = false;
  }
});

for (const button of document.querySelectorAll(".copy")) {
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
  });
}

// The gallery comes from the indexer, which may be a block behind the confirmation: look again
// until the new token is there (or give up after a while).
async function showMinted(hash) {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const tokens = await loadGallery(state.account);
    if (tokens && tokens.some((token) => token.mint_transaction === hash)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function loadGallery(address) {
  if (!gallery.childElementCount) cardState(galleryMeta, "loading", "Loading your NFTs…");
  try {
    const answer = await api(`/nft/${address}`);
    gallery.replaceChildren(...answer.tokens.map((token) => el("li", { class: "nft" },
      token.image_url ? el("img", { src: token.image_url, alt: token.name || `Token ${token.token_id}`, loading: "lazy" }) : null,
      el("p", { class: "nft-name" }, token.name || "Untitled"),
      el("p", { class: "muted" }, `#${token.token_id}`, token.minted_at
        ? [" · minted ", el("time", { datetime: token.minted_at, title: exactTime(token.minted_at) }, relativeTime(token.minted_at))] : null),
      token.token_uri ? el("p", { class: "mono muted token-uri", title: token.token_uri }, token.token_uri) : null)));
    if (answer.tokens.length) cardState(galleryMeta, "note", `${answer.tokens.length} NFT${answer.tokens.length === 1 ? "" : "s"}.`);
    else cardState(galleryMeta, "empty", "No NFTs yet.");
    return answer.tokens;
  } catch (error) {
    cardState(galleryMeta, "error", failed("Gallery", error));
    return null;
  }
}

let shownFor = null;
onChange((wallet) => {
  if (wallet.account && wallet.account !== shownFor) {
    shownFor = wallet.account;
    loadGallery(wallet.account);
  }
});
