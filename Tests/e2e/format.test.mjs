// The page scripts' formatting (Public/js/format.js) against the vectors the agent's replies are
// held to (Tests/Fixtures/amount-format.json), and its times and identicons. Run by
// test_format.py (make test) or alone: node --test Tests/e2e/format.test.mjs
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  formatAmount, plainAmount, gweiText, relativeTime, identiconCells, shortAddress,
} from "../../Public/js/format.js";

const { vectors } = JSON.parse(readFileSync(new URL("../Fixtures/amount-format.json", import.meta.url)));

test("every amount vector reads as the file says", () => {
  const wrong = vectors
    .map((vector) => ({ ...vector, got: formatAmount(vector.amount, vector.decimals, vector) }))
    .filter((vector) => vector.got !== vector.text);
  assert.deepEqual(wrong, []);
  assert.ok(vectors.some((vector) => vector.context === "balance"), "the page's own rules have vectors");
});

test("the exact value keeps every digit, ungrouped, beyond what a float holds", () => {
  assert.equal(plainAmount("9996993599298974590664", 18), "9996.993599298974590664");
  assert.equal(plainAmount("115792089237316195423570985008687907853269984665640564039457584007913129639935", 18),
    "115792089237316195423570985008687907853269984665640564039457.584007913129639935");
  assert.throws(() => formatAmount("-1", 18), /negative/);
});

test("gas prices read in gwei", () => {
  assert.equal(gweiText("1500000000"), "1.5 gwei");
  assert.equal(gweiText("50000000000"), "50 gwei");
  assert.equal(gweiText("1272954153"), "1.2729… gwei");
  assert.equal(gweiText("1"), "< 0.0001 gwei");
});

test("times read relative to now, past and future", () => {
  const now = Date.parse("2026-11-27T10:20:14Z");
  const cases = [[0, "just now"], [-30, "just now"], [-120, "2 min ago"], [-3599, "60 min ago"], [-3 * 3600, "3 h ago"],
    [-30 * 3600, "yesterday"], [-5 * 86400, "5 days ago"], [3 * 86400, "in 3 days"], [2 * 3600, "in 2 h"], [30 * 3600, "tomorrow"], [90 * 86400, "in 90 days"],
    [-8 * 86400, "19 Nov 2026"], [-30 * 86400, "28 Oct 2026"]];
  for (const [seconds, text] of cases) assert.equal(relativeTime(now + seconds * 1000, now), text, `${seconds} s`);
});

test("identicons are the same for one address, mirrored, and differ between addresses", () => {
  const a = identiconCells("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  assert.deepEqual(a, identiconCells("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
  for (const [x, y] of a.cells) assert.ok(a.cells.some(([u, v]) => u === 4 - x && v === y), "mirrored");
  assert.notDeepEqual(a, identiconCells("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
  // A look-alike with the same first and last characters, one digit changed in the middle.
  assert.notDeepEqual(a.cells, identiconCells("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb93266").cells);
  assert.notDeepEqual(a.cells, identiconCells("0xf39Fd6e51aad88F6F5ce6aB8827279cffFb92266").cells);
  assert.equal(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), "0xf39F…2266");
});
