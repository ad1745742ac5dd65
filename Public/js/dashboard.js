// Dashboard: the network and balance cards (status.js), the premium line and the latest
// transactions of the connected address, from the indexer. All inserted as text.

import "./status.js";
import { describeEntry } from "./activity.js";
import { api, el, nativeSymbol, shortAddress } from "./api.js";
import { onChange } from "./wallet.js";

const premium = document.getElementById("premium-line");
const list = document.getElementById("activity");
const empty = document.getElementById("activity-empty");

async function loadPremium(address) {
  try {
    const [status, symbol] = await Promise.all([api(`/subscription/${address}`), nativeSymbol()]);
    premium.textContent = status.active
      ? `Active until ${new Date(status.expires_at_iso).toLocaleDateString()}.`
      : `Not active. ${status.price} ${symbol} per ${status.period_days} days.`;
    premium.className = status.active ? "status-ok" : "";
  } catch (error) {
    premium.textContent = `Unavailable: ${error.message}`;
    premium.className = "status-bad";
  }
}

async function loadActivity(address) {
  try {
    // The history is the indexer's: it is shown even when the node cannot say the symbol.
    const [page, symbol] = await Promise.all([api(`/history/${address}?limit=5`), nativeSymbol().catch(() => null)]);
    list.replaceChildren(...page.entries.map((entry) => el("li", {},
      el("span", {}, describeEntry(entry, symbol).sentence, entry.counterparty ? ` · ${shortAddress(entry.counterparty)}` : ""),
      el("span", { class: entry.status === "failed" ? "status-bad" : "muted" },
        entry.status === "failed" ? `Failed: ${entry.reason}` : new Date(entry.time).toLocaleString()))));
    empty.hidden = page.entries.length > 0;
    empty.textContent = "No transactions yet.";
  } catch (error) {
    empty.hidden = false;
    empty.textContent = `Activity unavailable: ${error.message}`;
  }
}

let shownFor = null;
onChange((wallet) => {
  if (wallet.account && wallet.account !== shownFor) {
    shownFor = wallet.account;
    loadPremium(wallet.account);
    loadActivity(wallet.account);
  }
});
