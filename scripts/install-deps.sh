#!/usr/bin/env bash
# Installs what Smart Sonic needs and is missing: Debian packages (apt-get) and the pinned
# Python packages in .venv (ipfs-cid is the reference for the CID tests). Safe to run again:
# it only installs what is not there yet.
#   scripts/install-deps.sh [--browser] [--load]
#     --browser adds chromium for the browser tests; --load adds locust (requirements-load.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libfcgi-dev libcurl4-openssl-dev libsecp256k1-dev libsqlite3-dev libpq-dev postgresql-15 nginx-light curl python3-venv ipfs-cid zlib1g-dev)
load=0
for option in "$@"; do
  case "$option" in
    --browser) packages+=(chromium fonts-dejavu-core) ;;
    --load) load=1 ;;
    *) echo "install-deps: unknown option $option (accepted: --browser, --load)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python: the devnet and the test suites. Reinstalled only when requirements.txt changes.
stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [[ ! -x .venv/bin/python || ! -f $stamp || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "install-deps: installing Python packages into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$wanted" > "$stamp"
fi

# The load test's generator, on top (its pins agree with requirements.txt).
if ((load)); then
  stamp=.venv/.requirements-load.sha256
  wanted=$(cat requirements.txt requirements-load.txt | sha256sum | cut -d' ' -f1)
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "install-deps: installing the load generator (locust) into .venv"
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt -r requirements-load.txt
    echo "$wanted" > "$stamp"
  fi
fi
