// Transactions replaced in the wallet (a speed-up or a cancel: the same nonce, a new hash), said
// the same way by the chat's card, the dashboard's recent activity and the history: "Replaced by
// 0x1234…abcd" or "Cancelled by 0x1234…abcd", never "dropped", and the new one followed by
// long-poll to its own end. The pages hear of them through the address's feed (live.js): the
// state change of a transaction the address sent.

import { api } from "./api.js";
import { shortAddress } from "./format.js";
import { onFeed } from "./live.js";

/** Whether a status (GET /api/tx/{hash}) is of a transaction another of its sender's took the place of. */
export function isReplaced(status) {
  return status.status === "replaced" || status.status === "cancelled";
}

/** The words for a replaced or cancelled transaction: "Replaced by 0x1234…abcd." and the like. */
export function replacedText(status) {
  const by = status.replaced_by ? shortAddress(status.replaced_by) : null;
  if (status.status === "cancelled") return `Cancelled by ${by}, which sends nothing.`;
  return by ? `Replaced by ${by}.` : `Replaced by another transaction of yours: ${status.reason}.`;
}

/** How the new one went, after the words of the replaced one: "Confirmed in block 1,234." */
export function outcomeText(status) {
  if (status.status === "confirmed") return `Confirmed in block ${Number(status.block).toLocaleString("en-US")}.`;
  if (status.status === "failed") return `It failed: ${status.reason}.`;
  if (status.status === "pending") return "Waiting for it…";
  return `It was ${status.status}.`;
}

/**
 * Follows `hash` from pending until it settles, across replacements: `show(status, replaced)`
 * with each answer, `replaced` the status of the first one replaced on the way (or null). A
 * failed request is given to `onError` and asked again 3 s later (without it, it ends the
 * follow). Resolves to the last pair.
 */
export async function followThrough(hash, show, { onError, rounds = 20 } = {}) {
  let current = hash;
  let since = "pending";
  let replaced = null;
  let status = null;
  for (let round = 0; round < rounds && since === "pending"; round += 1) {
    try {
      status = await api(`/tx/${current}?wait=30&since=${since}`);
    } catch (error) {
      if (!onError) throw error;
      onError(error);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      continue;
    }
    if (isReplaced(status) && status.replaced_by) {
      replaced = replaced || status;
      current = status.replaced_by;  // the new one, from pending
    } else {
      since = status.status;
    }
    show(status, replaced);
  }
  return [status, replaced];
}

/**
 * Calls `show(hash, text, state, address)` for each transaction of the connected address
 * replaced while the page is open, at once and again as the new one settles (`state`:
 * "replaced" or "cancelled").
 */
export function onReplaced(show) {
  const followed = new Set();
  onFeed((changes, address) => {
    for (const change of changes) {
      if (change.kind !== "transaction" || !change.hash || followed.has(change.hash)) continue;
      followed.add(change.hash);
      api(`/tx/${change.hash}`).then((status) => {
        if (!isReplaced(status)) return followed.delete(change.hash);
        show(change.hash, replacedText(status), status.status, address);
        if (!status.replaced_by) return null;
        return followThrough(status.replaced_by, (latest) => {
          if (!isReplaced(latest)) show(change.hash, `${replacedText(status)} ${outcomeText(latest)}`, status.status, address);
        });
      }).catch(() => followed.delete(change.hash));  // asked again with the next change
    }
  });
}
