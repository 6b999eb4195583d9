#!/usr/bin/env bash
# Reading a fastboot package: `xfu inspect FILE --json` against one pass of
# gzip and of tar over the same .tgz.
#   bench/inspect_speed.sh [SIZE_MB] [RUNS] [DIR]
# Builds a fastboot .tgz of about SIZE_MB (default 2000) in DIR (default: a
# temporary directory under /tmp, removed at the end) with GNU tar and gzip:
# one top folder, images/*.img of random and of text-like bytes, flash_all
# scripts last, as Xiaomi orders them. The file is in the page cache; the tools alternate run by run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
size_mb=${1:-2000}
runs=${2:-3}
dir=${3:-$(mktemp -d)}
xfu=$PWD/build/xfu
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }
top=dipper_global_images_V10.3.6.0.PEAMIXM_20190911.0000.00_9.0_global
tgz=$dir/$top.tgz
cleanup() { rm -rf "${dir:?}/$top" "$tgz"; }
trap cleanup EXIT
export XDG_CACHE_HOME=$dir/cache XDG_CONFIG_HOME=$dir/config

# The package: four images sharing SIZE_MB, then the scripts.
mkdir -p "$dir/$top/images"
# Half the bytes random (stored as is by gzip), half text-like (deflated to
# about three quarters): inflating then costs what it costs in a real package.
for image in boot vendor; do
  head -c $((size_mb * 1000000 / 4)) /dev/urandom > "$dir/$top/images/$image.img"
done
for image in system userdata; do
  # (base64 ends on SIGPIPE once head has enough)
  base64 -w 0 /dev/urandom | head -c $((size_mb * 1000000 / 4)) > "$dir/$top/images/$image.img" || true
done
pack_fastboot "$dir/$top" "$tgz"
bytes=$(stat -c %s "$tgz")
cat "$tgz" > /dev/null  # into the page cache

# (xfu --help lists the commands; "xfu inspect --help" on a build without
# it would print the general help and succeed.)
has_inspect=yes
"$xfu" --help | grep -qE '^  inspect ' || has_inspect=no
[ "$has_inspect" = yes ] || echo "bench: this xfu has no inspect command yet: only gzip and tar are timed" >&2

# A small local catalog: the lookup stays out of the measurement, and nothing leaves the machine.
inspect=("$xfu" --catalog "$PWD/tests/fixtures/catalog-small.json" inspect --json)
declare -A times
for ((i = 0; i < runs; i++)); do
  times[gzip]+="$(median_ms 1 sh -c "gzip -dc '$tgz' > /dev/null") "
  times[tar]+="$(median_ms 1 tar -tzf "$tgz") "
  times[md5sum]+="$(median_ms 1 md5sum "$tgz") "
  [ "$has_inspect" = no ] || times[xfu]+="$(median_ms 1 "${inspect[@]}" "$tgz") "
done

mbps() { awk -v bytes="$1" -v ms="$2" 'BEGIN {printf "%.0f", bytes / (ms / 1000) / 1000000}'; }
echo "package: $bytes bytes (.tgz); median of $runs runs"
printf '%-36s %10s %16s %10s\n' "command" "ms" "MB/s (of .tgz)" "peak KiB"
row() {  # row LABEL KEY COMMAND...
  local label=$1 key=$2 ms
  shift 2
  ms=$(median "${times[$key]}")
  printf '%-36s %10s %16s %10s\n' "$label" "$ms" "$(mbps "$bytes" "$ms")" "$(peak_kb "$@")"
}
row "gzip -dc FILE > /dev/null" gzip gzip -dc "$tgz"
row "tar -tzf FILE" tar tar -tzf "$tgz"
row "md5sum FILE" md5sum md5sum "$tgz"
[ "$has_inspect" = no ] || row "xfu inspect FILE --json (MD5 too)" xfu "${inspect[@]}" "$tgz"
