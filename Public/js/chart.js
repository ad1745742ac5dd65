// Pictures drawn as SVG, small and ours: a line over time (a balance, a fee), bars per day (in
// and out), a bar of time left. Each is a <figure> whose caption is a text summary saying what
// the picture shows in numbers; the drawing itself is hidden from screen readers. Values are
// BigInt base units: only their place on the picture is a fraction, never a figure shown.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const HEIGHT = 140;
const PAD = { top: 8, right: 4, bottom: 8, left: 4 };

function svgNode(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

// The picture, a row of labels under it (HTML, so the stretched drawing never stretches text)
// and the summary as caption.
function figure(className, svg, summary, name, labels = []) {
  const wrapper = document.createElement("figure");
  wrapper.className = `chart ${className}`;
  if (name) wrapper.dataset.chart = name;
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  wrapper.append(svg);
  if (labels.length) {
    const row = document.createElement("div");
    row.className = "chart-labels";
    row.setAttribute("aria-hidden", "true");
    for (const label of labels) row.append(Object.assign(document.createElement("span"), { textContent: label }));
    wrapper.append(row);
  }
  const caption = document.createElement("figcaption");
  caption.className = "chart-summary";
  caption.textContent = summary;
  wrapper.append(caption);
  return wrapper;
}

// Where `value` falls between `low` and `high`, 0 to `span` (integer arithmetic on BigInt).
function place(value, low, high, span) {
  if (high === low) return span / 2;
  return Number(((value - low) * BigInt(span * 1000)) / (high - low)) / 1000;
}

function extremes(values) {
  let low = values[0], high = values[0];
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { low, high };
}

/**
 * A line of `points` ({ label, value: BigInt }, oldest first), with the first and last labels
 * and the range (lowest to highest, written by `format`) beneath, and `summary` as caption.
 */
export function lineChart(points, { summary, format, name }) {
  const values = points.map((point) => point.value);
  const { low, high } = extremes(values);
  const plotWidth = WIDTH - PAD.left - PAD.right, plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index) => PAD.left + (points.length === 1 ? plotWidth / 2 : (index * plotWidth) / (points.length - 1));
  const y = (value) => PAD.top + plotHeight - place(value, low, high, plotHeight);
  const path = points.map((point, index) => `${index ? "L" : "M"}${x(index).toFixed(1)} ${y(point.value).toFixed(1)}`).join(" ");
  const area = `${path} L${x(points.length - 1).toFixed(1)} ${PAD.top + plotHeight} L${x(0).toFixed(1)} ${PAD.top + plotHeight} Z`;
  const svg = svgNode("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "chart-svg", preserveAspectRatio: "none" });
  svg.append(
    svgNode("path", { d: area, class: "chart-area" }),
    svgNode("path", { d: path, class: "chart-line", "vector-effect": "non-scaling-stroke" }));
  const range = low === high ? format(low) : `${format(low)} to ${format(high)}`;
  return figure("line-chart", svg, summary, name, [points[0].label, range, points[points.length - 1].label]);
}

/**
 * Bars per period (`bars`: { label, received, sent }, oldest first), received above the
 * middle line and sent below it, with `summary` as caption.
 */
export function flowChart(bars, { summary, name }) {
  const most = Math.max(1, ...bars.map((bar) => Math.max(bar.received, bar.sent)));
  const plotWidth = WIDTH - PAD.left - PAD.right, half = (HEIGHT - PAD.top - PAD.bottom) / 2;
  const middle = PAD.top + half, step = plotWidth / bars.length, width = Math.max(1, step * 0.7);
  const svg = svgNode("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "chart-svg", preserveAspectRatio: "none" });
  svg.append(svgNode("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: middle, y2: middle, class: "chart-axis" }));
  bars.forEach((bar, index) => {
    const left = PAD.left + index * step + (step - width) / 2;
    if (bar.received) {
      const height = (bar.received * half) / most;
      svg.append(svgNode("rect", { x: left.toFixed(1), y: (middle - height).toFixed(1), width: width.toFixed(1), height: height.toFixed(1), class: "chart-in" }));
    }
    if (bar.sent) {
      svg.append(svgNode("rect", { x: left.toFixed(1), y: middle, width: width.toFixed(1), height: ((bar.sent * half) / most).toFixed(1), class: "chart-out" }));
    }
  });
  return figure("flow-chart", svg, summary, name, [bars[0].label, "↑ received · ↓ sent", bars[bars.length - 1].label]);
}

/** A bar filled to `part` of `whole` (numbers), with `summary` as caption. */
export function progressChart(part, whole, { summary, name }) {
  const share = whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0;
  const svg = svgNode("svg", { viewBox: "0 0 600 16", class: "chart-svg chart-bar", preserveAspectRatio: "none" });
  svg.append(svgNode("rect", { x: 0, y: 0, width: 600, height: 16, rx: 8, class: "chart-track" }),
    svgNode("rect", { x: 0, y: 0, width: (600 * share).toFixed(1), height: 16, rx: 8, class: "chart-fill" }));
  return figure("progress-chart", svg, summary, name);
}
