#!/usr/bin/env bash
# Starts and stops the local stack: devnet, sonic-sync, sonic-fcgi and nginx, with pid files in var/run.
#   scripts/stack.sh start    start what is not running (sonic-sync and sonic-fcgi are restarted, nginx reloaded)
#   scripts/stack.sh stop     stop exactly what start started
#   scripts/stack.sh status   say what is running
# Settings: SONIC_* variables (see README), SONIC_BIN (folder of the built executables).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${SONIC_BIN:-.build/release}
DEVNET_PORT=${SONIC_DEVNET_PORT:-8545}
URL=http://127.0.0.1:8080
mkdir -p var/run var/log var/nginx

# As root, nginx's workers would run as nobody and could not read a checkout in a private
# home folder: keep them as the invoking user (a local stack; docs/operations.md for servers).
NGINX_ARGS=(-p "$ROOT" -c nginx.conf)
[[ $(id -u) -eq 0 ]] && NGINX_ARGS+=(-g "user root;")

RUN_DIR=var/run
WHO=stack
# shellcheck source=scripts/processes.sh
source scripts/processes.sh

start() {
  for program in sonic-fcgi sonic-sync sonic; do
    [[ -x $BIN/$program ]] || { echo "stack: $BIN/$program is not built (make build)" >&2; exit 1; }
  done
  [[ -f dist/index.html ]] || { echo "stack: dist/ is not built (make site)" >&2; exit 1; }

  if [[ ${SONIC_NETWORK:-devnet} == devnet ]]; then
    if running devnet sonic_devnet; then
      echo "stack: devnet already running (pid $(pid_of devnet))"
    else
      if port_busy "$DEVNET_PORT"; then echo "stack: port $DEVNET_PORT is taken by another program" >&2; exit 1; fi
      (cd devnet && exec setsid "$ROOT/.venv/bin/python" -m sonic_devnet --port "$DEVNET_PORT" </dev/null \
        >>"$ROOT/var/log/devnet.log" 2>&1) &
      echo $! > var/run/devnet.pid
      wait_for "the devnet" 60 rpc_ok
      echo "stack: devnet started on http://127.0.0.1:$DEVNET_PORT (pid $(pid_of devnet))"
    fi
    export SONIC_RPC_URLS=${SONIC_RPC_URLS:-http://127.0.0.1:$DEVNET_PORT}
    # Our contracts, with the first development account (a public key, for the local chain only).
    # Kept when already on chain; redeployed after the devnet restarted with an empty chain.
    "$BIN/sonic" deploy --network devnet --rpc-url "http://127.0.0.1:$DEVNET_PORT" \
      --private-key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 | sed 's/^/stack: /'
  fi

  stop_one sonic-sync sonic-sync
  setsid "$BIN/sonic-sync" run </dev/null >>var/log/sonic-sync.log 2>&1 &
  echo $! > var/run/sonic-sync.pid
  echo "stack: sonic-sync started (pid $(pid_of sonic-sync))"

  stop_one sonic-fcgi sonic-fcgi
  setsid "$BIN/sonic-fcgi" </dev/null >>var/log/sonic-fcgi.log 2>&1 &
  echo $! > var/run/sonic-fcgi.pid
  echo "stack: sonic-fcgi started (pid $(pid_of sonic-fcgi))"

  if running nginx "nginx: master"; then
    nginx "${NGINX_ARGS[@]}" -s reload
    echo "stack: nginx reloaded"
  else
    if port_busy 8080; then echo "stack: port 8080 is taken by another program" >&2; exit 1; fi
    nginx "${NGINX_ARGS[@]}"
    echo "stack: nginx started on $URL (pid $(pid_of nginx))"
  fi

  if ! wait_for "/api/health" 60 sh -c "curl -sf -m 2 $URL/api/health | grep -q '\"status\":\"ok\"'"; then
    curl -s "$URL/api/health" >&2 || true
    echo >&2
    tail -n 20 var/log/sonic-fcgi.log >&2 || true
    exit 1
  fi
  # The indexer starts beside sonic-fcgi: say so if it has already stopped (its log says why).
  if ! running sonic-sync sonic-sync; then
    echo "stack: sonic-sync stopped right after starting; the end of var/log/sonic-sync.log:" >&2
    tail -n 5 var/log/sonic-sync.log >&2 || true
    exit 1
  fi
  echo
  echo "Smart Sonic is running: $URL"
  echo "  health: $(curl -s "$URL/api/health")"
  if [[ ${SONIC_NETWORK:-devnet} == devnet ]]; then
    echo
    echo "Funded development accounts, 10,000 S each (keys from the well-known test mnemonic: never use them on a real network):"
    sed -n 's/^  \(0x[0-9a-fA-F]\{40\}\).*/  \1/p' var/log/devnet.log | head -n 10
    echo "  mnemonic: test test test test test test test test test test test junk (m/44'/60'/0'/0/N)"
  fi
  echo
  echo "Logs in var/log/; stop with: make stop"
}

stop() {
  if running nginx "nginx: master"; then
    stop_one nginx "nginx: master"
  fi
  rm -f var/run/nginx.pid
  stop_one sonic-fcgi sonic-fcgi
  stop_one sonic-sync sonic-sync
  stop_one devnet sonic_devnet
}

status() {
  say_status "devnet sonic_devnet" "sonic-sync sonic-sync" "sonic-fcgi sonic-fcgi" "nginx nginx: master"
}

dispatch scripts/stack.sh "${1:-}"
