// History entries in words (Public/js/activity.js): an allowance given, unlimited, and revoked.
// Run by test_format.py (make test) or alone: node --test Tests/e2e/activity.test.mjs
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeEntry } from "../../Public/js/activity.js";

const approval = (amount_wei) => ({
  type: "token_approval", direction: "out", amount_wei, token: "SUSD", token_decimals: 6, verified: true,
  counterparty: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9", token_address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
});

test("an approval says who may spend how much", () => {
  assert.equal(describeEntry(approval("5000000"), "S").sentence, "Approved 0xCf7E…0Fc9 to spend 5 SUSD");
  assert.equal(describeEntry(approval((2n ** 256n - 1n).toString()), "S").sentence, "Approved 0xCf7E…0Fc9 to spend all your SUSD, without limit");
  assert.equal(describeEntry(approval("0"), "S").sentence, "Revoked the allowance of 0xCf7E…0Fc9 for SUSD");
  assert.equal(describeEntry(approval("1"), "S").what, "Allowed · Token approval");
});

test("an unverified token's approval names its contract", () => {
  const entry = { ...approval("1000000"), verified: false, token: "FOO" };
  assert.match(describeEntry(entry, "S").sentence, /unverified token 0x5FbDB2315678afecb367f032d93F642f64180aa3$/);
});
