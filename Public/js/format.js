// Figures as people read them, for every page: amounts from integer base-unit strings (BigInt,
// never floating point), fees and gas prices, relative times, short addresses with an identicon,
// a copy button and the explorer's link. The amount rules are the vectors of
// Tests/Fixtures/amount-format.json, shared with the agent's replies (Units+Display.swift):
// "exact" every digit; "readable" as the agent writes in sentences; context "balance" the
// dashboard's balances and listed amounts (4 decimals, dust as "< 0.0001").
// Nothing here touches the page when imported: the node test runs the same module.

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

function group(digits) {
  return digits.replace(GROUP, ",");
}

// The whole part and the fraction without trailing zeros, as decimal digits.
function parts(amount, decimals) {
  const value = BigInt(amount);
  if (value < 0n) throw new RangeError(`amount ${amount} is negative; the direction says which way it moved`);
  const digits = value.toString().padStart(decimals + 1, "0");
  const cut = digits.length - decimals;
  return { whole: digits.slice(0, cut), fraction: digits.slice(cut).replace(/0+$/, ""), value };
}

function cutTo(whole, fraction, keep) {
  if (fraction.length <= keep) return fraction ? `${group(whole)}.${fraction}` : group(whole);
  const kept = fraction.slice(0, keep).replace(/0+$/, "");
  return `${kept ? `${group(whole)}.${kept}` : group(whole)}…`;
}

/** Every digit, the whole part grouped: "1,500.25". */
export function exactAmount(amount, decimals = 18) {
  const { whole, fraction } = parts(amount, decimals);
  return fraction ? `${group(whole)}.${fraction}` : group(whole);
}

/** The exact value without grouping, as a wallet's amount field takes it: "1500.25". */
export function plainAmount(amount, decimals = 18) {
  const { whole, fraction } = parts(amount, decimals);
  return fraction ? `${whole}.${fraction}` : whole;
}

/** As the agent writes it: at most `places` decimals from 1 up, four significant digits below. */
export function readableAmount(amount, decimals = 18, places = 6) {
  const { whole, fraction } = parts(amount, decimals);
  if (!fraction) return group(whole);
  const keep = whole === "0" ? Math.max(places, fraction.length - fraction.replace(/^0+/, "").length + 4) : places;
  return cutTo(whole, fraction, keep);
}

/** A balance or a listed amount: at most 4 decimals, cut; a non-zero amount below 0.0001 is "< 0.0001". */
export function balanceAmount(amount, decimals = 18) {
  const { whole, fraction, value } = parts(amount, decimals);
  if (decimals > 4 && value > 0n && value < 10n ** BigInt(decimals - 4)) return "< 0.0001";
  return cutTo(whole, fraction, 4);
}

/** The text of `amount` for a vector's style and context (Tests/Fixtures/amount-format.json). */
export function formatAmount(amount, decimals, { style = "readable", context } = {}) {
  if (style === "exact") return exactAmount(amount, decimals);
  if (context === "balance") return balanceAmount(amount, decimals);
  return readableAmount(amount, decimals);
}

/** A gas price in gwei for reading, by the balance rule: "1.5 gwei", "1.2729… gwei". */
export function gweiText(wei) {
  return `${balanceAmount(wei, 9)} gwei`;
}

const UNITS = [[60, "s"], [3600, "min"], [86_400, "h"]];

/** "just now", "2 min ago", "3 h ago", "yesterday", "5 days ago", "in 90 days"; a past time over a week old as its date. */
export function relativeTime(when, now = Date.now()) {
  const time = when instanceof Date ? when.getTime() : new Date(when).getTime();
  const seconds = Math.round((now - time) / 1000);
  const ahead = seconds < 0;
  const span = Math.abs(seconds);
  if (span < 45) return "just now";
  let text = null;
  if (span < UNITS[1][0]) text = `${Math.max(1, Math.round(span / 60))} min`;
  else if (span < UNITS[2][0]) text = `${Math.round(span / 3600)} h`;
  else if (span < 7 * 86_400 || ahead) {
    // A time to come (an expiry) is counted in days however far; a past one after a week is a date.
    const days = Math.round(span / 86_400);
    if (days === 1) return ahead ? "tomorrow" : "yesterday";
    text = `${days} days`;
  }
  if (text) return ahead ? `in ${text}` : `${text} ago`;
  return dayText(time);
}

/** "27 Nov 2026". */
export function dayText(when) {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" }).format(new Date(when));
}

/** The exact time, for hover: "27 Nov 2026, 10:20:14 UTC". */
export function exactTime(when) {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "long" }).format(new Date(when));
}

/** "0xf39F…2266". */
export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : "";
}

/**
 * The cells of a 5 × 5 identicon of `address`, mirrored left to right, and its hue: the same
 * address always draws the same picture, and every one of its 40 digits counts (cell i is the
 * parity of digits i, i + 15 and i + 30), so a look-alike sharing its ends draws another.
 * Cells as [column, row] pairs.
 */
export function identiconCells(address) {
  const hex = address.toLowerCase().replace(/^0x/, "").padEnd(40, "0");
  const digit = (index) => (index < 40 ? parseInt(hex[index], 16) : 0);
  const cells = [];
  for (let row = 0; row < 5; row += 1) {
    for (let column = 0; column < 3; column += 1) {
      const index = row * 3 + column;
      if ((digit(index) ^ digit(index + 15) ^ digit(index + 30)) % 2 === 0) continue;
      cells.push([column, row]);
      if (column < 2) cells.push([4 - column, row]);
    }
  }
  return { cells, hue: parseInt(hex.slice(-6), 16) % 360 };
}

