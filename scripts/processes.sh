# Process helpers shared by scripts/stack.sh and scripts/cluster.sh (sourced, not run): pid files
# in $RUN_DIR, messages prefixed with $WHO, the devnet on $DEVNET_PORT.

pid_of() { [[ -f $RUN_DIR/$1.pid ]] && cat "$RUN_DIR/$1.pid" || true; }

# Alive, and really ours: the pid's command line names what we started.
running() {
  local pid; pid=$(pid_of "$1")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$2" "/proc/$pid/cmdline" 2>/dev/null
}

stop_one() { # name pattern
  local pid; pid=$(pid_of "$1")
  if running "$1" "$2"; then
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "$WHO: $1 did not stop in 10 s; killing it"; kill -KILL "$pid"; fi
    echo "$WHO: stopped $1 (pid $pid)"
  fi
  rm -f "$RUN_DIR/$1.pid"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # description seconds command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$WHO: $what did not come up within $seconds s" >&2
  return 1
}

rpc_ok() {
  curl -sf -m 2 -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$DEVNET_PORT"
}

say_status() { # "name pattern"...: one line each, running (with its pid) or stopped
  local service name
  for service in "$@"; do
    set -- $service
    name=$1; shift
    if running "$name" "$*"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; fi
  done
}

# The script's command: start, stop or status (its own functions of those names).
dispatch() { # script command
  case "${2:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $1 start|stop|status" >&2; exit 2 ;;
  esac
}
