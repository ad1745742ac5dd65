#!/usr/bin/env bash
# Several app hosts on one PostgreSQL, all on this machine (docs/operations.md, "A cluster on one
# machine"): PostgreSQL 15 (its own data folder and port), the devnet, two sonic-sync (one active,
# one standby), three sonic-fcgi (each with its own folder and port; they share no file) and a
# front nginx balancing them with passive health checks.
#   scripts/cluster.sh start    start what is not running (make cluster)
#   scripts/cluster.sh stop     stop everything it started (make cluster-stop); the data stays
#   scripts/cluster.sh status   say what is running
#   scripts/cluster.sh start-host N        (re)start sonic-fcgi number N (1-3) alone
#   scripts/cluster.sh stop-postgres | start-postgres    PostgreSQL alone (the hosts stay up)
# Settings (defaults beside `make run`'s, so both can run at once):
#   SONIC_BIN                   the built executables (.build/release)
#   SONIC_CLUSTER_DIR           its folders, logs and pid files (var/cluster)
#   SONIC_CLUSTER_SITE          the built dashboard (dist)
#   SONIC_CLUSTER_PORT          nginx (8081)
#   SONIC_CLUSTER_PG_PORT       PostgreSQL (5433)
#   SONIC_CLUSTER_DEVNET_PORT   the devnet (8546)
#   SONIC_CLUSTER_FCGI_PORTS    the three sonic-fcgi ("9151 9152 9153")
#   SONIC_CLUSTER_RATE          nginx's request rate per client address (50r/s, as nginx.conf)
#   SONIC_CLUSTER_FAIL_TIMEOUT  how long nginx leaves out a host that failed twice (10s)
#   PG_BIN                      initdb and pg_ctl (/usr/lib/postgresql/15/bin: Debian keeps them off the PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath -m "${SONIC_BIN:-.build/release}")
DIR=$(realpath -m "${SONIC_CLUSTER_DIR:-var/cluster}")
SITE=$(realpath -m "${SONIC_CLUSTER_SITE:-dist}")
PORT=${SONIC_CLUSTER_PORT:-8081}
PG_PORT=${SONIC_CLUSTER_PG_PORT:-5433}
DEVNET_PORT=${SONIC_CLUSTER_DEVNET_PORT:-8546}
read -r -a FCGI_PORTS <<<"${SONIC_CLUSTER_FCGI_PORTS:-9151 9152 9153}"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RATE=${SONIC_CLUSTER_RATE:-50r/s}
FAIL_TIMEOUT=${SONIC_CLUSTER_FAIL_TIMEOUT:-10s}
URL=http://127.0.0.1:$PORT
DATABASE_URL=postgres://sonic@127.0.0.1:$PG_PORT/sonic
RPC_URL=http://127.0.0.1:$DEVNET_PORT
HOSTS=(1 2 3)
SYNCS=(1 2)
# The first development account (a public key, for the local chain only).
DEV_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

