#!/usr/bin/env bash
# Two builds of xfu side by side, alternating run by run, so that a change
# can be shown to cost nothing: downloads from a local nginx (one connection
# unthrottled, and the default against limit_rate 40m per connection),
# verify of a large file, and list on the built-in catalog.
#   bench/compare_builds.sh OLD_XFU [NEW_XFU] [RUNS] [OUTDIR]
# NEW_XFU defaults to build/xfu; every download is checked with md5sum.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
old=$(realpath "${1:?usage: bench/compare_builds.sh OLD_XFU [NEW_XFU] [RUNS] [OUTDIR]}")
new=$(realpath "${2:-build/xfu}")
runs=${3:-5}
outdir=${4:-/dev/shm}
for tool in nginx md5sum; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is needed" >&2; exit 2; }
done

served_file "$outdir" $((1 << 30))
fast=$((20000 + RANDOM % 20000))
throttled=$((fast + 1))
start_nginx "$work" 2 "server { listen 127.0.0.1:$fast; root $work/root; }
  server { listen 127.0.0.1:$throttled; root $work/root; limit_rate 40m; }"
check() { [ "$(md5sum "$out/rom.zip" | cut -c1-32)" = "$md5" ] || { echo "bench: $1 gave a wrong file" >&2; exit 1; }; }

declare -A times
for ((i = 0; i < runs; i++)); do
  for build in old new; do
    xfu=${!build}
    clean; times[$build.one]+="$(median_ms 1 "$xfu" download -q -c 1 --md5 "$md5" -o "$out" "http://127.0.0.1:$fast/rom.zip") "
    check "$build"
    clean; times[$build.auto]+="$(median_ms 1 "$xfu" download -q --md5 "$md5" -o "$out" "http://127.0.0.1:$throttled/rom.zip") "
    check "$build"
    times[$build.verify]+="$(median_ms 1 "$xfu" verify --md5 "$md5" "$work/root/rom.zip") "
    times[$build.list]+="$(median_ms 1 "$xfu" --catalog builtin list dipper) "
  done
done

echo "OLD $old"
echo "NEW $new"
echo "medians of $runs alternating runs, ms; 1 GiB from nginx on 127.0.0.1 into $outdir"
printf '%-58s %9s %9s %7s\n' "command" "old" "new" "new/old"
for row in "one:download -c 1 (unthrottled)" "auto:download, default (limit_rate 40m per connection)" \
  "verify:verify --md5 (file in the page cache)" "list:--catalog builtin list dipper"; do
  key=${row%%:*}
  o=$(median "${times[old.$key]}")
  n=$(median "${times[new.$key]}")
  printf '%-58s %9s %9s %7s\n' "${row#*:}" "$o" "$n" "$(awk -v o="$o" -v n="$n" 'BEGIN {printf "%.2f", n / o}')"
done
