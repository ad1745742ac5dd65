// Swap: S, wS, the tokens the network lists (GET /api/network) and those the connected address
// holds (GET /api/tokens/{address}); a quote (POST /api/swap/quote: expected and minimum
// received, price impact, route, the pools' fee) taken again whenever an input changes and again
// before preparing when it is older than a few seconds; the swap prepared with the minimum the
// person saw (POST /api/swap/prepare), its approval card first when the router may not spend
// enough (for the exact amount unless "every token" is ticked, with a warning), then the swap's
// card once the approval is confirmed. S to wS and back is wrapping. Below, the allowances the
// address gave (GET /api/allowances/{address}), each open one with Revoke. Amounts are integer
// base units from the API, formatted by format.js.

import { api, el, network, shortAddress } from "./api.js";
import { cardState, failed } from "./card.js";
import { addressNode, amountNode } from "./format.js";
import { onFeed } from "./live.js";
import { transactionCard } from "./txcard.js";
import { onChange, state } from "./wallet.js";

/** A quote older than this is taken again before preparing. */
const QUOTE_MAX_AGE_MS = 5_000;
const QUOTE_DELAY_MS = 300;

const form = document.getElementById("swap-form");
const tokenIn = document.getElementById("swap-in");
const tokenOut = document.getElementById("swap-out");
const amountInput = document.getElementById("swap-amount");
const slippageInput = document.getElementById("swap-slippage");
const unlimited = document.getElementById("swap-unlimited");
const quoteState = document.getElementById("quote-state");
const quoteFacts = document.getElementById("quote-facts");
const prepareState = document.getElementById("swap-prepare-state");
const holder = document.getElementById("swap-card");
const approvals = document.getElementById("approvals");
const approvalsState = document.getElementById("approvals-state");

// The choices by their value ("S", or the token's address): symbol, decimals, balance if known.
const choices = new Map();
let shownFor = null;
let quote = null;  // { body, answer, at }
let asked = 0;
let timer = null;

function say(line, text, bad = false) {
  line.textContent = text;
  line.className = bad ? "status-bad" : "muted";
}

/** The request's token fields and amount as the inputs hold them now. */
function inputs() {
  return { token_in: tokenIn.value, token_out: tokenOut.value, amount: amountInput.value.trim(), slippage: slippageInput.value.trim() || "0.5" };
}

function sameInputs(a, b) {
  return a.token_in === b.token_in && a.token_out === b.token_out && a.amount === b.amount && a.slippage === b.slippage;
}

// S first, then the network's tokens, then the address's own; a symbol shared by two (or a
// token off the verified list) is named with its address.
function fillChoices(native, listed, held) {
  choices.clear();
  choices.set("S", { symbol: native.symbol, decimals: 18, balance: native.balance ?? null, verified: true });
  for (const token of listed) choices.set(token.address, { symbol: token.symbol, decimals: token.decimals, balance: null, verified: token.verified });
  for (const holding of held) {
    const known = choices.get(holding.token.address);
    if (known) known.balance = holding.balance;
    else choices.set(holding.token.address, { symbol: holding.token.symbol, decimals: holding.token.decimals, balance: holding.balance, verified: holding.token.verified });
  }
  const counts = new Map();
  for (const choice of choices.values()) counts.set(choice.symbol, (counts.get(choice.symbol) || 0) + 1);
  const options = () => [...choices].map(([value, choice]) => el("option", { value },
    value === "S" || (choice.verified && counts.get(choice.symbol) === 1) ? choice.symbol
      : `${choice.symbol} (${choice.verified ? "" : "unverified, "}${shortAddress(value)})`));
  const [chosenIn, chosenOut] = [tokenIn.value, tokenOut.value];
  tokenIn.replaceChildren(...options());
  tokenOut.replaceChildren(...options());
  tokenIn.value = choices.has(chosenIn) ? chosenIn : "S";
  tokenOut.value = choices.has(chosenOut) ? chosenOut : [...choices.keys()].find((value) => value !== tokenIn.value) || "S";
  showBalance();
}