((${#FCGI_PORTS[@]} == 3)) || { echo "cluster: SONIC_CLUSTER_FCGI_PORTS needs three ports" >&2; exit 2; }
mkdir -p "$DIR/run" "$DIR/log" "$DIR/nginx"

# PostgreSQL refuses to run as root: as root it runs as Debian's `postgres` user, which owns its folder.
pg_as=()
if [[ $(id -u) -eq 0 ]]; then
  pg_user=postgres
  id -u "$pg_user" >/dev/null 2>&1 || pg_user=nobody
  pg_as=(runuser -u "$pg_user" --)
fi
NGINX_ARGS=(-p "$ROOT" -c "$DIR/nginx.conf")
[[ $(id -u) -eq 0 ]] && NGINX_ARGS+=(-g "user root;")

RUN_DIR=$DIR/run
WHO=cluster
# shellcheck source=scripts/processes.sh
source scripts/processes.sh

pg_running() { [[ -f $DIR/pg/data/postmaster.pid ]] && "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg/data" status >/dev/null 2>&1; }

start_postgres() {
  [[ -x $PG_BIN/initdb ]] || { echo "cluster: PostgreSQL 15 is not installed ($PG_BIN/initdb): run make deps" >&2; exit 1; }
  if pg_running; then
    echo "cluster: PostgreSQL already running on port $PG_PORT"
    return
  fi
  if [[ ! -f $DIR/pg/data/PG_VERSION ]]; then
    rm -rf "$DIR/pg" && mkdir -p "$DIR/pg"
    ((${#pg_as[@]})) && chown "$pg_user" "$DIR/pg"
    "${pg_as[@]}" "$PG_BIN/initdb" -D "$DIR/pg/data" -A trust -U sonic -E UTF8 >"$DIR/log/initdb.log" 2>&1 \
      || { cat "$DIR/log/initdb.log" >&2; exit 1; }
  fi
  if port_busy "$PG_PORT"; then echo "cluster: port $PG_PORT is taken by another program" >&2; exit 1; fi
  # Trust on 127.0.0.1 only, no Unix socket: a local cluster (docs/operations.md for a real one).
  # pg_stat_statements loaded (counting needs `CREATE EXTENSION pg_stat_statements`; scripts/bench_cluster.py does it).
  "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100 -c shared_preload_libraries=pg_stat_statements" start >/dev/null \
    || { tail -n 20 "$DIR/pg/server.log" >&2; exit 1; }
  "${pg_as[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U sonic sonic 2>/dev/null || true  # there already after a restart
  echo "cluster: PostgreSQL started on port $PG_PORT ($DATABASE_URL, data in $DIR/pg/data)"
}

start_devnet() {
  if running devnet sonic_devnet; then
    echo "cluster: devnet already running (pid $(pid_of devnet))"
  else
    if port_busy "$DEVNET_PORT"; then echo "cluster: port $DEVNET_PORT is taken by another program" >&2; exit 1; fi
    (cd devnet && exec setsid "$ROOT/.venv/bin/python" -m sonic_devnet --port "$DEVNET_PORT" </dev/null >>"$DIR/log/devnet.log" 2>&1) &
    echo $! >"$DIR/run/devnet.pid"
    wait_for "the devnet" 60 rpc_ok
    echo "cluster: devnet started on $RPC_URL (pid $(pid_of devnet))"
  fi
  # Kept when already on chain; redeployed after the devnet restarted with an empty chain.
  "$BIN/sonic" deploy --network devnet --rpc-url "$RPC_URL" --private-key "$DEV_KEY" --deployments "$DIR/deployments" \
    --artifacts "$ROOT/contracts/build" | sed 's/^/cluster: /'
}

# The environment of one process: its own folder, its own copy of the deployments, the shared database.
process_environment() { # folder
  local folder=$1
  mkdir -p "$folder/deployments"
  cp "$DIR/deployments/devnet.json" "$folder/deployments/devnet.json"
  env_args=(SONIC_NETWORK=devnet SONIC_RPC_URLS="$RPC_URL" SONIC_DATABASE_URL="$DATABASE_URL"
            SONIC_DB_PATH="$folder/unused.sqlite" SONIC_CONTENT_DIR="$folder/ipfs" SONIC_DEPLOYMENTS_DIR="$folder/deployments"
            SONIC_PUBLIC_ORIGIN="$URL")
}

start_sync() { # number
  local name=sonic-sync-$1
  stop_one "$name" sonic-sync
  process_environment "$DIR/$name"
  setsid env "${env_args[@]}" "$BIN/sonic-sync" run </dev/null >>"$DIR/log/$name.log" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}

start_fcgi() { # number
  local name=sonic-fcgi-$1 port=${FCGI_PORTS[$1 - 1]}
  stop_one "$name" sonic-fcgi
  if port_busy "$port"; then echo "cluster: port $port is taken by another program" >&2; exit 1; fi
  process_environment "$DIR/$name"
  setsid env "${env_args[@]}" SONIC_FCGI_LISTEN="127.0.0.1:$port" "$BIN/sonic-fcgi" </dev/null >>"$DIR/log/$name.log" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
  echo "cluster: $name started on 127.0.0.1:$port (pid $(pid_of "$name"))"
}

# The repository's nginx.conf with its ports, paths and upstreams moved to the cluster's: each
# upstream lists the three hosts with passive health checks (a host that failed twice is left
# out for 10 s); GETs that meet a dead host go to the next (fastcgi_next_upstream error
# timeout), POSTs are never resent.
write_nginx_conf() {
  local servers="" port
  for port in "${FCGI_PORTS[@]}"; do servers+="server 127.0.0.1:$port max_fails=2 fail_timeout=$FAIL_TIMEOUT;"$'\n        '; done
  local text; text=$(<nginx.conf)
  local -A replace=(
    ["listen 127.0.0.1:8080 "]="listen 127.0.0.1:$PORT "
    ["server 127.0.0.1:9146;"]="${servers%$'\n        '}"
    ["pid var/run/nginx.pid;"]="pid $DIR/run/nginx.pid;"
    ["root dist;"]="root $SITE;"
    ["rate=50r/s;"]="rate=$RATE;"
  )
  local old
  for old in "${!replace[@]}"; do
    [[ $text == *"$old"* ]] || { echo "cluster: nginx.conf no longer contains '$old'" >&2; exit 1; }
    text=${text//"$old"/"${replace[$old]}"}
  done
  text=${text//"var/log/"/"$DIR/log/"}
  text=${text//"var/nginx/"/"$DIR/nginx/"}
  printf '%s\n' "$text" >"$DIR/nginx.conf"
}

start_nginx() {
  write_nginx_conf
  if running nginx "nginx: master"; then
    nginx "${NGINX_ARGS[@]}" -s reload
    echo "cluster: nginx reloaded"
  else
    if port_busy "$PORT"; then echo "cluster: port $PORT is taken by another program" >&2; exit 1; fi
    nginx "${NGINX_ARGS[@]}"
    echo "cluster: nginx started on $URL (pid $(pid_of nginx))"
  fi
}

start() {
  for program in sonic-fcgi sonic-sync sonic; do
    [[ -x $BIN/$program ]] || { echo "cluster: $BIN/$program is not built (make build)" >&2; exit 1; }
  done
  [[ -f $SITE/index.html ]] || { echo "cluster: $SITE is not built (make site)" >&2; exit 1; }
  start_postgres
  start_devnet
  # The first sonic-sync migrates the database and indexes; the second waits as its standby.
  start_sync 1
  wait_for "sonic-sync-1 (active)" 60 grep -q "indexing devnet" "$DIR/log/sonic-sync-1.log"
  start_sync 2
  wait_for "sonic-sync-2 (standby)" 30 grep -q "waiting as a standby" "$DIR/log/sonic-sync-2.log"
  echo "cluster: sonic-sync-1 indexing (pid $(pid_of sonic-sync-1)), sonic-sync-2 its standby (pid $(pid_of sonic-sync-2))"
  for host in "${HOSTS[@]}"; do start_fcgi "$host"; done
  start_nginx
  if ! wait_for "/api/health" 60 sh -c "curl -sf -m 2 $URL/api/health | grep -q '\"status\":\"ok\"'"; then
    curl -s "$URL/api/health" >&2 || true
    echo >&2
    for host in "${HOSTS[@]}"; do tail -n 5 "$DIR/log/sonic-fcgi-$host.log" >&2 || true; done
    exit 1
  fi
  for name in sonic-sync-1 sonic-sync-2 sonic-fcgi-1 sonic-fcgi-2 sonic-fcgi-3; do
    running "$name" "${name%-*}" || { echo "cluster: $name stopped right after starting; the end of $DIR/log/$name.log:" >&2; tail -n 5 "$DIR/log/$name.log" >&2; exit 1; }
  done
  echo
  echo "Smart Sonic (three hosts on PostgreSQL) is running: $URL"
  echo "  health: $(curl -s "$URL/api/health")"
  echo "  hosts: sonic-fcgi on 127.0.0.1 ports ${FCGI_PORTS[*]}; database: $DATABASE_URL"
  echo
  echo "Funded development accounts, 10,000 S each (keys from the well-known test mnemonic: never use them on a real network):"
  sed -n 's/^  \(0x[0-9a-fA-F]\{40\}\).*/  \1/p' "$DIR/log/devnet.log" | head -n 10
  echo "  mnemonic: test test test test test test test test test test test junk (m/44'/60'/0'/0/N)"
  echo
  echo "Logs in $DIR/log/; stop with: make cluster-stop"
}

stop() {
  if running nginx "nginx: master"; then stop_one nginx "nginx: master"; fi
  rm -f "$DIR/run/nginx.pid"
  for host in "${HOSTS[@]}"; do stop_one "sonic-fcgi-$host" sonic-fcgi; done
  for sync in "${SYNCS[@]}"; do stop_one "sonic-sync-$sync" sonic-sync; done
  stop_one devnet sonic_devnet
  if pg_running; then
    "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null && echo "cluster: stopped PostgreSQL"
  fi
}

status() {
  if pg_running; then echo "postgresql: running (port $PG_PORT)"; else echo "postgresql: stopped"; fi
  say_status "devnet sonic_devnet" "sonic-sync-1 sonic-sync" "sonic-sync-2 sonic-sync" "sonic-fcgi-1 sonic-fcgi" \
             "sonic-fcgi-2 sonic-fcgi" "sonic-fcgi-3 sonic-fcgi" "nginx nginx: master"
}

case "${1:-}" in
  start-host)
    [[ ${2:-} =~ ^[123]$ ]] || { echo "usage: scripts/cluster.sh start-host 1|2|3" >&2; exit 2; }
    start_fcgi "$2" ;;
  stop-postgres)
    "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null && echo "cluster: stopped PostgreSQL" ;;
  start-postgres) start_postgres ;;
  *) dispatch scripts/cluster.sh "${1:-}" ;;
esac
