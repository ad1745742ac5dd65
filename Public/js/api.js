// Talking to the Smart Sonic API. Every page's requests go through here; no other module calls
// fetch(). The base URL (the page's data-api-base), JSON in and out, the signed-in session's CSRF
// token on every state-changing request, and RFC 9457 problem documents turned into errors; the
// network's facts (the native symbol) asked once per page; el() to build text-only DOM.

const apiBase = document.body.dataset.apiBase || "/api";
const CSRF_KEY = "sonic.csrf";

/** An answer that is not a success: the problem document's facts (RFC 9457), `problem` as sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.field = problem.field;
    this.problem = problem;
  }
}

export function setCsrfToken(token) {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

/** The address of an API path, for links the browser follows itself (the CSV export). */
export function apiURL(path) {
  return `${apiBase}${path}`;
}

/**
 * One API request. `body` goes as JSON, or as it is when it is FormData (a multipart upload).
 * `answers` lists error statuses whose document is an answer rather than a problem (the health
 * check's 503); `signal` (an AbortSignal) gives the request up. Resolves to the JSON answer (null
 * for 204); throws ApiError for a problem.
 */
export async function api(path, { method = "GET", body, answers = [], signal } = {}) {
  const headers = { Accept: "application/json" };
  const json = body !== undefined && !(body instanceof FormData);
  if (json) headers["Content-Type"] = "application/json";
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  const response = await fetch(apiURL(path), {
    method, headers, body: json ? JSON.stringify(body) : body, credentials: "same-origin", signal,
  });
  if (response.status === 204) return null;
  let data;
  try { data = await response.json(); } catch { throw new ApiError(response.status, { title: `HTTP ${response.status}` }); }
  if (!response.ok && !answers.includes(response.status)) throw new ApiError(response.status, data);
  return data;
}

let networkFacts = null;

/** The served network (GET /api/network): asked once per page, and again after a failure. */
export function network() {
  networkFacts ??= api("/network").catch((error) => { networkFacts = null; throw error; });
  return networkFacts;
}

/** The native coin's symbol ("S" on Sonic), from the network's facts. */
export async function nativeSymbol() {
  return (await network()).symbol;
}

// Text only: nothing from the API is ever inserted as HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function shortAddress(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : "";
}
