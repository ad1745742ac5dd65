// Notices: a line in the page's live region (#notices, read out by screen readers, each with a
// Dismiss button) when a transaction of the connected address settles, S or a token arrives,
// or one of the person's alerts goes off; and, when the person turned them on with a click, the
// same as a browser notification while the tab is in the background. Nothing reaches a closed
// tab: alerts sent to a webhook do (docs/alerts.md).

import { describeEntry } from "./activity.js";
import { api, el, nativeSymbol } from "./api.js";
import { shortAddress } from "./format.js";
import { keepRunningWhenHidden, onFeed } from "./live.js";
import { state } from "./wallet.js";

const region = document.getElementById("notices");
const BACKGROUND_KEY = "sonic.notify-background";
const told = new Set();
const MAX_SHOWN = 5;
let lastEvent = null;

/** Whether the person turned browser notifications on (and the browser allows them). */
export function backgroundOn() {
  return "Notification" in window && Notification.permission === "granted" && localStorage.getItem(BACKGROUND_KEY) === "on";
}

/**
 * Asks the browser's permission (call it from a click only) and remembers the choice; resolves
 * to what the browser answered: "granted", "denied", "default" or "unsupported".
 */
export async function turnBackgroundOn(on = true) {
  if (!("Notification" in window)) return "unsupported";
  if (!on) {
    localStorage.removeItem(BACKGROUND_KEY);
    return Notification.permission;
  }
  const answer = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  if (answer === "granted") localStorage.setItem(BACKGROUND_KEY, "on");
  return answer;
}

keepRunningWhenHidden(backgroundOn);

/**
 * Shows `text` as a notice once per `key` (a transaction hash, an alert event): `tone` "ok",
 * "bad" or "info". In a background tab with notifications on, the browser shows it too.
 */
export function notify(key, text, tone = "info") {
  if (!region || told.has(key)) return;
  told.add(key);
  const close = el("button", { type: "button", class: "copy-button", "aria-label": `Dismiss: ${text}` }, "Dismiss");
  const notice = el("div", { class: `notice notice-${tone}`, "data-key": key }, el("span", {}, text), close);
  close.addEventListener("click", () => notice.remove());
  region.append(notice);
  while (region.children.length > MAX_SHOWN) region.firstElementChild.remove();
  if (document.visibilityState === "hidden" && backgroundOn()) new Notification("Smart Sonic", { body: text, tag: key });
}

/** What a settled entry of the address's history says to its owner, or null. */
function noticeFor(entry, symbol) {
  const words = describeEntry(entry, symbol);
  const from = entry.counterparty ? ` from ${shortAddress(entry.counterparty)}` : "";
  if (entry.status === "failed") return entry.direction === "in" ? null : [`Failed: ${words.what}. ${entry.reason || ""}`.trim(), "bad"];
  if (entry.direction === "in") return [`${words.sentence}${from}.`, "ok"];
  return [`Confirmed: ${words.sentence}.`, "ok"];
}

async function tellActivity(changes, address) {
  const hashes = new Set(changes.filter((change) => change.hash && !told.has(change.hash)).map((change) => change.hash));
  if (hashes.size === 0) return;
  try {
    const [page, symbol] = await Promise.all([api(`/history/${address}?limit=${Math.min(100, hashes.size + 10)}`), nativeSymbol().catch(() => null)]);
    for (const entry of page.entries.filter((item) => hashes.has(item.hash))) {
      const notice = noticeFor(entry, symbol);
      if (notice) notify(entry.hash, ...notice);
    }
  } catch { /* the page's own cards say what failed */ }
}

// The alerts that went off since the last look: their messages, once each (an incoming alert
// and the arrival it reports are one notice: both are keyed by the transaction).
async function tellAlerts() {
  if (!state.signedIn) return;
  try {
    if (lastEvent === null) {
      const newest = (await api("/alerts/events?limit=1")).events;
      lastEvent = newest.length ? newest[0].id - 1 : 0;
    }
    for (const event of (await api(`/alerts/events?after=${lastEvent}`)).events) {
      lastEvent = event.id;
      notify(event.hash || `alert:${event.id}`, `Alert: ${event.message}`, event.kind === "failed" ? "bad" : "info");
    }
  } catch { /* the alerts card says what failed */ }
}

onFeed((changes, address) => {
  tellActivity(changes, address);
  if (changes.some((change) => change.kind === "alert")) tellAlerts();
});
