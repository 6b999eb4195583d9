#!/usr/bin/env bash
# xfu list CODENAME on the built-in catalog, side by side with jq doing the
# same selection on the same records as one JSON file (the built-in catalog
# written out by builtin_catalog in bench/timing.sh). Target: well under 100 ms.
#   bench/list_speed.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-21}
xfu=build/xfu
command -v jq >/dev/null || { echo "bench: jq is needed (apt-get install jq)" >&2; exit 2; }
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }
export XDG_CACHE_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
catalog=$(mktemp --suffix=.json)
trap 'rm -rf "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$catalog"' EXIT
builtin_catalog "$xfu" "$catalog"

records=$(jq '.roms | length' "$catalog")
echo "catalog: built-in as one file, $(stat -c %s "$catalog") bytes, $records records; median of $runs runs"
printf '%-58s %10s %10s\n' "command" "ms" "peak KiB"
row() { printf '%-58s %10s %10s\n' "$1" "$(median_ms "$runs" "${@:2}")" "$(peak_kb "${@:2}")"; }
row "xfu --catalog builtin list dipper" "$xfu" --catalog builtin list dipper
row "xfu --catalog FILE list dipper (FILE: the one file)" "$xfu" --catalog "$catalog" list dipper
row "xfu --catalog builtin list dipper --json" "$xfu" --catalog builtin list dipper --json
row "jq '.roms[] | select(.codename|startswith(\"dipper\"))'" jq -c '.roms[] | select(.codename|startswith("dipper"))' "$catalog"
