#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/) and runs each for FUZZ_SECONDS (default 60), printing
# the executions each reached. Corpora grow in var/fuzz/<target>, seeded from Fuzz/Seeds.
#   scripts/fuzz.sh [FuzzRLP FuzzABI FuzzTransaction FuzzSIWE]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
((${#targets[@]})) || targets=(FuzzRLP FuzzABI FuzzTransaction FuzzSIWE)
(cd Fuzz && swift build -c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|Build complete")
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer misreads Swift enums whose payload pointers carry tag bits as leaks (a global
# table of ABI types "leaks" at exit): memory errors are still caught by AddressSanitizer.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
for target in "${targets[@]}"; do
  mkdir -p "var/fuzz/$target"
  cp -n Fuzz/Seeds/"$target"/* "var/fuzz/$target/" 2>/dev/null || true
  log="var/fuzz/$target.log"
  if Fuzz/.build/release/"$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="var/fuzz/$target-" "var/fuzz/$target" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$target: clean for $seconds s, $runs executions, corpus $(ls "var/fuzz/$target" | wc -l) inputs"
  else
    echo "$target: FAILED (the input that failed is var/fuzz/$target-crash-*; see $log)"
    tail -n 30 "$log"
    exit 1
  fi
done
