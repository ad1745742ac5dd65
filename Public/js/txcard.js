// A prepared transaction as a card: summary, recipient, fee and simulation, what to weigh
// before signing (an unlimited allowance, an unverified token), with Confirm (the
// person's wallet signs and sends) and Cancel; then its status followed by long-poll until final,
// and a notice (notices.js) when it settles.

import { api, el, nativeSymbol } from "./api.js";
import { addressNode, amountNode, feeNode, shortAddress } from "./format.js";
import { notify } from "./notices.js";
import { followThrough, isReplaced, replacedText } from "./replaced.js";
import { explorerLink, sendTransaction } from "./wallet.js";

// Follows the sent transaction to its end, through a replacement the wallet made of it (a
// speed-up or a cancel); resolves to the final state ("cancelled" when a cancel went through)
// and the hash it is of (the new one's after a replacement).
async function follow(hash, line, symbol) {
  const [last, replaced] = await followThrough(hash, (status, first) => {
    const before = first ? `${replacedText(first)} ` : "";
    const state = status.status;
    const fee = () => feeNode(status.fee_wei, symbol, status.gas_used ? BigInt(status.fee_wei) / BigInt(status.gas_used) : null);
    if (isReplaced(status) && status.replaced_by) line.textContent = `${before}Waiting for it…`;
    else if (state === "confirmed") line.replaceChildren(`${before}Confirmed in block ${Number(status.block).toLocaleString("en-US")}; fee `, fee(), ".");
    else if (state === "failed") line.replaceChildren(`${before}Failed: ${status.reason}. The fee (`, fee(), ") was still paid.");
    else if (state === "dropped") line.textContent = `${before}Dropped: ${status.reason}`;
    else if (isReplaced(status)) line.textContent = replacedText(status);
    else line.textContent = `${before}Pending…`;
    const tone = state === "confirmed" ? "ok" : state === "pending" || (isReplaced(status) && status.replaced_by) ? "pending" : "bad";
    line.className = `tx-status status-${tone}`;
  }, { onError: (error) => { line.textContent = `Could not check the status: ${error.message}. Retrying…`; } });
  const final = last && !(isReplaced(last) && last.replaced_by) ? last.status : "pending";
  return [replaced?.status === "cancelled" && final === "confirmed" ? "cancelled" : final, last?.hash || hash];
}

// What each warning code of a prepared transfer means (RecipientWarning in the app).
const WARNINGS = {
  zero_address: "This is the zero address: nobody owns it, and coins sent there can never be recovered.",
  burn_address: "This is a burn address: nobody can spend from it, and coins sent there can never be recovered.",
  token_contract: "This is a token's own contract, not a wallet: coins sent there are stuck and cannot be recovered.",
  our_contract: "This is one of Smart Sonic's contracts, not a wallet: coins sent there cannot be recovered.",
  precompile: "This is a precompiled contract of the network, not a wallet: coins sent there can never be recovered.",
  system_contract: "This is one of the network's own contracts (the SFC or the node driver), not a wallet: a plain transfer does not stake and cannot be recovered.",
};

// A transfer to a recipient the coins cannot come back from: its warnings, and a box the
// person ticks before Confirm is enabled.
function acknowledgement(warnings, confirm) {
  if (!warnings || warnings.length === 0) return [];
  const box = el("input", { type: "checkbox" });
  confirm.disabled = true;
  box.addEventListener("change", () => { confirm.disabled = !box.checked; });
  return [
    ...warnings.map((code) => el("p", { class: "status-bad", role: "alert" }, WARNINGS[code] || `Warning: ${code}`)),
    el("label", { class: "acknowledge" }, box, " I understand these coins cannot be recovered."),
  ];
}

// Dollars as the preview gives them ("1.25", cents rounded down): "$1.25", or "under $0.01".
const dollars = (text) => (text === "0.00" ? "under $0.01" : `$${text}`);

// The preview's S and fee in US dollars at the feed's price, or why they are not known.
function usdText(usd, sends, symbol) {
  if (!usd) return "not known";
  if (!usd.known) return `not known: ${usd.reason}`;
  const value = sends ? `${dollars(usd.value)} sent; ` : "";
  const most = usd.fee_max === usd.fee_estimated ? "" : ` (at most ${dollars(usd.fee_max)})`;
  return `${value}fee ${dollars(usd.fee_estimated)}${most}, at $${usd.price} per ${symbol}`;
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
      el("dt", {}, "To"), el("dd", {}, addressNode(tx.to, { full: true })),
      ...(BigInt(tx.value) > 0n ? [el("dt", {}, "Amount"), el("dd", {}, amountNode(BigInt(tx.value), 18, symbol, { context: "readable" }))] : []),
      el("dt", {}, "Fee"), el("dd", {}, "about ", feeNode(prepared.fee.estimated_wei, symbol), " (at most ",
        feeNode(prepared.fee.max_wei, symbol, BigInt(tx.maxFeePerGas)), ")"),
      el("dt", {}, "In USD"), el("dd", { class: "usd" }, usdText(prepared.usd, BigInt(tx.value) > 0n, symbol)),
      el("dt", {}, "Simulation"), el("dd", {}, prepared.simulation.success ? "succeeds" : `fails: ${prepared.simulation.reason}`)),
    ...(prepared.notices || []).map((notice) => el("p", { class: "status-bad", "data-notice": notice.code }, notice.message)),
    ...acknowledgement(prepared.warnings, confirm),
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
      // Keyed by the hash that settled: the feed's notice of the same transfer is not said twice
      // (a cancel is news of its own, beside the feed's word on the cancelling transaction).
      const [final, settled] = await follow(hash, status, symbol);
      if (final === "confirmed") notify(settled, `Confirmed: ${prepared.summary}`, "ok");
      else if (final === "cancelled") notify(hash, `Cancelled in your wallet: ${prepared.summary}. Nothing was sent.`, "info");
      else if (final !== "pending") notify(settled, `${prepared.summary}: ${status.textContent}`, "bad");
      if (final === "confirmed" && onConfirmed) onConfirmed(hash);
    } catch (error) {
      status.textContent = error.code === 4001 ? "You declined in your wallet; nothing was sent." : `Not sent: ${error.message}`;
      status.className = "tx-status status-bad";
      confirm.disabled = Boolean(prepared.warnings?.length) && !node.querySelector(".acknowledge input")?.checked;
      cancel.disabled = false;
    }
  });
  cancel.addEventListener("click", () => {
    node.replaceChildren(el("p", { class: "muted" }, "Cancelled. Nothing was sent."));
  });
  return node;
}
