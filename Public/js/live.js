// The page's one live loop on the connected address's change log (GET /api/feed/{address}): a
// long-poll that asks again from the cursor of its last answer, so nothing committed between two
// answers is missed; it backs off on errors, stops when the tab has been hidden for a while
// (unless background notifications are on) and resumes from its cursor when the tab comes back.
// Modules that show the address's figures subscribe with onFeed() and read them again; nothing
// here runs on a timer while the feed is quiet.

import { api } from "./api.js";
import { onChange } from "./wallet.js";

const WAIT_SECONDS = 25;
/** How long a hidden tab keeps its loop (unless background notifications are on). */
export const HIDDEN_MS = 120_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const listeners = new Set();
let address = null;
let cursor = null;
let generation = 0;
let controller = null;
let hiddenTimer = null;
let keepWhenHidden = () => false;

/**
 * Calls `listener(changes, address)` with each answer that holds entries: `changes` as the API
 * sends them (`{seq, kind, hash}`; kind `activity`, `transaction` or `alert`).
 */
export function onFeed(listener) { listeners.add(listener); }

/** `predicate()` true keeps the loop running in a hidden tab (background notifications). */
export function keepRunningWhenHidden(predicate) { keepWhenHidden = predicate; }

function say(state) { document.body.dataset.live = state; }

function pause(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms * (0.8 + Math.random() * 0.4));
    signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

async function run(mine, forAddress) {
  let failures = 0;
  while (mine === generation) {
    const { signal } = controller;
    try {
      if (cursor === null) cursor = (await api(`/feed/${forAddress}`, { signal })).cursor;
      say("on");
      const answer = await api(`/feed/${forAddress}?after=${cursor}&wait=${WAIT_SECONDS}`, { signal });
      if (mine !== generation) return;
      failures = 0;
      cursor = answer.cursor;
      if (answer.changes.length) for (const listener of listeners) listener(answer.changes, forAddress);
    } catch (error) {
      if (mine !== generation || error.name === "AbortError") return;
      say("retrying");
      await pause(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)], signal);
      failures += 1;
    }
  }
}

function start() {
  stop();
  if (!address) return;
  controller = new AbortController();
  generation += 1;
  run(generation, address);
}

function stop() {
  generation += 1;
  controller?.abort();
  controller = null;
  say("off");
}

onChange((wallet) => {
  const account = wallet.account ? wallet.account.toLowerCase() : null;
  if (account === address) return;
  address = account;
  cursor = null;  // a new address starts at the newest entry
  start();
});

document.addEventListener("visibilitychange", () => {
  clearTimeout(hiddenTimer);
  if (document.visibilityState === "hidden") {
    hiddenTimer = setTimeout(() => { if (!keepWhenHidden()) stop(); }, HIDDEN_MS);
  } else if (!controller && address) {
    start();  // from the cursor it stopped at: what came meanwhile is answered at once
  }
});
