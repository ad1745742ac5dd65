// Premium: the connected address's subscription (active, expiry, price), and buying or
// extending it by N months through the wallet, previewed first, followed to its final state.

import { api, nativeSymbol } from "./api.js";
import { transactionCard } from "./txcard.js";
import { onChange, state } from "./wallet.js";

const empty = document.getElementById("premium-empty");
const facts = document.getElementById("premium-facts");
const form = document.getElementById("premium-form");
const months = document.getElementById("premium-months");
const total = document.getElementById("premium-total");
const card = document.getElementById("premium-card");
let price = null;
let symbol = null;
let expiresAt = null;

function show(id, text, className) {
  const element = document.getElementById(id);
  element.textContent = text;
  if (className !== undefined) element.className = className;
}

// Exact: the price in wei times the months, formatted from the integer (no floating point).
function formatWei(wei) {
  const digits = wei.toString().padStart(19, "0");
  const whole = digits.slice(0, -18).replace(/^0+(?=\d)/, "");
  const fraction = digits.slice(-18).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

function showTotal() {
  if (price === null) return;
  total.textContent = `${months.value} × ${formatWei(price)} ${symbol} = ${formatWei(price * BigInt(months.value))} ${symbol}, plus the network fee.`;
}

// After a confirmed purchase: read the status again until its expiry has moved (the server may
// answer from its short cache for a moment), at most for a few seconds.
async function loadAfterPurchase(address) {
  const before = expiresAt;
  const deadline = Date.now() + 5000;
  await load(address);
  while (expiresAt === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await load(address);
  }
}

async function load(address) {
  try {
    const [status, native] = await Promise.all([api(`/subscription/${address}`), nativeSymbol()]);
    symbol = native;
    price = BigInt(status.price_wei);
    expiresAt = status.expires_at;
    empty.hidden = true;
    facts.hidden = false;
    show("premium-state", status.paused ? "Sales are paused" : status.active ? "Active" : "Not active", status.active ? "status-ok" : "muted");
    show("premium-expiry", status.expires_at_iso ? new Date(status.expires_at_iso).toLocaleString() : "—");
    show("premium-price", `${status.price} ${symbol} per ${status.period_days} days`);
    showTotal();
  } catch (error) {
    empty.hidden = false;
    empty.textContent = `Subscription unavailable: ${error.message}`;
    empty.className = "status-bad";
  }
}

months.addEventListener("change", showTotal);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.account) {
    total.textContent = "Connect your wallet first (top right).";
    total.className = "status-bad";
    return;
  }
  try {
    const prepared = await api("/subscription/prepare", { method: "POST", body: { from: state.account, months: Number(months.value) } });
    card.replaceChildren(await transactionCard(prepared, { onConfirmed: () => loadAfterPurchase(state.account) }));
  } catch (error) {
    total.textContent = error.message;
    total.className = "status-bad";
  }
});

let shownFor = null;
onChange((wallet) => {
  if (wallet.account && wallet.account !== shownFor) {
    shownFor = wallet.account;
    load(wallet.account);
  }
});