// The page's side: nodes that show a figure short and keep it exact (hover, copy). Built only
// when called, so importing this module needs no page.

const SVG = "http://www.w3.org/2000/svg";
const FLOW = { in: ["↓", "Received", "flow-in"], out: ["↑", "Sent", "flow-out"], self: ["⇄", "Moved to self", "flow-self"] };

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * An amount as a span: short text (`context` "balance" by default; "readable" for fees), the
 * exact value on hover, and the exact value, ungrouped, when the span is copied. With
 * `direction` ("in", "out", "self") an arrow and a colour say which way it moved, and screen
 * readers hear the word ("Received 1.5 S").
 */
export function amountNode(amount, decimals, symbol, { context = "balance", direction } = {}) {
  const short = context === "balance" ? balanceAmount(amount, decimals) : readableAmount(amount, decimals);
  const unit = symbol ? ` ${symbol}` : "";
  const span = node("span", "amount");
  span.title = `${exactAmount(amount, decimals)}${unit}`;
  span.dataset.exact = plainAmount(amount, decimals);
  const flow = FLOW[direction];
  if (flow) {
    span.classList.add(flow[2]);
    const arrow = node("span", "flow-arrow", flow[0]);
    arrow.setAttribute("aria-hidden", "true");
    span.append(arrow, node("span", "visually-hidden", `${flow[1]} `), `${short}${unit}`);
  } else {
    span.textContent = `${short}${unit}`;
  }
  return span;
}

/** A fee in the native coin, with the gas price in gwei beside it when known. */
export function feeNode(feeWei, symbol, gasPriceWei) {
  const span = amountNode(feeWei, 18, symbol, { context: "readable" });
  if (gasPriceWei == null) return span;
  const wrapper = node("span", "fee");
  wrapper.append(span, node("span", "muted", ` at ${gweiText(gasPriceWei)}`));
  return wrapper;
}

// Copying a selection of one amount (inside it, or just around it) copies its exact value, not
// the shortened text.
function selectedAmount(selection) {
  if (!selection || selection.isCollapsed || selection.rangeCount !== 1) return null;
  let container = selection.getRangeAt(0).commonAncestorContainer;
  if (container.nodeType !== 1) container = container.parentElement;
  const around = container?.closest("[data-exact]");
  if (around) return around;
  const inside = [...container.querySelectorAll("[data-exact]")].filter((element) => selection.containsNode(element, true));
  return inside.length === 1 && selection.toString().trim() === inside[0].textContent.trim() ? inside[0] : null;
}

if (typeof document !== "undefined") {
  document.addEventListener("copy", (event) => {
    const amount = selectedAmount(document.getSelection());
    if (!amount) return;
    event.clipboardData.setData("text/plain", amount.dataset.exact);
    event.preventDefault();
  });
}

const timeNodes = new Set();

/** A time as "2 min ago", the exact time on hover; kept current while the page is open. */
export function timeNode(when) {
  const date = new Date(typeof when === "number" ? when * 1000 : when);
  const element = node("time", "when", relativeTime(date));
  element.dateTime = date.toISOString();
  element.title = exactTime(date);
  timeNodes.add(element);
  return element;
}

if (typeof window !== "undefined") {
  setInterval(() => {
    for (const element of timeNodes) {
      if (!element.isConnected) timeNodes.delete(element);
      else element.textContent = relativeTime(new Date(element.dateTime));
    }
  }, 30_000);
}

/** The identicon of `address` as a small SVG (decorative: the address is written beside it). */
export function identicon(address, size = 16) {
  const { cells, hue } = identiconCells(address);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 5 5");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("class", "identicon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("fill", `hsl(${hue} 60% 45%)`);
  for (const [x, y] of cells) {
    const rect = document.createElementNS(SVG, "rect");
    for (const [name, value] of [["x", x], ["y", y], ["width", 1], ["height", 1]]) rect.setAttribute(name, String(value));
    svg.append(rect);
  }
  return svg;
}

/**
 * An address: identicon, shortened text (the whole address on hover; `full` writes it whole, as
 * a card to confirm must, where a look-alike sharing its ends could pass), a copy button, and a
 * link to the network's explorer where it has one (`explorer`: the page's data-explorer).
 */
export function addressNode(address, { explorer = globalThis.document?.body?.dataset.explorer, full = false } = {}) {
  const wrapper = node("span", "address");
  const text = node(explorer ? "a" : "span", "mono", full ? address : shortAddress(address));
  text.title = address;
  if (explorer) {
    text.href = `${explorer}/address/${address}`;
    text.target = "_blank";
    text.rel = "noopener";
  }
  const copy = node("button", "copy-button", "Copy");
  copy.type = "button";
  copy.setAttribute("aria-label", `Copy ${address}`);
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(address);
      copy.textContent = "Copied";
    } catch {
      copy.textContent = "Select to copy";
    }
    setTimeout(() => { copy.textContent = "Copy"; }, 2000);
  });
  wrapper.append(identicon(address), text, copy);
  return wrapper;
}
