#!/usr/bin/env bash
# One download over three mirrors: xfu against aria2c given the same URLs.
# Three nginx servers on 127.0.0.2, .3 and .4 serve the same file, each
# limiting a connection to 20 MB/s and a client to 2 connections (as Xiaomi's
# hosts cap what one client gets; the count is per client and server). Then the same with one mirror slowed to
# 2 MB/s per connection and another answering 404. Every result is checked
# with md5sum; the speed memory is cleared before each xfu run.
#   bench/mirrors_speed.sh [RUNS] [OUTDIR] [MB]
# OUTDIR (default /dev/shm) receives the downloads; MB is the file's size
# (default 400). Needs nginx, aria2c, jq (apt-get install nginx-light aria2 jq).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-3}
outdir=${2:-/dev/shm}
megabytes=${3:-400}
xfu=$PWD/build/xfu
for tool in nginx aria2c md5sum jq; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is needed" >&2; exit 2; }
done
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }

served_file "$outdir" $((megabytes * 1000000))
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/missing"
mirror() { # ADDRESS ROOT RATE
  echo "server { listen $1:$port; root $2; limit_rate $3; limit_conn perclient 2; limit_conn_status 503; }"
}
start_nginx "$work" 2 "limit_conn_zone \$binary_remote_addr\$server_addr zone=perclient:1m;
  $(mirror 127.0.0.2 "$work/root" 20m)
  $(mirror 127.0.0.3 "$work/root" 20m)
  $(mirror 127.0.0.4 "$work/root" 20m)
  $(mirror 127.0.0.5 "$work/root" 2m)
  $(mirror 127.0.0.6 "$work/missing" 20m)"

name=miui_BENCH_1.0.0_${md5:0:10}_9.0.zip
ln -sf rom.zip "$work/root/$name"
catalog() { # FILE URL... : one record whose link is the first URL and whose mirrors are the others
  local file=$1 link=$2
  shift 2
  jq -n --arg link "$link" --arg md5 "$md5" --arg name "$name" --argjson size $((megabytes * 1000000)) \
    --args '{schema: "xfu-catalog/1", roms: [{codename: "bench", device: "Bench", version: "1.0.0",
      branch: "Stable", type: "Recovery", filename: $name, md5: $md5, size: $size, link: $link,
      mirrors: $ARGS.positional}]}' "$@" > "$file"
}
url() { echo "http://$1:$port/$name"; }
healthy=("$(url 127.0.0.2)" "$(url 127.0.0.3)" "$(url 127.0.0.4)")
hostile=("$(url 127.0.0.2)" "$(url 127.0.0.5)" "$(url 127.0.0.6)" "$(url 127.0.0.3)")
catalog "$work/healthy.json" "${healthy[@]}"
catalog "$work/hostile.json" "${hostile[@]}"
check() { [ "$(md5sum "$out/$name" | cut -c1-32)" = "$md5" ] || { echo "bench: $1 gave a wrong file" >&2; exit 1; }; }
forget() { rm -f "$XDG_CACHE_HOME/xfu/mirror-speeds.json"; }

declare -A times
for ((i = 0; i < runs; i++)); do
  clean; times[aria2c]+="$(median_ms 1 aria2c -q -x2 -s6 -d "$out" -o "$name" --allow-overwrite=true \
    "${healthy[@]}") "
  check aria2c
  clean; forget; times[xfu]+="$(median_ms 1 "$xfu" --catalog "$work/healthy.json" download -q -o "$out" bench) "
  check xfu
  clean; forget; times[xfu_one]+="$(median_ms 1 "$xfu" download -q --md5 "$md5" -o "$out" "${healthy[0]}") "
  check "xfu (one mirror)"
  clean; times[hostile_aria2c]+="$(median_ms 1 aria2c -q -x2 -s6 -d "$out" -o "$name" --allow-overwrite=true \
    "${hostile[@]}") "
  check aria2c
  clean; forget; times[hostile_xfu]+="$(median_ms 1 "$xfu" --catalog "$work/hostile.json" download -q -o "$out" \
    bench) "
  check xfu
done

echo "$megabytes MB from nginx mirrors on 127.0.0.2-6 into $outdir; medians of $runs runs"
echo "three mirrors, each 20 MB/s per connection and 2 connections per client (at best 120 MB/s, $(
  awk -v m="$megabytes" 'BEGIN {printf "%.1f s", m / 120}')):"
printf '  %-60s %10s\n' "aria2c -x2 -s6, the three URLs (no checksum)" "$(median "${times[aria2c]}")"
printf '  %-60s %10s\n' "xfu download (verified)" "$(median "${times[xfu]}")"
printf '  %-60s %10s\n' "xfu download --md5, the best single mirror" "$(median "${times[xfu_one]}")"
awk -v x="$(median "${times[xfu]}")" -v a="$(median "${times[aria2c]}")" -v o="$(median "${times[xfu_one]}")" \
  'BEGIN {printf "  xfu takes %.2f of aria2c (target: at most 1.00) and is %.2fx faster than one mirror (target: at least 2.5)\n", x / a, o / x}'
echo "one mirror at 2 MB/s per connection, one answering 404, two healthy (at best 80 MB/s, $(
  awk -v m="$megabytes" 'BEGIN {printf "%.1f s", m / 80}')):"
printf '  %-60s %10s\n' "aria2c -x2 -s6, the four URLs (no checksum)" "$(median "${times[hostile_aria2c]}")"
printf '  %-60s %10s\n' "xfu download (verified)" "$(median "${times[hostile_xfu]}")"
awk -v x="$(median "${times[hostile_xfu]}")" -v a="$(median "${times[hostile_aria2c]}")" -v m="$megabytes" \
  'BEGIN {printf "  xfu takes %.2f of aria2c (target: at most 0.95) and %.2f of what the healthy mirrors allow (target: at most 1.10)\n", x / a, x / (m / 80 * 1000)}'
