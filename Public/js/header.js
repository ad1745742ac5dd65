// The wallet button (with a menu when several wallets are installed) and the network badge on
// every page; the notices of the connected address's feed (notices.js) on every page too.

import { connect, onChange, restoreSession, signIn, state, switchNetwork, availableWallets } from "./wallet.js";
import { shortAddress } from "./api.js";
import "./notices.js";

const button = document.getElementById("wallet-button");
const status = document.getElementById("wallet-status");
const badge = document.getElementById("network-badge");

function say(text, bad = false) {
  status.textContent = text;
  status.className = `wallet-status ${bad ? "status-bad" : ""}`;
}

function explain(error) {
  if (error && error.code === 4001) return "You declined in your wallet.";
  return error && error.message ? error.message : "Something went wrong with the wallet.";
}

onChange((current) => {
  if (!current.account) button.textContent = "Connect wallet";
  else if (!current.signedIn) button.textContent = `Sign in as ${shortAddress(current.account)}`;
  else button.textContent = shortAddress(current.account);
  button.disabled = Boolean(current.account && current.signedIn);
  badge.classList.toggle("status-bad", !current.chainOk);
  if (!current.chainOk) say("Your wallet is on another network: press the network badge to switch.", true);
});

const menu = document.createElement("div");
menu.id = "wallet-menu";
menu.className = "wallet-menu";
menu.setAttribute("role", "group");
menu.setAttribute("aria-label", "Choose a wallet");
menu.hidden = true;
button.after(menu);
button.setAttribute("aria-controls", menu.id);
button.setAttribute("aria-expanded", "false");
let resolveChoice = null;  // the open menu's promise: settled with a wallet's uuid, or null when closed without one

function openMenu() {
  menu.hidden = false;
  button.setAttribute("aria-expanded", "true");
}

function closeMenu(uuid) {
  menu.hidden = true;
  button.setAttribute("aria-expanded", "false");
  resolveChoice?.(uuid);
  resolveChoice = null;
}

// Several wallets announced themselves (EIP-6963): the person chooses one, or closes the menu
// (Escape, or the wallet button again) and the promise resolves to null.
function chooseWallet(wallets) {
  return new Promise((resolve) => {
    resolveChoice = resolve;
    menu.replaceChildren(...wallets.map((wallet) => {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "chip";
      choice.textContent = wallet.info.name;
      choice.addEventListener("click", () => closeMenu(wallet.info.uuid));
      return choice;
    }));
    openMenu();
    say("Choose a wallet");
    menu.querySelector("button").focus();
  });
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || menu.hidden) return;
  closeMenu(null);
  button.focus();
});

button.addEventListener("click", async () => {
  if (!menu.hidden) {
    closeMenu(null);
    return;
  }
  try {
    if (!state.account) {
      const wallets = availableWallets();
      const chosen = wallets.length > 1 ? await chooseWallet(wallets) : undefined;
      if (chosen === null) {
        say("");
        return;
      }
      await connect(chosen);
      say(`Connected ${shortAddress(state.account)}`);
    }
    if (!state.chainOk) {
      say("Your wallet is on another network: press the network badge to switch.", true);
      return;
    }
    if (!state.signedIn) {
      await signIn();
      say("Signed in");
    }
  } catch (error) {
    say(explain(error), true);
  }
});

badge.addEventListener("click", async () => {
  try {
    if (!state.account) await connect();
    await switchNetwork();
    say("Network ready");
  } catch (error) {
    say(explain(error), true);
  }
});

restoreSession();
