// Network card: reads /api/health and shows the chain id and the latest block.
// Everything from the API is inserted as text, never as HTML.

const apiBase = document.body.dataset.apiBase || "/api";
const REFRESH_MS = 3000;

function show(id, text, className) {
  const element = document.getElementById(id);
  if (!element) return;
  element.textContent = text;
  if (className !== undefined) element.className = className;
}

async function refresh() {
  try {
    const response = await fetch(`${apiBase}/health`, { headers: { Accept: "application/json" } });
    const health = await response.json();
    show("chain-id", health.chain_id == null ? "unknown" : String(health.chain_id));
    show("block-height", health.block == null ? "unknown" : Number(health.block).toLocaleString("en-US"));
    if (health.status === "ok") {
      show("service-status", "All systems working", "status-ok");
    } else {
      const parts = [];
      if (health.rpc !== "ok") parts.push(health.rpc === "wrong_chain" ? "node serves another chain" : "node unreachable");
      if (health.database !== "ok") parts.push("database unavailable");
      show("service-status", `Degraded: ${parts.join(", ")}`, "status-bad");
    }
  } catch {
    show("service-status", "API unreachable", "status-bad");
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