function showBalance() {
  const line = document.getElementById("swap-balance");
  const choice = choices.get(tokenIn.value);
  unlimited.disabled = tokenIn.value === "S";
  if (!choice || choice.balance === null || choice.balance === undefined) {
    line.textContent = "";
    return;
  }
  line.replaceChildren("You have ", amountNode(choice.balance, choice.decimals, choice.symbol), ".");
}

async function loadTokens(address) {
  try {
    const [facts, holdings] = await Promise.all([network(), api(`/tokens/${address}`)]);
    fillChoices(holdings.native, facts.tokens || [], holdings.tokens);
    cardState(document.getElementById("swap-state"), "ready");
  } catch (error) {
    cardState(document.getElementById("swap-state"), "error", failed("Your tokens", error));
  }
}

// Where the quote comes from when an aggregator was asked beside the router: " via KyberSwap
// (router: 12.3 SUSD)", each other source's figure or why it gave none.
function compared(answer) {
  const others = (answer.compared || []).filter((other) => other.source !== answer.source);
  if (others.length === 0) return [];
  const out = answer.token_out;
  return [` via ${answer.source === "router" ? "the router" : answer.source} (`,
    ...others.flatMap((other, index) => [index ? "; " : "", `${other.source}: `,
      other.expected_out == null ? `none, ${other.problem}` : amountNode(other.expected_out, out.decimals, out.symbol)]), ")"];
}

function showQuote(answer) {
  const out = answer.token_out;
  document.getElementById("quote-expected").replaceChildren(amountNode(answer.expected_out, out.decimals, out.symbol));
  document.getElementById("quote-minimum").replaceChildren(amountNode(answer.minimum_out, out.decimals, out.symbol),
    answer.kind === "swap" ? ` (slippage ${answer.slippage_percent} %)` : "");
  // An aggregator's quote has no pool of the router's to measure its impact by, and its fees are in its price.
  document.getElementById("quote-impact").textContent = answer.price_impact_percent == null ? "not known for this route"
    : `${answer.price_impact_percent} %`;
  document.getElementById("quote-route").replaceChildren(answer.kind === "swap" ? answer.route.join(" → ")
    : `${answer.kind === "wrap" ? "Wrap" : "Unwrap"} through wS, one for one`, ...compared(answer));
  document.getElementById("quote-fee").replaceChildren(...(answer.fees.length
    ? answer.fees.flatMap((fee, index) => [index ? " + " : "",
      amountNode(fee.amount, fee.token === answer.token_in.symbol ? answer.token_in.decimals : 18, fee.token)])
    : [answer.source === "router" || answer.kind !== "swap" ? "none" : `in ${answer.source}'s price`]));
  quoteFacts.hidden = false;
  document.getElementById("swap-prepare").textContent = { swap: "Prepare the swap", wrap: "Prepare the wrap", unwrap: "Prepare the unwrap" }[answer.kind];
}

// Quotes what the inputs say now; an answer to inputs changed meanwhile is dropped.
async function takeQuote() {
  const body = inputs();
  if (!body.amount) {
    quote = null;
    quoteFacts.hidden = true;
    cardState(quoteState, "empty", "Enter an amount for a quote.");
    return null;
  }
  const mine = ++asked;
  cardState(quoteState, "loading", "Quoting…");
  try {
    const answer = await api("/swap/quote", { method: "POST", body: { ...body, ...(state.account ? { from: state.account } : {}) } });
    if (mine !== asked) return null;
    quote = { body, answer, at: Date.now() };
    showQuote(answer);
    cardState(quoteState, "ready");
    return quote;
  } catch (error) {
    if (mine !== asked) return null;
    quote = null;
    quoteFacts.hidden = true;
    cardState(quoteState, "error", error.message);
    return null;
  }
}

function inputsChanged() {
  showBalance();
  document.getElementById("swap-unlimited-warning").hidden = !unlimited.checked || unlimited.disabled;
  clearTimeout(timer);
  timer = setTimeout(takeQuote, QUOTE_DELAY_MS);
}

