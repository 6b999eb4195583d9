#!/usr/bin/env bash
# The whole archive built in (data/catalog.pack): one device's query against
# the previous build (single 2.2 MB JSON, 3,783 records), and the commands
# that need every record against jq on the same data written as a plain
# sharded layout (xfu catalog split builtin DIR). Targets: list dipper at most
# 1.25x the previous build; stripped binary at most 12 MB.
#   bench/archive_speed.sh [RUNS] [OLD_XFU]
# Every run starts with a new, empty HOME, XDG cache and config directory
# (not timed); the OS page cache is warm (each command runs once first).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-11}
old=${2:-}
xfu=$PWD/build/xfu
command -v jq >/dev/null || { echo "bench: jq is needed (apt-get install jq)" >&2; exit 2; }
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }
[ -z "$old" ] || [ -x "$old" ] || { echo "bench: $old is not an executable" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CACHE_HOME=$work/home/cache XDG_CONFIG_HOME=$work/home/config

# ms COMMAND...: median wall time in ms of $runs runs, each with a new HOME.
ms() {
  local i t0 times=
  mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" && "$@" >/dev/null 2>&1 || true
  for ((i = 0; i < runs; i++)); do
    rm -rf "$HOME" && mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    times+=" $((($(date +%s%N) - t0) / 1000))"
  done
  median "$times" | awk '{printf "%.1f", $1 / 1000}'
}
# row LABEL MS [OTHER_LABEL OTHER_MS]
row() {
  local ratio=-
  [ $# -gt 2 ] && ratio=$(awk -v a="$2" -v b="$4" 'BEGIN {printf "%.2f", a / b}')
  printf '%-36s %9s   %-26s %9s %7s\n' "$1" "$2" "${3:--}" "${4:--}" "$ratio"
}

dir=$work/plain
"$xfu" catalog split builtin "$dir" >/dev/null
shards=("$dir"/shards/*.json)
file=$work/miui_MI8Global_8.12.7_c18aad4fc4_9.0.zip
printf 'x' > "$file"
name=$(basename "$file")
# The same answers, checked once: record count and codenames.
n_xfu=$("$xfu" --catalog builtin list | wc -l)
n_jq=$(jq -r '.roms[] | [.device,.version,.branch,.type] | @tsv' "${shards[@]}" | wc -l)
[ "$n_xfu" = "$n_jq" ] || { echo "bench: xfu lists $n_xfu records, jq $n_jq" >&2; exit 1; }
[ "$(jq -r --arg f "$name" '.roms[] | select(.filename == $f) | .md5' "${shards[@]}")" ] ||
  { echo "bench: $name is not in the catalog" >&2; exit 1; }

echo "built-in: $n_xfu records in ${#shards[@]} shards; median of $runs runs (ms)"
printf '%-36s %9s   %-26s %9s %7s\n' "xfu (new build)" "ms" "compared with" "ms" "ratio"
if [ -n "$old" ]; then
  row "list dipper" "$(ms "$xfu" --catalog builtin list dipper)" \
    "old build" "$(ms "$old" --catalog builtin list dipper)"
else
  row "list dipper" "$(ms "$xfu" --catalog builtin list dipper)"
fi
row "list laurel_sprout" "$(ms "$xfu" --catalog builtin list laurel_sprout)"
row "show dipper 8.12.7" "$(ms "$xfu" --catalog builtin show dipper 8.12.7)"
row "list (all records)" "$(ms "$xfu" --catalog builtin list)" \
  "jq .roms[] @tsv" "$(ms jq -r '.roms[] | [.device,.version,.branch,.type] | @tsv' "${shards[@]}")"
row "verify FILE (name lookup)" "$(ms "$xfu" --catalog builtin verify "$file")" \
  "jq select(.filename==F)" "$(ms jq -r --arg f "$name" '.roms[] | select(.filename == $f) | .md5' "${shards[@]}")"
row "devices" "$(ms "$xfu" --catalog builtin devices)" \
  "jq group_by(variant)" "$(ms jq -rn '[inputs.roms[]] | group_by(.variant // .codename) | .[]
    | [(.[0].variant // .[0].codename), .[0].device, .[0].region, length] | @tsv' "${shards[@]}")"
row "__complete codenames" "$(ms "$xfu" --catalog builtin __complete codenames)" \
  "jq .codename | sort -u" "$(ms bash -c 'jq -r ".roms[].codename" "$@" | sort -u' _ "${shards[@]}")"
row "catalog check builtin" "$(ms "$xfu" --catalog builtin catalog check builtin)"

strip -o "$work/xfu.stripped" "$xfu"
stripped=$(stat -c %s "$work/xfu.stripped")
echo
echo "stripped binary:     $stripped bytes (limit 12 MB = 12000000: $([ "$stripped" -le 12000000 ] && echo pass || echo FAIL))"
echo "data/catalog.pack:   $(stat -c %s data/catalog.pack) bytes"
echo "plain layout:        $(du -sb "$dir" | cut -f1) bytes (index.json + ${#shards[@]} shards)"
