// Dashboard: the network and balance cards (status.js), the premium line and the latest
// transactions of the connected address, from the indexer. All inserted as text.

import "./status.js";
import { api, el, shortAddress } from "./api.js";
import { onChange } from "./wallet.js";

const premium = document.getElementById("premium-line");
const list = document.getElementById("activity");
const empty = document.getElementById("activity-empty");
const VERBS = { in: "Received", out: "Sent", self: "Moved" };

// One line per entry, in words: what happened, not just what moved.
function describe(entry) {
  const amount = `${entry.amount} ${entry.token}`;
  switch (entry.type) {
    case "nft_mint": return entry.direction === "in" && entry.token_id && entry.token !== "S" ? `Received NFT #${entry.token_id}` : `Minted NFT${entry.token_id ? ` #${entry.token_id}` : ""}`;
    case "nft_transfer": return `${VERBS[entry.direction]} NFT #${entry.token_id}`;
    case "subscription": return `Bought premium for ${amount}`;
    case "contract_creation": return "Deployed a contract";
    case "contract_call": return entry.direction === "in" ? `Called by a contract (${entry.method || "call"})` : `Called ${entry.method || "a contract"}`;
    default: return `${VERBS[entry.direction]} ${amount}`;
  }
}

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
      el("span", {}, describe(entry), entry.counterparty ? ` · ${shortAddress(entry.counterparty)}` : ""),
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
