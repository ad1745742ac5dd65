// The chat with the agent: messages as text, then every card of the reply in order; a
// transaction card has its own Confirm (the wallet signs and sends) and Cancel, then its
// status followed by long-poll until it is final. Beside the answer about gas, the network's
// base fee over its last blocks.

import { api, el } from "./api.js";
import { drawFees } from "./pictures.js";
import { transactionCard } from "./txcard.js";
import { state } from "./wallet.js";

const list = document.getElementById("messages");
const form = document.getElementById("chat-form");
const input = document.getElementById("chat-input");
let conversation = sessionStorage.getItem("sonic.conversation") || undefined;

function add(role, ...content) {
  const item = el("li", { class: `message ${role}` }, ...content);
  list.append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

async function cardNode(card) {
  if (card.kind === "transaction") return transactionCard(card.prepared);
  if (card.kind === "open_history") return el("p", {}, el("a", { href: "/history" }, "Open the History page"));
  if (card.kind === "open_nft_creator") {
    const params = new URLSearchParams();
    if (card.name) params.set("name", card.name);
    if (card.description) params.set("description", card.description);
    const href = params.size ? `/nft?${params}` : "/nft";
    return el("p", {}, el("a", { href }, "Open the NFT creator"), " to pick the picture, name it and mint it.");
  }
  return null;  // a kind this page does not know: shown as before, not at all
}

async function ask(text) {
  add("user", text);
  const pending = add("agent", "…");
  try {
    const answer = await api("/agent", { method: "POST", body: { message: text, conversation } });
    conversation = answer.conversation;
    sessionStorage.setItem("sonic.conversation", conversation);
    pending.replaceChildren(el("p", {}, answer.reply));
    if (answer.sources) pending.append(el("p", { class: "muted" }, `Source: ${answer.sources.map((s) => s.title).join(", ")}`));
    if (answer.intent === "gas_price") {
      const chart = el("div", { class: "fee-chart" });
      const line = el("p", { class: "card-state muted" });
      pending.append(line, chart);
      drawFees(chart, line);
    }
    // Every card of the reply, in order, each with its own Confirm/Cancel and status.
    for (const card of answer.cards) {
      const node = await cardNode(card);
      if (node) pending.append(node);
    }
  } catch (error) {
    pending.replaceChildren(el("p", { class: "status-bad" }, error.message));
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  ask(text);
});

for (const chip of document.querySelectorAll(".chip")) chip.addEventListener("click", () => ask(chip.textContent));
if (!state.account) add("agent", "Hi! Connect your wallet (top right) so I can check your balance and prepare transfers for you to sign.");
