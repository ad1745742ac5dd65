// Network card: reads /api/health and shows the chain id and the latest block: on load, when the
// person presses Refresh, and when the address's feed brings news (no timer: an open tab does
// not ask the node every few seconds). Balance card: the native coin and the known tokens of the
// connected address (short, exact on hover and copy; the symbol is the row's name), with a stale
// marker, and the balance over the last days drawn from the indexed history, read again the
// moment the feed says the address changed. Everything from the API is inserted as text.

import { api, el } from "./api.js";
import { cardState, failed } from "./card.js";
import { amountNode } from "./format.js";
import { onFeed } from "./live.js";
import { drawBalance } from "./pictures.js";
import { onChange } from "./wallet.js";

function show(id, text, className) {
  const element = document.getElementById(id);
  if (!element) return;
  element.textContent = text;
  if (className !== undefined) element.className = className;
}

/** Reads the service's health into the network card. */
export async function refreshHealth() {
  try {
    // A degraded service answers 503 with the same document, saying what is wrong.
    const health = await api("/health", { answers: [503] });
    show("chain-id", health.chain_id == null ? "unknown" : String(health.chain_id));
    show("block-height", health.block == null ? "unknown" : Number(health.block).toLocaleString("en-US"));
    if (health.status === "ok") {
      show("service-status", "All systems working", "status-ok");
    } else {
      const parts = [];
      if (health.rpc !== "ok") parts.push(health.rpc === "wrong_chain" ? "node serves another chain" : "node unreachable");
      if (health.database !== "ok") parts.push("database unavailable");
      show("service-status", `Degraded: ${parts.join(", ")}`, "status-bad");
    }
  } catch {
    show("service-status", "API unreachable", "status-bad");
  }
}

refreshHealth();
onFeed(() => refreshHealth());

const balanceList = document.getElementById("balance-list");
const balanceEmpty = document.getElementById("balance-empty");
const balanceMeta = document.getElementById("balance-meta");
const refreshButton = document.getElementById("balance-refresh");
const balanceChart = document.getElementById("balance-chart");
const balanceChartState = document.getElementById("balance-chart-state");
let shownFor = null;
// The S balance in US dollars at the network's S/USD feed, under the list (or why not known).
const balanceUsd = balanceList ? el("p", { id: "balance-usd", class: "muted", hidden: true }) : null;
if (balanceList) balanceList.after(balanceUsd);

// `amount` base units (a token of `decimals`) at `price` (GET /api/price): dollars with
// cents, rounded down, in integers ("1,234.56"); "under $0.01" for less than a cent.
function dollars(amount, decimals, price) {
  const scale = decimals + price.decimals - 2;
  const product = BigInt(amount) * BigInt(price.answer);
  const cents = scale >= 0 ? product / 10n ** BigInt(scale) : product * 10n ** BigInt(-scale);
  if (cents === 0n && BigInt(amount) > 0n) return "under $0.01";
  return `$${(cents / 100n).toLocaleString("en-US")}.${String(cents % 100n).padStart(2, "0")}`;
}

function showUsd(native, price) {
  balanceUsd.hidden = !price;
  if (!price) return;
  balanceUsd.textContent = price.known
    ? `Your ${native.symbol} is worth ${dollars(native.balance, native.decimals, price)} at $${price.usd} per ${native.symbol} (price of ${new Date(price.updated_at).toLocaleString("en-US")}).`
    : `Value in dollars not known: ${price.reason}.`;
}

async function loadBalance(address) {
  const tokens = document.body.dataset.tokens;
  if (balanceList.hidden) cardState(balanceEmpty, "loading", "Loading your balance…");
  try {
    const [data, price] = await Promise.all([api(`/balance/${address}${tokens ? `?tokens=${tokens}` : ""}`),
      api("/price").catch(() => null)]);
    // A token off the verified list is named by its contract: its symbol is only what it says.
    const name = (amount) => (amount.verified === false ? `${amount.symbol} (unverified token ${amount.address})` : amount.symbol);
    const rows = [data.native, ...data.tokens].flatMap((amount) => [el("dt", {}, name(amount)),
      el("dd", {}, amountNode(amount.balance, amount.decimals, null))]);
    balanceList.replaceChildren(...rows);
    balanceList.hidden = false;
    cardState(balanceEmpty, "ready");
    refreshButton.hidden = false;
    balanceMeta.textContent = data.stale
      ? `Stale: read ${Math.round(data.age_seconds)} s ago, the node is not answering.`
      : `At block ${data.block.toLocaleString("en-US")}.`;
    balanceMeta.className = data.stale ? "status-bad" : "muted";
    showUsd(data.native, price);
    if (balanceChart) drawBalance(balanceChart, balanceChartState, address, data.native.symbol);
  } catch (error) {
    if (balanceList.hidden) cardState(balanceEmpty, "error", failed("Balance", error));
    balanceMeta.textContent = balanceList.hidden ? "" : failed("Balance", error);
    balanceMeta.className = "status-bad";
  }
}

if (balanceList) {
  onChange((wallet) => {
    if (wallet.account && wallet.account !== shownFor) {
      shownFor = wallet.account;
      loadBalance(wallet.account);
    }
  });
  refreshButton.addEventListener("click", () => shownFor && loadBalance(shownFor));
  onFeed((changes, address) => {
    if (shownFor && address === shownFor.toLowerCase() && changes.some((change) => change.kind !== "alert")) loadBalance(shownFor);
  });
}
