// The pages' pictures from the API: an address's balance and activity by day (the indexed
// history), the network's fees over its last blocks, the premium time left. Each is drawn by
// chart.js with a text summary in numbers, and has its loading, empty and error states.

import { api } from "./api.js";
import { cardState, failed } from "./card.js";
import { flowChart, lineChart, progressChart } from "./chart.js";
import { balanceAmount, dayText, gweiText } from "./format.js";

const DAYS = 30;

function day(date) {
  return dayText(`${date}T00:00:00Z`);
}

/** The balance series of `address` (GET /api/history/{address}/balance-series). */
export function balanceSeries(address, days = DAYS) {
  return api(`/history/${address}/balance-series?days=${days}`);
}

/** The words of a balance series: first and last balances, the lowest and the highest. */
export function balanceSummary(data, symbol) {
  const values = data.points.map((point) => BigInt(point.balance_wei));
  const low = values.reduce((a, b) => (b < a ? b : a)), high = values.reduce((a, b) => (b > a ? b : a));
  const first = data.points[0];
  const text = `Balance over the last ${data.points.length} days: ${balanceAmount(first.balance_wei)} ${symbol} on ${day(first.date)}, `
    + `${balanceAmount(data.balance_wei)} ${symbol} now; lowest ${balanceAmount(low)} ${symbol}, highest ${balanceAmount(high)} ${symbol}.`;
  return data.complete ? text : `${text} Some S arrived in ways the history does not record (sent by a contract, or there from the start), so earlier days may read too low.`;
}

/** Draws `address`'s balance over the last days into `container`, its states in `line`. */
export async function drawBalance(container, line, address, symbol) {
  if (!container.childElementCount) cardState(line, "loading", "Loading your balance over time…");
  try {
    const data = await balanceSeries(address);
    const points = data.points.map((point) => ({ label: day(point.date), value: BigInt(point.balance_wei) }));
    container.replaceChildren(lineChart(points, { summary: balanceSummary(data, symbol), format: (value) => `${balanceAmount(value)} ${symbol}`, name: "balance" }));
    cardState(line, "ready");
  } catch (error) {
    container.replaceChildren();
    cardState(line, "error", failed("Balance over time", error));
  }
}

/** The words of activity by day: totals, days with any, the busiest. */
export function activitySummary(points) {
  const received = points.reduce((sum, point) => sum + point.received, 0), sent = points.reduce((sum, point) => sum + point.sent, 0);
  if (received + sent === 0) return `No transactions in the last ${points.length} days.`;
  const busiest = points.reduce((a, b) => (b.received + b.sent > a.received + a.sent ? b : a));
  const active = points.filter((point) => point.received + point.sent > 0).length;
  return `Activity over the last ${points.length} days: ${received + sent} transactions (${received} received, ${sent} sent) on ${active} `
    + `day${active === 1 ? "" : "s"}; the busiest was ${day(busiest.date)} with ${busiest.received + busiest.sent}.`;
}

/** Draws `address`'s transactions per day into `container`, its states in `line`. */
export async function drawActivity(container, line, address) {
  if (!container.childElementCount) cardState(line, "loading", "Loading activity by day…");
  try {
    const data = await balanceSeries(address);
    const summary = activitySummary(data.points);
    const bars = data.points.map((point) => ({ label: day(point.date), received: point.received, sent: point.sent }));
    container.replaceChildren(flowChart(bars, { summary, name: "activity" }));
    cardState(line, "ready");
  } catch (error) {
    container.replaceChildren();
    cardState(line, "error", failed("Activity by day", error));
  }
}

/** The words of the fee history: the blocks, lowest and highest base fee, the next one, fullness. */
export function feeSummary(data) {
  const fees = data.blocks.map((block) => BigInt(block.base_fee_wei));
  const low = fees.reduce((a, b) => (b < a ? b : a)), high = fees.reduce((a, b) => (b > a ? b : a));
  const full = Math.round(data.blocks.reduce((sum, block) => sum + block.gas_used_percent, 0) / data.blocks.length);
  const first = data.blocks[0].number.toLocaleString("en-US"), last = data.blocks[data.blocks.length - 1].number.toLocaleString("en-US");
  return `Base fee over the last ${data.blocks.length} block${data.blocks.length === 1 ? "" : "s"} (${first} to ${last}): lowest ${gweiText(low)}, `
    + `highest ${gweiText(high)}; the next block charges ${gweiText(data.next_base_fee_wei)}. Blocks were ${full}% full on average.`;
}

/** Draws the network's base fee over its last blocks into `container`, its states in `line`. */
export async function drawFees(container, line, blocks = 20) {
  if (!container.childElementCount) cardState(line, "loading", "Loading the fees of the last blocks…");
  try {
    const data = await api(`/network/fees?blocks=${blocks}`);
    if (!data.blocks.length) {
      container.replaceChildren();
      cardState(line, "empty", "No blocks yet to show fees for.");
      return;
    }
    const points = data.blocks.map((block) => ({ label: `block ${block.number.toLocaleString("en-US")}`, value: BigInt(block.base_fee_wei) }));
    container.replaceChildren(lineChart(points, { summary: feeSummary(data), format: gweiText, name: "fees" }));
    cardState(line, "ready");
  } catch (error) {
    container.replaceChildren();
    cardState(line, "error", failed("Fee history", error));
  }
}

/**
 * The premium time left as a bar over the whole periods bought (`status`: GET
 * /api/subscription/{address}), or nothing when it is not active.
 */
export function premiumBar(container, status, now = Date.now()) {
  const end = Number(status.expires_at) * 1000;
  if (!status.active || !(end > now)) {
    container.replaceChildren();
    return;
  }
  // Whole days, rounded (a purchase of 3 periods reads 90, not 91 because its block came a second late).
  const daysLeft = Math.max(1, Math.round((end - now) / 86_400_000)), period = Math.max(1, status.period_days);
  const whole = Math.ceil(daysLeft / period) * period;
  const summary = `${daysLeft} day${daysLeft === 1 ? "" : "s"} of premium left of ${whole}, until ${dayText(end)}.`;
  container.replaceChildren(progressChart(daysLeft, whole, { summary, name: "premium" }));
}
