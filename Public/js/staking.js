// Staking: the validators with their status, all the stake each has received and its
// commission (the same for every validator on Sonic), the connected address's stake and rewards
// with each, and its unstaked S waiting with the date each request opens (GET
// /api/staking/{address}, read on the chain at every load). Stake, stake more, claim, restake,
// unstake and withdraw each ask POST /api/staking/prepare for a previewed, simulated card
// (txcard.js: what, amount, fee, and the SFC's refusal in words before signing), signed in the
// wallet and followed to its final state; then the page reads its figures again. The address's
// feed (live.js) has them read again when something of the address is indexed.

import { api, el, nativeSymbol } from "./api.js";
import { cardState, failed } from "./card.js";
import { amountNode, exactTime } from "./format.js";
import { onFeed } from "./live.js";
import { transactionCard } from "./txcard.js";
import { onChange, state } from "./wallet.js";

const summaryState = document.getElementById("summary-state");
const summaryFacts = document.getElementById("summary-facts");
const validatorsState = document.getElementById("validators-state");
const validatorsTable = document.getElementById("validators-table");
const delegateForm = document.getElementById("delegate-form");
const delegateValidator = document.getElementById("delegate-validator");
const positions = document.getElementById("positions");
const positionsState = document.getElementById("positions-state");
const withdrawals = document.getElementById("withdrawals");
const withdrawalsState = document.getElementById("withdrawals-state");
let shownFor = null;
let symbol = "S";

const UNITS = [[86_400, "day"], [3_600, "hour"], [60, "minute"], [1, "second"]];

/** "1 hour", "14 days", "1 hour and 30 minutes": the two largest units of a period. */
function duration(seconds) {
  const parts = [];
  let left = seconds;
  for (const [size, name] of UNITS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
  }
  return parts.length ? parts.join(" and ") : "no time";
}

function say(line, text, bad = false) {
  line.textContent = text;
  line.className = bad ? "status-bad" : "muted";
}

// Asks the server for the delegator's call and shows its card in `holder`; after it confirms,
// the figures are read again.
async function prepare(body, holder, line) {
  if (!state.account) {
    say(line, "Connect your wallet first (top right).", true);
    return;
  }
  say(line, "Preparing…");
  try {
    const prepared = await api("/staking/prepare", { method: "POST", body: { from: state.account, ...body } });
    holder.replaceChildren(await transactionCard(prepared, { onConfirmed: () => load(state.account, true) }));
    say(line, "");
  } catch (error) {
    say(line, error.message, true);
  }
}

function showValidators(overview) {
  document.getElementById("validators-rows").replaceChildren(...overview.validators.map((validator) =>
    el("tr", { "data-validator": validator.id },
      el("td", { "data-label": "Validator" }, `Validator ${validator.id}`),
      el("td", { "data-label": "Status", class: validator.active ? "status-ok" : "status-bad" }, validator.status),
      el("td", { "data-label": "Total stake" }, amountNode(validator.stake, 18, symbol)),
      el("td", { "data-label": "Commission" }, `${overview.commission_percent} %`))));
  validatorsTable.hidden = false;
  const chosen = delegateValidator.value;
  delegateValidator.replaceChildren(...overview.validators.map((validator) =>
    el("option", { value: validator.id }, `Validator ${validator.id}${validator.active ? "" : ` (${validator.status})`}`)));
  if (chosen) delegateValidator.value = chosen;
  cardState(validatorsState, overview.validators.length ? "ready" : "empty", "No validators on this network.");
}

function showSummary(overview) {
  document.getElementById("summary-staked").replaceChildren(amountNode(overview.total_staked, 18, symbol));
  document.getElementById("summary-rewards").replaceChildren(amountNode(overview.total_pending_rewards, 18, symbol));
  document.getElementById("summary-epoch").textContent = Number(overview.epoch).toLocaleString("en-US");
  const period = overview.withdrawal_period;
  document.getElementById("summary-period").textContent =
    `${duration(period.seconds)} and ${period.epochs} epoch${period.epochs === 1 ? "" : "s"} from the request`;
  summaryFacts.hidden = false;
  cardState(summaryState, "ready");
}

// What a row keeps across readings (the amount typed, the card being confirmed), by its key.
const kept = new Map();

function controls(key) {
  if (!kept.has(key)) {
    kept.set(key, {
      amount: el("input", { inputmode: "decimal", autocomplete: "off", size: 8, placeholder: "10" }),
      line: el("p", { "aria-live": "polite" }),
      holder: el("div", { class: "position-card" }),
    });
  }
  return kept.get(key);
}

