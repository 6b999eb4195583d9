#!/usr/bin/env bash
# What reading a package's facts as it arrives costs a download: `xfu download`
# of a fastboot .tgz with and without --no-inspect, from a local nginx that
# sends at most RATE per connection (so the network is the limit), and once
# without a limit (then gunzip on the in-order bytes may be the limit).
#   bench/download_facts.sh [SIZE_MB] [RUNS] [RATE] [OUTDIR]
# SIZE_MB (default 2000) is the images' size; the .tgz is about half of it:
# each image is 16 KiB random blocks, each written twice, so gzip finds the
# copy. RATE is nginx's limit_rate (default 100m, i.e. 100 MiB/s). OUTDIR
# (default /dev/shm, so that the disk does not dominate) holds the package
# and the downloads. xfu uses one connection (-c 1) so that RATE is the
# download's rate. Every download is checked with md5sum. Needs nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
size_mb=${1:-2000}
runs=${2:-3}
rate=${3:-100m}
outdir=${4:-/dev/shm}
xfu=$PWD/build/xfu
[ -x /usr/sbin/nginx ] || { echo "bench: nginx is needed (apt-get install nginx-light)" >&2; exit 2; }
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }
"$xfu" download --help | grep -q -- --no-inspect || { echo "bench: this xfu has no --no-inspect" >&2; exit 2; }

work=$(mktemp -d -p "$outdir")
out=$work/out
trap 'stop_nginx "$work"; rm -rf "$work"' EXIT
mkdir -p "$work/root" "$out"
export XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/config

# The package, laid out as Xiaomi does: one top folder, images, scripts last.
top=dipper_global_images_V10.3.6.0.PEAMIXM_20190911.0000.00_9.0_global
name=${top}.tgz
mkdir -p "$work/$top/images"
for image in boot vendor system userdata; do
  python3 - "$work/$top/images/$image.img" $((size_mb * 1000000 / 4)) <<'PY'
import os, sys
left = int(sys.argv[2])
with open(sys.argv[1], "wb") as image:
    while left > 0:
        block = os.urandom(min(16384, (left + 1) // 2))
        twice = (block + block)[:left]
        image.write(twice)
        left -= len(twice)
PY
done
pack_fastboot "$work/$top" "$work/root/$name"
bytes=$(stat -c %s "$work/root/$name")
md5=$(md5sum "$work/root/$name" | cut -c1-32)

limited=$((20000 + RANDOM % 20000))
unlimited=$((limited + 1))
start_nginx "$work" 1 "server { listen 127.0.0.1:$limited; root $work/root; limit_rate $rate; }
  server { listen 127.0.0.1:$unlimited; root $work/root; }"

# catalog PORT: a one-record catalog for the package on that server.
catalog() {
  printf '[{"codename": "dipper", "variant": "dipper_global", "device": "Mi 8 Global", "version": "V10.3.6.0.PEAMIXM",
    "branch": "Stable", "type": "Fastboot", "filename": "%s", "link": "http://127.0.0.1:%s/%s", "md5": "%s"}]\n' \
    "$name" "$1" "$name" "$md5" > "$work/catalog-$1.json"
}
catalog "$limited"
catalog "$unlimited"

# fetch PORT [--no-inspect]: one timed download, checked with md5sum; prints ms.
fetch() {
  local port=$1 ms
  shift
  rm -f "$out"/*
  ms=$(median_ms 1 "$xfu" --catalog "$work/catalog-$port.json" download "$name" -c 1 -o "$out" "$@")
  [ "$(md5sum "$out/$name" | cut -c1-32)" = "$md5" ] || { echo "bench: the download is wrong" >&2; exit 1; }
  echo "$ms"
}

# The facts are there at all: the last note names the index.
rm -f "$out"/*
"$xfu" --catalog "$work/catalog-$unlimited.json" download "$name" -c 1 -o "$out" 2>&1 >/dev/null |
  grep -q "anti-rollback index 1" || { echo "bench: the download reported no facts" >&2; exit 1; }

declare -A times
for ((i = 0; i < runs; i++)); do
  times[limited]+="$(fetch "$limited") "
  times[limited_off]+="$(fetch "$limited" --no-inspect) "
done
times[unlimited]=$(fetch "$unlimited")
times[unlimited_off]=$(fetch "$unlimited" --no-inspect)
times[gunzip]=$(median_ms 1 sh -c "gzip -dc '$work/root/$name' > /dev/null")

mbps() { awk -v bytes="$bytes" -v ms="$1" 'BEGIN {printf "%.0f", bytes / (ms / 1000) / 1000000}'; }
echo "package: $bytes bytes (.tgz) from nginx on 127.0.0.1 into $outdir"
printf '%-50s %10s %8s\n' "command" "ms" "MB/s"
row() { printf '%-50s %10s %8s\n' "$1" "$2" "$(mbps "$2")"; }
row "limit_rate $rate: xfu download -c 1 (median of $runs)" "$(median "${times[limited]}")"
row "limit_rate $rate: ... --no-inspect (median of $runs)" "$(median "${times[limited_off]}")"
row "no limit: xfu download -c 1 (once)" "${times[unlimited]}"
row "no limit: ... --no-inspect (once)" "${times[unlimited_off]}"
row "gzip -dc FILE > /dev/null (the file in memory)" "${times[gunzip]}"
awk -v a="$(median "${times[limited]}")" -v b="$(median "${times[limited_off]}")" \
  'BEGIN {printf "reading the facts costs %.2f of the rate-limited download\n", a / b}'
