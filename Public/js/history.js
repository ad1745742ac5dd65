// History page: the indexed history of the connected (or any) address, newest first, with
// filters, "load older" through the API's keyset cursor, status pills, failures explained,
// explorer links and the CSV export; above them, the address's activity by day. Figures are
// written by format.js (short, exact on hover and copy). When the page shows the connected
// address, what the feed (live.js) reports is added at the top the moment it is indexed, and a
// row whose state changed is replaced; a transaction of the address replaced in the wallet
// meanwhile gets a row saying so (replaced.js). Everything from the API is inserted as text.

import { describeEntry } from "./activity.js";
import { api, apiURL, el, nativeSymbol } from "./api.js";
import { cardState, failed } from "./card.js";
import { addressNode, amountNode, shortAddress, timeNode } from "./format.js";
import { onFeed } from "./live.js";
import { drawActivity } from "./pictures.js";
import { onReplaced } from "./replaced.js";
import { onChange } from "./wallet.js";

const form = document.getElementById("history-form");
const addressInput = document.getElementById("history-address");
const rows = document.getElementById("history-rows");
const table = document.getElementById("history-table");
const meta = document.getElementById("history-meta");
const more = document.getElementById("history-more");
const csv = document.getElementById("history-csv");
const PAGE = 25;
let query = null;
let cursor = null;

function filters() {
  const params = new URLSearchParams();
  for (const name of ["direction", "type", "token"]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

// One entry of a transaction: the same transaction may move S and a token, or two tokens.
function entryKey(entry) {
  return [entry.hash, entry.type, entry.direction, entry.token_address || entry.nft_contract || "", entry.token_id || ""].join(":");
}

function row(entry, symbol) {
  const words = describeEntry(entry, symbol);
  const status = el("span", { class: `pill pill-${entry.status}` }, entry.status === "failed" ? "Failed" : "Confirmed");
  const hashLink = entry.explorer_url
    ? el("a", { href: entry.explorer_url, target: "_blank", rel: "noopener", "aria-label": `Transaction ${entry.hash} on the explorer` }, "view")
    : el("span", { class: "mono muted", title: entry.hash }, shortAddress(entry.hash));
  // A call or a deployment that moved no value has no amount to show.
  const still = entry.amount_wei === "0" && (entry.type === "contract_call" || entry.type === "contract_creation");
  const moved = words.amount || (still ? "—" : amountNode(entry.amount_wei, entry.token_decimals, entry.token, { direction: entry.direction }));
  return el("tr", { class: entry.status === "failed" ? "failed" : "", "data-key": entryKey(entry), "data-status": entry.status },
    el("td", { "data-label": "When" }, timeNode(entry.time), " ", hashLink),
    el("td", { "data-label": "What" }, words.what),
    el("td", { "data-label": "With" }, entry.counterparty ? addressNode(entry.counterparty) : "—"),
    el("td", { "data-label": "Amount" }, moved),
    el("td", { "data-label": "Fee" }, entry.fee_wei ? amountNode(entry.fee_wei, 18, symbol, { context: "readable" }) : "—"),
    el("td", { "data-label": "Status" }, status, entry.reason ? el("div", { class: "reason" }, entry.reason) : null));
}

async function load(reset) {
  if (reset) {
    const address = addressInput.value.trim();
    query = { address, params: filters() };
    cursor = null;
    rows.replaceChildren();
    const exportParams = new URLSearchParams(query.params);
    exportParams.set("format", "csv");
    csv.href = apiURL(`/history/${address}?${exportParams}`);
    csv.hidden = false;
    drawActivity(document.getElementById("activity-chart"), document.getElementById("activity-chart-state"), address);
  }
  const params = new URLSearchParams(query.params);
  params.set("limit", String(PAGE));
  if (cursor) params.set("cursor", cursor);
  cardState(meta, "loading", "Loading…");
  try {
    // The history is the indexer's: it is shown even when the node cannot say the symbol.
    const [page, symbol] = await Promise.all([api(`/history/${query.address}?${params}`), nativeSymbol().catch(() => null)]);
    rows.append(...page.entries.map((entry) => row(entry, symbol)));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    table.hidden = rows.children.length === 0;
    sayShown(page);
  } catch (error) {
    cardState(meta, "error", failed("History", error));
  }
}

// How many rows are shown, and how far the index has come, under the filters.
function sayShown(page) {
  const indexed = page.indexed_block == null ? "" : ` Indexed up to block ${page.indexed_block.toLocaleString("en-US")}.`;
  if (rows.children.length === 0) cardState(meta, "empty", `Nothing yet for ${shortAddress(page.address)}.${indexed}`);
  else cardState(meta, "note", `${rows.children.length} shown for ${shortAddress(page.address)}.${indexed}`);
}

// The newest page again: entries not shown yet go on top (newest first), changed ones are replaced.
async function refreshTop() {
  const params = new URLSearchParams(query.params);
  params.set("limit", String(PAGE));
  try {
    const [page, symbol] = await Promise.all([api(`/history/${query.address}?${params}`), nativeSymbol().catch(() => null)]);
    const shown = new Map([...rows.children].map((tr) => [tr.dataset.key, tr]));
    const fresh = [];
    for (const entry of page.entries) {
      const old = shown.get(entryKey(entry));
      if (!old) fresh.push(row(entry, symbol));
      else if (old.dataset.status !== entry.status) old.replaceWith(row(entry, symbol));
    }
    if (!fresh.length) return;
    rows.prepend(...fresh);
    table.hidden = false;
    sayShown(page);
    drawActivity(document.getElementById("activity-chart"), document.getElementById("activity-chart-state"), query.address);
  } catch (error) {
    cardState(meta, "error", failed("History", error));
  }
}

onFeed((changes, address) => {
  if (query && query.address.toLowerCase() === address && changes.some((change) => change.kind !== "alert")) refreshTop();
});

// A transaction replaced in the wallet was never mined: its row says what took its place.
onReplaced((hash, text, state, address) => {
  if (!query || query.address.toLowerCase() !== address) return;
  const shown = rows.querySelector(`tr[data-key="${hash}:replaced"]`);
  if (shown) {
    shown.children[1].textContent = text;  // its time stays the time it was replaced
    return;
  }
  rows.prepend(el("tr", { class: "replaced", "data-key": `${hash}:replaced`, "data-status": state },
    el("td", { "data-label": "When" }, timeNode(Date.now() / 1000), " ", el("span", { class: "mono muted", title: hash }, shortAddress(hash))),
    el("td", { "data-label": "What" }, text),
    el("td", { "data-label": "With" }, "—"),
    el("td", { "data-label": "Amount" }, "—"),
    el("td", { "data-label": "Fee" }, "—"),
    el("td", { "data-label": "Status" }, el("span", { class: `pill pill-${state}` }, state === "cancelled" ? "Cancelled" : "Replaced"))));
  table.hidden = false;
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (form.reportValidity()) load(true);
});
more.addEventListener("click", () => load(false));
onChange((wallet) => {
  if (wallet.account && !addressInput.value) {
    addressInput.value = wallet.account;
    load(true);
  }
});