// The quote the person sees, taken again when it is older than a few seconds or for other inputs;
// then the swap (or its approval first) prepared with that quote's minimum.
async function prepareSwap() {
  let current = quote;
  if (!current || !sameInputs(current.body, inputs()) || Date.now() - current.at > QUOTE_MAX_AGE_MS) current = await takeQuote();
  if (!current) return;
  const { body, answer } = current;
  say(prepareState, "Preparing…");
  try {
    const prepared = await api("/swap/prepare", { method: "POST", body: {
      from: state.account, ...body, unlimited_approval: unlimited.checked && body.token_in !== "S",
      ...(answer.kind === "swap" ? { minimum_out: answer.minimum_out } : {}),
    } });
    say(prepareState, prepared.approval_needed
      ? `First allow the router to spend your ${answer.token_in.symbol}; the swap is prepared once the approval is confirmed.` : "");
    const card = prepared.approval_needed
      ? await transactionCard(prepared.approval, { onConfirmed: () => { loadApprovals(state.account); prepareSwap(); } })
      : await transactionCard(prepared.transaction, { onConfirmed: () => { loadTokens(state.account); takeQuote(); } });
    holder.append(card);
  } catch (error) {
    say(prepareState, error.message, true);
  }
}

function approvalItem(entry, symbolOf) {
  const { token, spender } = entry;
  const open = entry.allowance !== null && entry.allowance !== "0";
  const key = `${token.address} ${spender.address}`;
  if (!revoking.has(key)) revoking.set(key, { line: el("p", { "aria-live": "polite" }), card: el("div", { class: "position-card" }) });
  const { line, card } = revoking.get(key);
  const revoke = el("button", { type: "button", class: "button secondary", onclick: async () => {
    say(line, "Preparing…");
    try {
      const prepared = await api("/allowances/revoke", { method: "POST", body: { from: state.account, token: token.address, spender: spender.address } });
      card.replaceChildren(await transactionCard(prepared, { onConfirmed: () => loadApprovals(state.account) }));
      say(line, "");
    } catch (error) {
      say(line, error.message, true);
    }
  } }, "Revoke");
  const amount = entry.allowance === null ? "an amount the token did not say"
    : entry.unlimited ? `all your ${symbolOf(token)}, without limit` : amountNode(entry.allowance, token.decimals, symbolOf(token));
  return el("li", { "data-token": token.address, "data-spender": spender.address },
    el("p", {}, spender.name ? el("strong", {}, spender.name) : "A contract", " ", addressNode(spender.address),
      open ? [" may spend ", amount] : ` may spend no ${symbolOf(token)} now (revoked or spent)`),
    open ? el("div", { class: "actions" }, revoke) : null, line, card);
}

// Each allowance's line and card, kept when the list is drawn again (a revoke on its way stays).
const revoking = new Map();

async function loadApprovals(address) {
  if (!approvals.children.length) cardState(approvalsState, "loading", "Loading your approvals…");
  try {
    const answer = await api(`/allowances/${address}`);
    const symbolOf = (token) => (token.verified ? token.symbol : `${token.symbol} (unverified token ${token.address})`);
    approvals.replaceChildren(...answer.allowances.map((entry) => approvalItem(entry, symbolOf)));
    if (answer.allowances.length) cardState(approvalsState, "ready");
    else cardState(approvalsState, "empty", "You have allowed no one to spend your tokens.");
  } catch (error) {
    cardState(approvalsState, "error", failed("Approvals", error));
  }
}

for (const input of [tokenIn, tokenOut, amountInput, slippageInput]) input.addEventListener("input", inputsChanged);
unlimited.addEventListener("change", inputsChanged);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!state.account) {
    say(prepareState, "Connect your wallet first (top right).", true);
    return;
  }
  holder.replaceChildren();
  prepareSwap();
});

onChange((wallet) => {
  if (wallet.account && wallet.account !== shownFor) {
    shownFor = wallet.account;
    loadTokens(wallet.account);
    loadApprovals(wallet.account);
  }
});

onFeed((changes, address) => {
  if (!shownFor || address !== shownFor.toLowerCase() || changes.every((change) => change.kind === "alert")) return;
  loadTokens(shownFor);
  loadApprovals(shownFor);
});

// Signed out, the network's tokens can still be quoted.
network().then((facts) => { if (!choices.size) fillChoices({ symbol: facts.symbol }, facts.tokens || [], []); }).catch(() => {});
