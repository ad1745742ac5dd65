// The loading, empty and error states of a card, said the same way on every page: one line
// under the card's heading whose look says which (muted while loading or empty, red with the
// reason on error), and the card marked busy while it loads.

const KINDS = new Set(["loading", "empty", "error", "note", "ready"]);

/**
 * Shows `kind` ("loading", "empty", "error", "note" or "ready") with `text` in `line`, the
 * card's state paragraph: "note" is a line beside what is shown ("25 shown"); "ready" hides
 * the line. Returns `line`.
 */
export function cardState(line, kind, text = "") {
  if (!KINDS.has(kind)) throw new RangeError(`card state ${kind} is not one of ${[...KINDS].join(", ")}`);
  line.textContent = kind === "ready" ? "" : text;
  line.hidden = kind === "ready";
  line.className = `card-state state-${kind}${kind === "error" ? " status-bad" : " muted"}`;
  line.closest(".card, figure, section")?.setAttribute("aria-busy", String(kind === "loading"));
  return line;
}

/** "Loading…", "Nothing yet", "Unavailable: …": the error's own words after what failed. */
export function failed(what, error) {
  return `${what} unavailable: ${error && error.message ? error.message : "the server did not answer"}`;
}
