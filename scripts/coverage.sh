#!/usr/bin/env bash
# Line coverage of the services (Sources/SonicApp), the HTTP layer (Sources/SonicAPI) and the
# indexer (Sources/SonicSync) by the Swift tests alone, with the chain suites against a devnet of
# their own, as in make test. An instrumented build in .build-coverage (not part of make test).
#   scripts/coverage.sh        prints llvm-cov's report per file and the total per target
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=.venv/bin/python
SCRATCH=.build-coverage
mkdir -p var/test
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd devnet && exec "$ROOT/$PY" -m sonic_devnet --port "$port" </dev/null >"$ROOT/var/test/coverage-devnet.log" 2>&1) &
devnet=$!
trap 'kill $devnet 2>/dev/null' EXIT
for _ in $(seq 600); do
  curl -sf -m 1 -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' "http://127.0.0.1:$port" >/dev/null && break
  sleep 0.1
done
rm -rf var/test/tmp && mkdir -p var/test/tmp
# The differential suites need generated cases; they cover Ethereum, not the targets measured here.
TMPDIR="$ROOT/var/test/tmp" SONIC_TEST_RPC_URL="http://127.0.0.1:$port" \
  swift test --scratch-path "$SCRATCH" --enable-code-coverage --skip DifferentialTests 2>&1 | grep -E "✘|Test run with" || true
data=$(swift test --scratch-path "$SCRATCH" --show-codecov-path)
profile="$(dirname "$data")/default.profdata"
binary=$(find -L "$SCRATCH/debug" -maxdepth 1 -name '*PackageTests.xctest' | head -1)
# The toolchain's own llvm-cov: it reads the profile format its compiler wrote (Debian's may not).
llvm_cov="$(dirname "$(readlink -f "$(command -v swift)")")/llvm-cov"
[ -x "$llvm_cov" ] || llvm_cov=llvm-cov
for target in SonicApp SonicAPI SonicSync; do
  echo "=== $target ==="
  # File, then the line columns (lines, missed, cover).
  "$llvm_cov" report "$binary" -instr-profile "$profile" "$ROOT/Sources/$target" \
    | awk '/^Filename/ { printf "%-40s %8s %8s %8s\n", "file", "lines", "missed", "cover"; next }
           /^TOTAL/ || /\.swift/ { printf "%-40s %8s %8s %8s\n", $1, $(NF-5), $(NF-4), $(NF-3) }' | sed "s|$ROOT/Sources/$target/||"
done
