// Dashboard: the network and balance cards (status.js), the premium line and the latest
// transactions of the connected address, from the indexer. All inserted as text.

import "./status.js";
import { api, el, shortAddress } from "./api.js";
import { onChange } from "./wallet.js";

const premium = document.getElementById("premium-line");
const list = document.getElementById("activity");
const empty = document.getElementById("activity-empty");
const VERBS = { in: "Received", out: "Sent", self: "Moved" };

async function loadPremium(address) {
  try {
    const status = await api(`/subscription/${address}`);
    premium.textContent = status.active
      ? `Active until ${new Date(status.expires_at_iso).toLocaleDateString()}.`
      : `Not active. ${status.price} S per ${status.period_days} days.`;
    premium.className = status.active ? "status-ok" : "";
  } catch (error) {
    premium.textContent = `Unavailable: ${error.message}`;
    premium.className = "status-bad";
  }
}

async function loadActivity(address) {
  try {
    const page = await api(`/history/${address}?limit=5`);
    list.replaceChildren(...page.entries.map((entry) => el("li", {},
      el("span", {}, `${VERBS[entry.direction]} ${entry.token_id ? `${entry.token} #${entry.token_id}` : `${entry.amount} ${entry.token}`}`,
        entry.counterparty ? ` · ${shortAddress(entry.counterparty)}` : ""),
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
