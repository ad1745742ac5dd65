// The alerts card (dashboard, signed in): the person's alerts with Remove, a form to add one
// (anything or S above an amount arriving, a transaction of theirs failing, Premium ending
// within N days, a large amount of S leaving; a webhook URL for subscribers), the API's field
// errors shown beside the field at fault, and the log of what the alerts delivered, read again
// when the feed (live.js) says one went off. Also the switch for browser notifications, asked
// for only on a click. Everything from the API is inserted as text.

import { api, el } from "./api.js";
import { cardState, failed } from "./card.js";
import { balanceAmount, timeNode } from "./format.js";
import { onFeed } from "./live.js";
import { backgroundOn, turnBackgroundOn } from "./notices.js";
import { onChange } from "./wallet.js";

const stateLine = document.getElementById("alerts-state");
const body = document.getElementById("alerts-body");
const list = document.getElementById("alert-list");
const count = document.getElementById("alerts-count");
const form = document.getElementById("alert-form");
const formState = document.getElementById("alert-form-state");
const secretLine = document.getElementById("alert-secret");
const log = document.getElementById("alert-log");
const logState = document.getElementById("alert-log-state");
const notifyButton = document.getElementById("notify-background");
const FIELDS = ["kind", "minimum", "days", "webhook_url"];
const RECHECK_MS = 5_000;
let signedIn = false;
let recheck = null;

// Which fields each kind takes (the API's rules, docs/alerts.md).
const KIND_FIELDS = { incoming: ["minimum"], failed: [], premium_ending: ["days"], large_outgoing: ["minimum"] };

/** An alert in words: "S arriving, at least 2.5 S", "Premium ends within 7 days". */
export function describeAlert(alert) {
  const least = alert.minimum_wei ? `${balanceAmount(alert.minimum_wei)} S` : null;
  switch (alert.kind) {
    case "incoming": return least ? `S arriving, at least ${least}` : "Anything arriving";
    case "failed": return "A transaction of yours fails";
    case "premium_ending": return `Premium ends within ${alert.days} day${alert.days === 1 ? "" : "s"}`;
    case "large_outgoing": return `At least ${least} leaving`;
    default: return alert.kind;
  }
}

function field(name) { return form.elements[name]; }
function errorLine(name) { return document.getElementById(`alert-${name.replace("_", "-")}-error`); }

function clearErrors() {
  for (const name of FIELDS) {
    field(name).removeAttribute("aria-invalid");
    errorLine(name).hidden = true;
  }
  formState.textContent = "";
}

// A problem naming a field is said beside it; any other under the form.
function showError(error) {
  const name = FIELDS.includes(error.field) ? error.field : null;
  if (name) {
    const line = errorLine(name);
    line.textContent = error.detail || error.message;
    line.hidden = false;
    field(name).setAttribute("aria-invalid", "true");
    field(name).focus();
  } else {
    formState.textContent = error.message;
    formState.className = "status-bad";
  }
}

function showKindFields() {
  const wanted = KIND_FIELDS[field("kind").value];
  for (const name of ["minimum", "days"]) field(name).closest(".field").hidden = !wanted.includes(name);
  field("minimum").required = field("kind").value === "large_outgoing";
}

async function loadAlerts() {
  try {
    const answer = await api("/alerts");
    list.replaceChildren(...answer.alerts.map((alert) => {
      const words = describeAlert(alert);
      const remove = el("button", { type: "button", class: "copy-button", "aria-label": `Remove alert: ${words}` }, "Remove");
      remove.addEventListener("click", () => removeAlert(alert.id, remove));
      return el("li", { "data-alert": alert.id }, el("span", {}, words, alert.webhook_url ? ` · webhook ${new URL(alert.webhook_url).host}` : ""), remove);
    }));
    count.textContent = `${answer.alerts.length} of ${answer.limit} alerts set.`
      + (answer.webhooks ? " With Premium, each may also go to a webhook." : " Premium adds more, and webhooks.");
    const webhook = field("webhook_url");
    webhook.disabled = !answer.webhooks;
    webhook.closest(".field").hidden = !answer.webhooks;
    cardState(stateLine, "ready");
    body.hidden = false;
  } catch (error) {
    cardState(stateLine, "error", failed("Alerts", error));
  }
}

