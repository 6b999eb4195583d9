#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default
# 60), starting from the seed corpus in tests/fuzz/corpus/. Inputs that crash
# are copied to tests/fuzz/regressions/TARGET/, where the unit tests replay
# them on every run. Needs: apt-get install clang-14 libclang-rt-14-dev
#   tests/fuzz/run.sh [SECONDS [TARGET...]]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(catalog changelog rom_names md5sum_lines http_headers)
build=build-fuzz
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DXFU_FUZZ=ON -DXFU_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
status=0
for target in "${targets[@]}"; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$target/* "$work"/
  artifacts=$(mktemp -d)
  if "$build/tests/fuzz/fuzz_$target" "$work" -max_total_time="$seconds" -max_len=65536 \
      -artifact_prefix="$artifacts/" -print_final_stats=1 > "$artifacts/log" 2>&1; then
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$artifacts/log")
    echo "$target: ${seconds} s, ${runs} inputs, nothing found"
  else
    status=1
    mkdir -p tests/fuzz/regressions/$target
    cp "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* tests/fuzz/regressions/$target/ 2>/dev/null || true
    echo "$target: FOUND a problem; inputs kept in tests/fuzz/regressions/$target/"
    tail -30 "$artifacts/log"
  fi
  rm -rf "$work" "$artifacts"
done
exit $status
