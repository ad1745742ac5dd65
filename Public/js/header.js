// The wallet button and network badge on every page.

import { connect, onChange, restoreSession, signIn, state, switchNetwork, availableWallets } from "./wallet.js";
import { shortAddress } from "./api.js";

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
menu.className = "wallet-menu";
menu.setAttribute("role", "group");
menu.setAttribute("aria-label", "Choose a wallet");
menu.hidden = true;
button.after(menu);

// Several wallets announced themselves (EIP-6963): the person chooses one.
function chooseWallet(wallets) {
  return new Promise((resolve) => {
    menu.replaceChildren(...wallets.map((wallet) => {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "chip";
      choice.textContent = wallet.info.name;
      choice.addEventListener("click", () => { menu.hidden = true; resolve(wallet.info.uuid); });
      return choice;
    }));
    menu.hidden = false;
    say("Choose a wallet");
    menu.querySelector("button").focus();
  });
}

button.addEventListener("click", async () => {
  try {
    if (!state.account) {
      const wallets = availableWallets();
      const chosen = wallets.length > 1 ? await chooseWallet(wallets) : undefined;
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
