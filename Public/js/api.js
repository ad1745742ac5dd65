// Talking to the Smart Sonic API: JSON in and out, problem documents as errors, and the
// CSRF token of the signed-in session on every state-changing request.

const apiBase = document.body.dataset.apiBase || "/api";
const CSRF_KEY = "sonic.csrf";

export class ApiError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export function setCsrfToken(token) {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  const response = await fetch(`${apiBase}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin",
  });
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch { data = { title: `HTTP ${response.status}` }; }
  if (!response.ok) throw new ApiError(data, response.status);
  return data;
}

// A multipart upload (FormData), with the session's CSRF token like any state-changing request.
export async function upload(path, formData) {
  const headers = { Accept: "application/json" };
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (csrf) headers["X-CSRF-Token"] = csrf;
  const response = await fetch(`${apiBase}${path}`, { method: "POST", headers, body: formData, credentials: "same-origin" });
  let data = null;
  try { data = await response.json(); } catch { data = { title: `HTTP ${response.status}` }; }
  if (!response.ok) throw new ApiError(data, response.status);
  return data;
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
