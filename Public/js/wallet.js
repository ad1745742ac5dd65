// The person's wallet: EIP-6963 discovery of injected wallets (several may be installed; the
// person chooses), EIP-1193 requests, the Sonic network added or switched to (EIP-3085,
// EIP-3326), and Sign-In with Ethereum (EIP-4361). Rejections and account or network changes
// are reported, never silently ignored.

import { api, nativeSymbol, setCsrfToken } from "./api.js";

const chainId = Number(document.body.dataset.chainId);
const networkName = document.body.dataset.networkName || "Sonic";
const rpcUrl = document.body.dataset.rpcUrl || "";
const explorer = document.body.dataset.explorer || "";
const ACCOUNT_KEY = "sonic.account";
const WALLET_KEY = "sonic.wallet";
const listeners = new Set();
const providers = new Map();
let provider = null;

export const state = { account: sessionStorage.getItem(ACCOUNT_KEY), signedIn: false, chainOk: true };

function emit() { for (const listener of listeners) listener(state); }
export function onChange(listener) { listeners.add(listener); listener(state); }

window.addEventListener("eip6963:announceProvider", (event) => {
  const { info, provider: announced } = event.detail;
  providers.set(info.uuid, { info, provider: announced });
});
window.dispatchEvent(new Event("eip6963:requestProvider"));

export function availableWallets() {
  const list = [...providers.values()];
  if (list.length === 0 && window.ethereum) list.push({ info: { uuid: "injected", name: "Browser wallet" }, provider: window.ethereum });
  return list;
}

function attach(chosen) {
  provider = chosen;
  provider.on?.("accountsChanged", (accounts) => {
    state.account = accounts[0] || null;
    state.signedIn = false;
    setCsrfToken(null);
    if (state.account) sessionStorage.setItem(ACCOUNT_KEY, state.account); else sessionStorage.removeItem(ACCOUNT_KEY);
    emit();
  });
  provider.on?.("chainChanged", (hex) => { state.chainOk = Number(hex) === chainId; emit(); });
}

export async function connect(uuid) {
  const wallets = availableWallets();
  const chosen = wallets.find((wallet) => wallet.info.uuid === uuid) || wallets[0];
  if (!chosen) throw new Error("No wallet found. Install a wallet such as MetaMask, then reload the page.");
  attach(chosen.provider);
  sessionStorage.setItem(WALLET_KEY, chosen.info.uuid);
  const accounts = await provider.request({ method: "eth_requestAccounts" });
  state.account = accounts[0];
  sessionStorage.setItem(ACCOUNT_KEY, state.account);
  state.chainOk = Number(await provider.request({ method: "eth_chainId" })) === chainId;
  emit();
  return state.account;
}

export async function switchNetwork() {
  const hex = `0x${chainId.toString(16)}`;
  try {
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: hex }] });
  } catch (error) {
    if (error.code !== 4902) throw error;
    const symbol = await nativeSymbol();
    await provider.request({
      method: "wallet_addEthereumChain",
      params: [{ chainId: hex, chainName: networkName, nativeCurrency: { name: "Sonic", symbol, decimals: 18 },
        rpcUrls: rpcUrl ? [rpcUrl] : [], blockExplorerUrls: explorer ? [explorer] : [] }],
    });
  }
  state.chainOk = true;
  emit();
}

function siweMessage(fields, address) {
  const issued = new Date().toISOString();
  return `${fields.domain} wants you to sign in with your Ethereum account:\n${address}\n\n${fields.statement}\n\n`
    + `URI: ${fields.uri}\nVersion: ${fields.version}\nChain ID: ${fields.chain_id}\nNonce: ${fields.nonce}\nIssued At: ${issued}`
    + `\nExpiration Time: ${fields.expires_at}`;
}

export async function signIn() {
  if (!state.account) await connect();
  const fields = await api(`/auth/nonce?address=${state.account.toLowerCase()}`);
  const address = fields.address;
  state.account = address;  // the EIP-55 form from here on
  sessionStorage.setItem(ACCOUNT_KEY, address);
  emit();
  const message = siweMessage(fields, address);
  const hex = "0x" + Array.from(new TextEncoder().encode(message), (b) => b.toString(16).padStart(2, "0")).join("");
  const signature = await provider.request({ method: "personal_sign", params: [hex, address] });
  const session = await api("/auth/verify", { method: "POST", body: { message, signature } });
  setCsrfToken(session.csrf_token);
  state.signedIn = true;
  emit();
  return session;
}

export async function restoreSession() {
  try {
    // A new tab shares the cookie but not the first tab's storage: the CSRF token comes from here.
    const me = await api("/auth/me");
    setCsrfToken(me.csrf_token);
    state.account = me.address;
    state.signedIn = true;
  } catch { state.signedIn = false; }
  emit();
}

// After a page change the wallet chosen earlier is found again, without a prompt.
async function ensureProvider() {
  if (provider) return;
  const wallets = availableWallets();
  const chosen = wallets.find((wallet) => wallet.info.uuid === sessionStorage.getItem(WALLET_KEY)) || (wallets.length === 1 ? wallets[0] : null);
  if (!chosen) throw new Error("Connect your wallet first.");
  attach(chosen.provider);
  const accounts = await provider.request({ method: "eth_accounts" });
  if (!accounts.length) throw new Error("Connect your wallet first.");
  state.chainOk = Number(await provider.request({ method: "eth_chainId" })) === chainId;
}

export async function sendTransaction(tx) {
  await ensureProvider();
  if (!state.chainOk) await switchNetwork();
  const { from, to, value, data, gas, maxFeePerGas, maxPriorityFeePerGas, nonce } = tx;
  return provider.request({
    method: "eth_sendTransaction",
    params: [{ from, to, value, data, gas, maxFeePerGas, maxPriorityFeePerGas, nonce, type: "0x2", chainId: tx.chainId }],
  });
}

export function explorerLink(hash) { return explorer ? `${explorer}/tx/${hash}` : null; }
