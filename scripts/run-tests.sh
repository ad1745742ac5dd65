#!/usr/bin/env bash
# Runs the test suites and reports each; exits non-zero if any failed. Expects `make deps`
# and a debug build with tests (make build-debug), which `make test` does first.
#   scripts/run-tests.sh [swift|cli|devnet|contracts|integration|e2e ...]    default: all, in that order
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=.venv/bin/python
suites=("$@")
((${#suites[@]})) || suites=(swift cli devnet contracts integration e2e)
mkdir -p var/test
failed=()

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The Swift suites that talk to a chain get a devnet of their own.
run_swift() {
  local port pid status
  port=$(free_port)
  (cd devnet && exec "$ROOT/$PY" -m sonic_devnet --port "$port" </dev/null >"$ROOT/var/test/swift-devnet.log" 2>&1) &
  pid=$!
  for _ in $(seq 600); do
    curl -sf -m 1 -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' \
      "http://127.0.0.1:$port" >/dev/null && break
    sleep 0.1
  done
  # Differential cases from the reference implementations (eth-account, eth-abi, rlp).
  rm -rf var/test/diff
  $PY Tests/Differential/generate.py var/test/diff || return 1
  # The suites' scratch files and databases go to a folder of this run, removed afterwards.
  rm -rf var/test/tmp && mkdir -p var/test/tmp
  TMPDIR="$ROOT/var/test/tmp" SONIC_TEST_RPC_URL="http://127.0.0.1:$port" SONIC_DIFF_DIR=var/test/diff swift test --skip-build 2>&1 \
    | tee var/test/swift.log | grep -vE '^(◇|↳|􀟈|Test Case .* started|Test Suite .* started)'
  status=${PIPESTATUS[0]}
  rm -rf var/test/tmp
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  ((status == 0)) || return "$status"
  $PY Tests/Differential/verify.py var/test/diff
}

for suite in "${suites[@]}"; do
  echo "=== $suite ==="
  case $suite in
    swift) run_swift ;;
    cli) $PY -m pytest -q Tests/CLI ;;
    devnet) (cd devnet && "$ROOT/$PY" -m pytest -q tests) ;;
    contracts) $PY -m pytest -q contracts/tests ;;
    integration) $PY -m pytest -q Tests/Integration ;;
    e2e) $PY -m pytest -q Tests/e2e ;;
    *) echo "unknown suite $suite (swift, cli, devnet, contracts, integration, e2e)"; false ;;
  esac
  status=$?
  ((status == 0)) || failed+=("$suite")
done

if ((${#failed[@]})); then
  echo "run-tests: FAILED: ${failed[*]}"
  exit 1
fi
echo "run-tests: all suites passed (${suites[*]})"
