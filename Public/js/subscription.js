// Premium: the connected address's subscription (active, expiry, price), and buying or
// extending it by N months through the wallet, previewed first, followed to its final state;
// the time left drawn as a bar; and what Premium buys, in the figures the server is configured
// with (GET /api/plans), so no number is written twice.

import { api, el, nativeSymbol } from "./api.js";
import { cardState, failed } from "./card.js";
import { amountNode, exactTime, readableAmount, relativeTime } from "./format.js";
import { premiumBar } from "./pictures.js";
import { transactionCard } from "./txcard.js";
import { onChange, state } from "./wallet.js";

const empty = document.getElementById("premium-empty");
const facts = document.getElementById("premium-facts");
const form = document.getElementById("premium-form");
const monthsInput = document.getElementById("premium-months");
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

// Exact: the price in wei times the months, an integer, formatted by format.js.
function showTotal() {
  if (price === null) return;
  const months = Number(monthsInput.value);
  total.textContent = `${months} × ${readableAmount(price)} ${symbol} = ${readableAmount(price * BigInt(months))} ${symbol}, plus the network fee.`;
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
  if (facts.hidden) cardState(empty, "loading", "Loading your subscription…");
  try {
    const [status, native] = await Promise.all([api(`/subscription/${address}`), nativeSymbol()]);
    symbol = native;
    price = BigInt(status.price_wei);
    expiresAt = status.expires_at;
    cardState(empty, "ready");
    facts.hidden = false;
    show("premium-state", status.paused ? "Sales are paused" : status.active ? "Active" : "Not active", status.active ? "status-ok" : "muted");
    const expiry = document.getElementById("premium-expiry");
    if (status.expires_at) {
      const end = Number(status.expires_at) * 1000;
      expiry.replaceChildren(`${exactTime(end)} (${relativeTime(end)})`);
    } else {
      expiry.replaceChildren("—");
    }
    document.getElementById("premium-price").replaceChildren(amountNode(status.price_wei, 18, symbol), ` per ${status.period_days} days`);
    premiumBar(document.getElementById("premium-bar"), status);
    showTotal();
  } catch (error) {
    cardState(empty, "error", failed("Subscription", error));
  }
}

// A limit of 0 is none at all.
function allowance(value, unit) {
  return value === 0 ? "no limit" : `${value.toLocaleString("en-US")} ${unit}`;
}

async function loadPlans() {
  const line = document.getElementById("plans-state");
  try {
    const plans = await api("/plans");
    const rows = [
      ["Alerts", (plan) => (plan.alerts === 0 ? "none" : `${plan.alerts}`)],
      ["Alerts sent to a webhook", (plan) => (plan.webhooks ? "yes" : "no")],
      ["Requests to the API", (plan) => allowance(plan.requests_per_minute, "a minute")],
      ["Agent's language-model help", (plan) => allowance(plan.model_calls_per_day, "messages a day")],
    ];
    document.getElementById("plans-rows").replaceChildren(...rows.map(([name, say]) =>
      el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, say(plans.signed_in)), el("td", {}, say(plans.premium)))));
    document.getElementById("plans-table").hidden = false;
    cardState(line, "ready");
  } catch (error) {
    cardState(line, "error", failed("The plans", error));
  }
}

loadPlans();
monthsInput.addEventListener("change", showTotal);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!state.account) {
    total.textContent = "Connect your wallet first (top right).";
    total.className = "status-bad";
    return;
  }
  try {
    const prepared = await api("/subscription/prepare", { method: "POST", body: { from: state.account, months: Number(monthsInput.value) } });
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
