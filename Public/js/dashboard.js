// Dashboard: the network card (status.js) with the gas price and the fee of the last blocks, the
// balance card (status.js) with the staked S and rewards to claim, the premium line and time
// left, the latest transactions of the connected address, from the indexer, and the alerts card
// (alerts.js). The address's feed (live.js) has them read again the moment something of the
// address is indexed or changes state; a transaction of the address replaced in the wallet
// meanwhile is listed on top as replaced or cancelled, and how the new one went (replaced.js).
// The network card is read on load, on Refresh and with the feed. All inserted as text.

import "./alerts.js";
import { refreshHealth } from "./status.js";
import { describeEntry } from "./activity.js";
import { api, el, nativeSymbol } from "./api.js";
import { cardState, failed } from "./card.js";
import { addressNode, amountNode, dayText, gweiText, relativeTime, timeNode } from "./format.js";
import { onFeed } from "./live.js";
import { drawFees, premiumBar } from "./pictures.js";
import { onReplaced } from "./replaced.js";
import { onChange } from "./wallet.js";

const premium = document.getElementById("premium-line");
const bar = document.getElementById("premium-bar");
const list = document.getElementById("activity");
const empty = document.getElementById("activity-empty");
const gas = document.getElementById("gas-price");
/** Transactions of the address replaced while the page is open, by hash: their list items, newest first. */
const replaced = new Map();

async function loadFees() {
  try {
    const facts = await api("/network");
    gas.textContent = gweiText(facts.gas_price_wei);
  } catch {
    gas.textContent = "unknown";
  }
  await drawFees(document.getElementById("fee-chart"), document.getElementById("fee-state"));
}

// `quiet`: read again for the feed, the line kept as it is until the answer.
async function loadPremium(address, quiet = false) {
  if (!quiet) cardState(premium, "loading", "Loading your subscription…");
  try {
    const [status, symbol] = await Promise.all([api(`/subscription/${address}`), nativeSymbol()]);
    if (status.active) {
      const end = Number(status.expires_at) * 1000;
      premium.replaceChildren(`Active until ${dayText(end)} (${relativeTime(end)}).`);
      premium.className = "card-state status-ok";
      premium.hidden = false;
    } else {
      premium.replaceChildren("Not active. ", amountNode(status.price_wei, 18, symbol), ` per ${status.period_days} days.`);
      premium.className = "card-state state-empty";
      premium.hidden = false;
    }
    premium.closest(".card").setAttribute("aria-busy", "false");
    premiumBar(bar, status);
  } catch (error) {
    cardState(premium, "error", failed("Subscription", error));
  }
}

// The balance card's staked S and rewards to claim (GET /api/staking/{address}, read on the chain).
async function loadStaking(address) {
  const line = document.getElementById("staking-state");
  try {
    const [overview, symbol] = await Promise.all([api(`/staking/${address}`), nativeSymbol()]);
    document.getElementById("staked").replaceChildren(amountNode(overview.total_staked, 18, symbol));
    document.getElementById("staking-rewards").replaceChildren(amountNode(overview.total_pending_rewards, 18, symbol));
    document.getElementById("staking-facts").hidden = false;
    line.hidden = true;
  } catch (error) {
    line.textContent = failed("Staking", error);
    line.className = "card-state status-bad";
    line.hidden = false;
  }
}

function activityItem(entry, symbol) {
  const words = describeEntry(entry, symbol);
  const moved = entry.token_id ? el("span", {}, words.amount)
    : amountNode(entry.amount_wei, entry.token_decimals, entry.token, { direction: entry.direction });
  return el("li", { "data-hash": entry.hash },
    el("span", { class: "activity-what" }, words.sentence, entry.counterparty ? [" · ", addressNode(entry.counterparty)] : null),
    el("span", { class: "activity-when" }, entry.status === "failed" ? el("span", { class: "status-bad" }, `Failed: ${entry.reason} · `) : null,
      moved, " · ", timeNode(entry.time)));
}

async function loadActivity(address) {
  if (!list.children.length) cardState(empty, "loading", "Loading your latest transactions…");
  try {
    // The history is the indexer's: it is shown even when the node cannot say the symbol.
    const [page, symbol] = await Promise.all([api(`/history/${address}?limit=5`), nativeSymbol().catch(() => null)]);
    list.replaceChildren(...[...replaced.values()].reverse(), ...page.entries.map((entry) => activityItem(entry, symbol)));
    if (list.children.length) cardState(empty, "ready");
    else cardState(empty, "empty", "No transactions yet.");
  } catch (error) {
    cardState(empty, "error", failed("Activity", error));
  }
}

loadFees();
document.getElementById("network-refresh").addEventListener("click", () => { refreshHealth(); loadFees(); });

let shownFor = null;
onChange((wallet) => {
  if (wallet.account && wallet.account !== shownFor) {
    shownFor = wallet.account;
    replaced.clear();
    loadPremium(wallet.account);
    loadActivity(wallet.account);
    loadStaking(wallet.account);
  }
});

onReplaced((hash, text, state) => {
  const item = replaced.get(hash) || el("li", { "data-hash": hash, class: "replaced" });
  item.replaceChildren(el("span", { class: "activity-what" }, text), el("span", { class: "activity-when muted" }, state === "cancelled" ? "Cancelled" : "Replaced"));
  if (!replaced.has(hash)) {
    replaced.set(hash, item);
    list.prepend(item);
    cardState(empty, "ready");
  }
});

onFeed((changes, address) => {
  loadFees();
  if (!shownFor || address !== shownFor.toLowerCase() || changes.every((change) => change.kind === "alert")) return;
  loadActivity(shownFor);
  loadPremium(shownFor, true);
  loadStaking(shownFor);
});
