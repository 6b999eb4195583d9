#!/usr/bin/env bash
# xfu download over several connections against curl and aria2c, from a local
# nginx that limits every connection to 40 MB/s (as Xiaomi's mirrors throttle
# each connection), then unthrottled: xfu's default against one connection,
# with the number of requests the default made (nginx's access log).
#   bench/segmented_speed.sh [RUNS] [OUTDIR] [MB]
# OUTDIR (default /dev/shm) receives the downloads; MB is the file's size
# (default 420). Needs nginx, curl, aria2c (apt-get install nginx-light aria2).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-3}
outdir=${2:-/dev/shm}
megabytes=${3:-420}
xfu=$PWD/build/xfu
for tool in nginx curl aria2c md5sum; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is needed" >&2; exit 2; }
done
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }

served_file "$outdir" $((megabytes * 1000000))
throttled=$((20000 + RANDOM % 20000))
unthrottled=$((throttled + 1))
start_nginx "$work" 2 "server { listen 127.0.0.1:$throttled; root $work/root; limit_rate 40m; }
  server { listen 127.0.0.1:$unthrottled; root $work/root; access_log $work/fast.log; }"
slow=http://127.0.0.1:$throttled/rom.zip
fast=http://127.0.0.1:$unthrottled/rom.zip
check() { [ "$(md5sum "$out/rom.zip" | cut -c1-32)" = "$md5" ] || { echo "bench: $1 gave a wrong file" >&2; exit 1; }; }

declare -A times
for ((i = 0; i < runs; i++)); do
  clean; times[curl]+="$(median_ms 1 curl -s -o "$out/rom.zip" "$slow") "
  check curl
  clean; times[aria2c]+="$(median_ms 1 aria2c -q -x4 -s4 -d "$out" -o rom.zip --allow-overwrite=true "$slow") "
  check aria2c
  clean; times[xfu4]+="$(median_ms 1 "$xfu" download -q -c 4 --md5 "$md5" -o "$out" "$slow") "
  check xfu
  clean; times[xfu_auto]+="$(median_ms 1 "$xfu" download -q --md5 "$md5" -o "$out" "$slow") "
  check xfu
done
# Unthrottled runs are short and noisy: three times as many, alternating.
requests=
for ((i = 0; i < runs * 3; i++)); do
  clean; times[fast_xfu1]+="$(median_ms 1 "$xfu" download -q -c 1 --md5 "$md5" -o "$out" "$fast") "
  check xfu
  : > "$work/fast.log"
  clean; times[fast_xfu]+="$(median_ms 1 "$xfu" download -q --md5 "$md5" -o "$out" "$fast") "
  check xfu
  requests+="$(wc -l < "$work/fast.log") "
  clean; times[fast_curl]+="$(median_ms 1 curl -s -o "$out/rom.zip" "$fast") "
done

echo "$megabytes MB from nginx on 127.0.0.1 into $outdir; medians of $runs runs"
echo "nginx limit_rate 40m (per connection):"
printf '  %-56s %10s\n' "curl -o FILE" "$(median "${times[curl]}")"
printf '  %-56s %10s\n' "aria2c -x4 -s4 (no checksum)" "$(median "${times[aria2c]}")"
printf '  %-56s %10s\n' "xfu download -c 4 --md5 ... (verified)" "$(median "${times[xfu4]}")"
printf '  %-56s %10s\n' "xfu download --md5 ... (default: 4 once it waits)" "$(median "${times[xfu_auto]}")"
awk -v x="$(median "${times[xfu4]}")" -v c="$(median "${times[curl]}")" -v a="$(median "${times[aria2c]}")" \
  'BEGIN {printf "  xfu -c 4 is %.2fx faster than curl (target: at least 3) and takes %.2f of aria2c (target: at most 1.00)\n", c / x, x / a}'
echo "unthrottled (medians of $((runs * 3)) runs):"
printf '  %-56s %10s\n' "curl -o FILE (no checksum)" "$(median "${times[fast_curl]}")"
printf '  %-56s %10s\n' "xfu download -c 1 --md5 ..." "$(median "${times[fast_xfu1]}")"
printf '  %-56s %10s\n' "xfu download --md5 ... (default)" "$(median "${times[fast_xfu]}")"
echo "  runs, -c 1: ${times[fast_xfu1]}"
echo "  runs, default: ${times[fast_xfu]}"
echo "  requests the default made in each run: $requests"
awk -v x="$(median "${times[fast_xfu]}")" -v s="$(median "${times[fast_xfu1]}")" \
  'BEGIN {printf "  the default takes %.2f of one connection (target: at most 1.00)\n", x / s}'
clean
printf 'xfu -c 4 peak memory: %s KiB\n' "$(peak_kb "$xfu" download -q -c 4 --md5 "$md5" -o "$out" "$slow")"
