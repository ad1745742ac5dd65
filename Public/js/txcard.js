// A prepared transaction as a card: summary, recipient, fee and simulation, with Confirm (the
// person's wallet signs and sends) and Cancel; then its status followed by long-poll until final.

import { api, el, nativeSymbol, shortAddress } from "./api.js";
import { explorerLink, sendTransaction } from "./wallet.js";

async function follow(hash, line, symbol) {
  let since = "pending";
  for (let round = 0; round < 20 && since === "pending"; round += 1) {
    try {
      const status = await api(`/tx/${hash}?wait=30&since=${since}`);
      since = status.status;
      if (since === "confirmed") line.textContent = `Confirmed in block ${status.block}; fee ${status.fee} ${symbol}.`;
      else if (since === "failed") line.textContent = `Failed: ${status.reason}. The fee (${status.fee} ${symbol}) was still paid.`;
      else if (since === "dropped") line.textContent = `Dropped: ${status.reason}`;
      else line.textContent = "Pending…";
      line.className = `tx-status status-${since === "confirmed" ? "ok" : since === "pending" ? "pending" : "bad"}`;
    } catch (error) {
      line.textContent = `Could not check the status: ${error.message}. Retrying…`;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
  return since;
}

// Resolves once the native symbol is known (the network is asked once per page).
export async function transactionCard(prepared, { onConfirmed } = {}) {
  const tx = prepared.tx;
  const symbol = await nativeSymbol();
  const status = el("p", { class: "tx-status", "aria-live": "polite" });
  const confirm = el("button", { type: "button", class: "button" }, "Confirm in wallet");
  const cancel = el("button", { type: "button", class: "button secondary" }, "Cancel");
  const node = el("div", { class: "action-card" },
    el("p", { class: "summary" }, prepared.summary),
    el("dl", { class: "facts" },
      el("dt", {}, "To"), el("dd", { class: "mono" }, tx.to),
      el("dt", {}, "Fee"), el("dd", {}, `about ${prepared.fee.estimated} ${symbol} (at most ${prepared.fee.max} ${symbol})`),
      el("dt", {}, "Simulation"), el("dd", {}, prepared.simulation.success ? "succeeds" : `fails: ${prepared.simulation.reason}`)),
    el("div", { class: "actions" }, confirm, cancel), status);
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    cancel.disabled = true;
    status.textContent = "Waiting for your wallet…";
    try {
      const hash = await sendTransaction(tx);
      await api("/tx/track", { method: "POST", body: { hash } });
      const link = explorerLink(hash);
      node.append(el("p", { class: "mono" }, "Transaction ", link ? el("a", { href: link, rel: "noopener" }, shortAddress(hash)) : hash));
      status.textContent = "Pending…";
      const final = await follow(hash, status, symbol);
      if (final === "confirmed" && onConfirmed) onConfirmed(hash);
    } catch (error) {
      status.textContent = error.code === 4001 ? "You declined in your wallet; nothing was sent." : `Not sent: ${error.message}`;
      status.className = "tx-status status-bad";
      confirm.disabled = false;
      cancel.disabled = false;
    }
  });
  cancel.addEventListener("click", () => {
    node.replaceChildren(el("p", { class: "muted" }, "Cancelled. Nothing was sent."));
  });
  return node;
}
