// One history entry (GET /api/history) in words, for every page that lists entries: the
// dashboard's recent activity and the History page say the same thing the same way. Amounts
// are written by format.js from the exact integers (`amount_wei`), never from floats.

import { balanceAmount, shortAddress } from "./format.js";

const VERBS = { in: "Received", out: "Sent", self: "Moved" };
const KINDS = {
  token_transfer: "Token transfer", nft_mint: "NFT mint", nft_transfer: "NFT transfer",
  subscription: "Subscription", contract_call: "Contract call", contract_creation: "Contract creation",
  token_approval: "Token approval", stake: "Staking", unstake: "Unstaking", stake_withdrawal: "Staking withdrawal",
  rewards_claim: "Staking rewards", rewards_restake: "Staking rewards", wrap: "Wrapping", unwrap: "Unwrapping",
  contract_payout: "Paid by a contract",
};
// An allowance of 2^256 - 1: the spender may move every token, now and later.
const UNLIMITED = (2n ** 256n - 1n).toString();

/**
 * The words for one entry, given the native symbol (`nativeSymbol()` of api.js; null when the
 * network could not be asked):
 * - `sentence`, what happened in a few words: "Sent 1 S", "Bought premium for 3 S", "Minted NFT #2";
 * - `what`, the direction and kind: "Sent · S transfer", "Received · NFT mint", "Sent · Contract call (approve)";
 * - `amount`, what moved when it is an NFT: "SNFT #2" (other amounts are drawn by amountNode).
 * A token or collection off the network's verified list (`verified: false`: its symbol is only
 * what its contract says, a look-alike may copy one) is named by its contract address in
 * `sentence` and `what`.
 */
export function describeEntry(entry, symbol) {
  const verb = entry.type === "token_approval" ? "Allowed" : VERBS[entry.direction];
  const kind = entry.type === "transfer" ? `${entry.token} transfer` : KINDS[entry.type] || entry.type;
  const method = entry.type === "contract_call" && entry.method ? ` (${entry.method})` : "";
  const unverified = entry.verified === false ? ` · unverified token ${entry.token_address || entry.nft_contract}` : "";
  return {
    sentence: sentence(entry, verb, symbol) + unverified,
    what: `${verb} · ${kind}${method}${unverified}`,
    amount: entry.token_id ? `${entry.token} #${entry.token_id}` : null,
  };
}

// " with validator 3", when the entry names its validator (older entries may not).
const withValidator = (entry, preposition) => (entry.validator == null ? "" : `${preposition} validator ${entry.validator}`);
// ", withdrawal request 2": the request an unstake opened or a withdrawal closed.
const request = (entry) => (entry.request_id == null ? "" : `, withdrawal request ${entry.request_id}`);

function sentence(entry, verb, symbol) {
  const nft = `NFT${entry.token_id ? ` #${entry.token_id}` : ""}`;
  const amount = `${balanceAmount(entry.amount_wei, entry.token_decimals)} ${entry.token}`;
  switch (entry.type) {
    case "nft_mint": return entry.direction === "in" && entry.token_id && entry.token !== symbol ? `Received ${nft}` : `Minted ${nft}`;
    case "nft_transfer": return `${verb} ${nft}`;
    case "subscription": return `Bought premium for ${amount}`;
    case "contract_creation": return "Deployed a contract";
    case "token_approval": {
      const spender = entry.counterparty ? shortAddress(entry.counterparty) : "a contract";
      if (entry.amount_wei === "0") return `Revoked the allowance of ${spender} for ${entry.token}`;
      if (entry.amount_wei === UNLIMITED) return `Approved ${spender} to spend all your ${entry.token}, without limit`;
      return `Approved ${spender} to spend ${amount}`;
    }
    case "stake": return `Staked ${amount}${withValidator(entry, " with")}`;
    case "unstake": return `Unstaked ${amount}${withValidator(entry, " from")}${request(entry)}`;
    case "stake_withdrawal": return `Withdrew ${amount} from staking${withValidator(entry, " with")}${request(entry)}`;
    case "rewards_claim": return `Claimed ${amount} of staking rewards${withValidator(entry, " from")}`;
    case "rewards_restake": return `Restaked ${amount} of rewards${withValidator(entry, " with")}`;
    case "wrap": return `Wrapped ${amount} into w${entry.token}`;
    case "unwrap": return `Unwrapped ${amount} from w${entry.token}`;
    case "contract_payout": return `Received ${amount} from a contract`;
    case "contract_call": return entry.direction === "in" ? `Called by a contract (${entry.method || "call"})` : `Called ${entry.method || "a contract"}`;
    default: return `${verb} ${amount}`;
  }
}