async function removeAlert(id, button) {
  button.disabled = true;
  try {
    await api(`/alerts/${id}`, { method: "DELETE" });
    await loadAlerts();
  } catch (error) {
    button.disabled = false;
    formState.textContent = failed("Removing the alert", error);
    formState.className = "status-bad";
  }
}

function deliveryText(event) {
  switch (event.delivery) {
    case "delivered": return "sent to your webhook";
    case "pending": return `webhook: attempt ${event.attempts + 1} due${event.last_error ? ` (last: ${event.last_error})` : ""}`;
    case "failed": return `webhook failed: ${event.last_error || "no answer"}`;
    default: return "shown in the page";
  }
}

// The newest events, newest first; while a webhook delivery is pending, read again in a moment.
async function loadLog() {
  clearTimeout(recheck);
  try {
    const events = (await api("/alerts/events?limit=20")).events.reverse();
    log.replaceChildren(...events.map((event) => el("li", { "data-event": event.id, "data-delivery": event.delivery },
      el("span", {}, event.message), el("span", { class: "muted" }, timeNode(event.created_at), " · ", deliveryText(event)))));
    if (events.length) cardState(logState, "ready");
    else cardState(logState, "empty", "Nothing delivered yet.");
    if (events.some((event) => event.delivery === "pending")) recheck = setTimeout(loadLog, RECHECK_MS);
  } catch (error) {
    cardState(logState, "error", failed("The alerts' log", error));
  }
}

form.addEventListener("change", (event) => { if (event.target === field("kind")) showKindFields(); });
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const kind = field("kind").value;
  const request = { kind };
  const minimum = field("minimum").value.trim();
  if (KIND_FIELDS[kind].includes("minimum") && minimum) request.minimum = minimum;
  if (kind === "premium_ending") request.days = Number(field("days").value);
  const webhook = field("webhook_url").value.trim();
  if (webhook && !field("webhook_url").disabled) request.webhook_url = webhook;
  try {
    const made = await api("/alerts", { method: "POST", body: request });
    secretLine.hidden = !made.webhook_secret;
    secretLine.replaceChildren(...(made.webhook_secret
      ? ["Your webhook's signing secret, shown only now: ", el("code", { class: "mono", id: "alert-secret-value" }, made.webhook_secret)] : []));
    formState.textContent = `Added: ${describeAlert(made.alert)}.`;
    formState.className = "status-ok";
    field("minimum").value = "";
    field("webhook_url").value = "";
    await loadAlerts();
  } catch (error) {
    showError(error);
  }
});

function sayBackground() {
  const supported = "Notification" in window;
  notifyButton.hidden = !supported;
  notifyButton.textContent = backgroundOn() ? "Stop browser notifications" : "Also notify me while this tab is in the background";
  notifyButton.setAttribute("aria-pressed", String(backgroundOn()));
}

notifyButton.addEventListener("click", async () => {
  const answer = await turnBackgroundOn(!backgroundOn());
  document.getElementById("notify-state").textContent = answer === "denied"
    ? "Your browser blocks notifications for this site: allow them in its settings." : "";
  sayBackground();
});

showKindFields();
sayBackground();

onChange((wallet) => {
  if (wallet.signedIn === signedIn) return;
  signedIn = wallet.signedIn;
  body.hidden = !signedIn;
  if (!signedIn) {
    cardState(stateLine, "empty", "Sign in with your wallet to set alerts.");
    return;
  }
  cardState(stateLine, "loading", "Loading your alerts…");
  loadAlerts();
  loadLog();
});

onFeed((changes) => {
  if (signedIn && changes.some((change) => change.kind === "alert")) loadLog();
});
