// History page: the indexed history of the connected (or any) address, newest first, with
// filters, "load older" through the API's keyset cursor, status pills, failures explained,
// explorer links and the CSV export. Everything from the API is inserted as text.

import { describeEntry } from "./activity.js";
import { api, apiURL, el, nativeSymbol, shortAddress } from "./api.js";
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

function row(entry, symbol) {
  const when = new Date(entry.time);
  const words = describeEntry(entry, symbol);
  const status = el("span", { class: `pill pill-${entry.status}` }, entry.status === "failed" ? "Failed" : "Confirmed");
  const hashLink = entry.explorer_url
    ? el("a", { href: entry.explorer_url, target: "_blank", rel: "noopener" }, "view")
    : el("span", { class: "mono muted", title: entry.hash }, shortAddress(entry.hash));
  return el("tr", { class: entry.status === "failed" ? "failed" : "" },
    el("td", { "data-label": "When" }, el("time", { datetime: entry.time, title: entry.time }, when.toLocaleString()), " ", hashLink),
    el("td", { "data-label": "What" }, words.what),
    el("td", { "data-label": "With", class: "mono", title: entry.counterparty || "" }, entry.counterparty ? shortAddress(entry.counterparty) : "—"),
    el("td", { "data-label": "Amount", class: "amount" }, words.amount),
    el("td", { "data-label": "Fee", class: "amount" }, words.fee || "—"),
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
  }
  const params = new URLSearchParams(query.params);
  params.set("limit", String(PAGE));
  if (cursor) params.set("cursor", cursor);
  meta.textContent = "Loading…";
  meta.className = "muted";
  try {
    // The history is the indexer's: it is shown even when the node cannot say the symbol.
    const [page, symbol] = await Promise.all([api(`/history/${query.address}?${params}`), nativeSymbol().catch(() => null)]);
    rows.append(...page.entries.map((entry) => row(entry, symbol)));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    table.hidden = rows.children.length === 0;
    const indexed = page.indexed_block == null ? "" : ` Indexed up to block ${page.indexed_block.toLocaleString("en-US")}.`;
    meta.textContent = rows.children.length === 0
      ? `Nothing yet for ${shortAddress(page.address)}.${indexed}`
      : `${rows.children.length} shown for ${shortAddress(page.address)}.${indexed}`;
  } catch (error) {
    meta.textContent = `History unavailable: ${error.message}`;
    meta.className = "status-bad";
  }
}

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