// One validator the address has stake or rewards with: the figures, an amount for staking more
// or unstaking, and the four actions; the card appears under the row.
function positionItem(position) {
  const validator = position.validator;
  const { amount, line, holder } = controls(`position ${validator}`);
  const act = (action, withAmount) => () => prepare({ action, validator, ...(withAmount ? { amount: amount.value.trim() } : {}) }, holder, line);
  return el("li", { "data-validator": validator },
    el("p", { class: "position-figures" }, el("strong", {}, `Validator ${validator}`), " · staked ",
      el("span", { class: "position-stake" }, amountNode(position.stake, 18, symbol)), " · rewards ",
      el("span", { class: "position-rewards" }, amountNode(position.pending_rewards, 18, symbol))),
    el("div", { class: "filters" },
      el("label", {}, `Amount (S) with validator ${validator}`, amount),
      el("button", { type: "button", class: "button secondary", onclick: act("delegate", true) }, "Stake more"),
      el("button", { type: "button", class: "button secondary", onclick: act("undelegate", true) }, "Unstake"),
      el("button", { type: "button", class: "button secondary", onclick: act("claim", false) }, "Claim rewards"),
      el("button", { type: "button", class: "button secondary", onclick: act("restake", false) }, "Restake rewards")),
    line, holder);
}

// A withdrawal request: its amount, when it was made, and when it opens; Withdraw is enabled
// only once both the time and the epoch have come on the chain's clock.
function withdrawalItem(request) {
  const opens = exactTime(new Date(request.opens_at));
  const { line, holder } = controls(`request ${request.validator} ${request.wr_id}`);
  const said = `opens-${request.validator}-${request.wr_id}`;
  const button = el("button", { type: "button", class: "button", disabled: !request.open, "aria-describedby": said,
    onclick: () => prepare({ action: "withdraw", validator: request.validator, wr_id: request.wr_id }, holder, line) }, "Withdraw");
  return el("li", { "data-validator": request.validator, "data-request": request.wr_id },
    el("p", {}, amountNode(request.amount, 18, symbol), ` from validator ${request.validator} (request ${request.wr_id}), unstaked on `,
      exactTime(new Date(request.requested_at)), ` in epoch ${request.requested_epoch}`),
    el("p", { id: said, class: request.open ? "status-ok opens" : "muted opens" },
      request.open ? `Open since ${opens}: it can be withdrawn now.` : `Opens on ${opens}, once epoch ${request.opens_epoch} has begun.`),
    el("div", { class: "actions" }, button), line, holder);
}

async function load(address, quiet = false) {
  if (!quiet) {
    if (summaryFacts.hidden) cardState(summaryState, "loading", "Loading your stake…");
    if (validatorsTable.hidden) cardState(validatorsState, "loading", "Loading the validators…");
    if (!positions.children.length) cardState(positionsState, "loading", "Loading your stake…");
    if (!withdrawals.children.length) cardState(withdrawalsState, "loading", "Loading your requests…");
  }
  try {
    const [overview, native] = await Promise.all([api(`/staking/${address}`), nativeSymbol()]);
    symbol = native;
    showValidators(overview);
    showSummary(overview);
    positions.replaceChildren(...overview.positions.map(positionItem));
    if (overview.positions.length) cardState(positionsState, "ready");
    else cardState(positionsState, "empty", "You stake nothing yet: choose a validator above.");
    withdrawals.replaceChildren(...overview.withdrawals.map(withdrawalItem));
    if (overview.withdrawals.length) cardState(withdrawalsState, "ready");
    else cardState(withdrawalsState, "empty", "Nothing unstaked is waiting.");
  } catch (error) {
    for (const line of [summaryState, positionsState, withdrawalsState]) cardState(line, "error", failed("Staking", error));
    if (validatorsTable.hidden) cardState(validatorsState, "error", failed("Validators", error));
  }
}

delegateForm.addEventListener("submit", (event) => {
  event.preventDefault();
  prepare({ action: "delegate", validator: Number(delegateValidator.value), amount: document.getElementById("delegate-amount").value.trim() },
    document.getElementById("delegate-card"), document.getElementById("delegate-state"));
});
document.getElementById("staking-refresh").addEventListener("click", () => shownFor && load(shownFor, true));

onChange((wallet) => {
  if (wallet.account && wallet.account !== shownFor) {
    shownFor = wallet.account;
    load(wallet.account);
  }
});

onFeed((changes, address) => {
  if (shownFor && address === shownFor.toLowerCase() && changes.some((change) => change.kind !== "alert")) load(shownFor, true);
});
