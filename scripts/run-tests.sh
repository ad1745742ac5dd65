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

# PostgreSQL 15 for the Swift suites: a server of this run's own in var/test/pg (trust on
# 127.0.0.1, a free port, no Unix socket), stopped and removed when the suite ends, failed or
# not. PostgreSQL refuses to run as root, so as root it runs as Debian's `postgres` user (or
# `nobody`), which owns the folder. Debian keeps initdb and pg_ctl outside the PATH.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=$ROOT/var/test/pg
pg_as=()
pg_started=0

start_postgres() {
  local port user
  [[ -x $PG_BIN/initdb ]] || { echo "run-tests: PostgreSQL 15 is not installed ($PG_BIN/initdb): run make deps" >&2; return 1; }
  rm -rf "$PG_DIR" && mkdir -p "$PG_DIR"
  if [[ $(id -u) -eq 0 ]]; then
    user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$PG_DIR"
    pg_as=(runuser -u "$user" --)
  fi
  port=$(free_port)
  "${pg_as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U sonic -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  pg_started=1
  "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  "${pg_as[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U sonic sonic_test || return 1
  export SONIC_TEST_DATABASE_URL="postgres://sonic@127.0.0.1:$port/sonic_test"
}

stop_postgres() {
  ((pg_started)) || return 0
  pg_started=0
  "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
  cp "$PG_DIR/server.log" var/test/swift-postgres.log 2>/dev/null
  rm -rf "$PG_DIR"
  unset SONIC_TEST_DATABASE_URL
}
trap stop_postgres EXIT
trap 'stop_postgres; exit 130' INT TERM

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
  start_postgres || { stop_postgres; kill "$pid" 2>/dev/null; return 1; }
  # The suites' scratch files and databases go to a folder of this run, removed afterwards.
  rm -rf var/test/tmp && mkdir -p var/test/tmp
  TMPDIR="$ROOT/var/test/tmp" SONIC_TEST_RPC_URL="http://127.0.0.1:$port" SONIC_DIFF_DIR=var/test/diff swift test --skip-build 2>&1 \
    | tee var/test/swift.log | grep -vE '^(◇|↳|􀟈|Test Case .* started|Test Suite .* started)'
  status=${PIPESTATUS[0]}
  rm -rf var/test/tmp
  stop_postgres
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
