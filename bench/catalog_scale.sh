#!/usr/bin/env bash
# The catalog at full scale: a 100k-record catalog made from the built-in one
# (written as one file by builtin_catalog, then bench/make_big_catalog.py), side by side with jq selecting the same
# codename. Targets: warm xfu list >= 20x faster than jq and under 50 ms;
# cold (index build included) no slower than jq, peak memory under 1.5x the
# catalog's size; verify looks a file up without reading the catalog; a
# sharded copy served by nginx transfers under 2% of the single file's bytes.
#   bench/catalog_scale.sh [RUNS] [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-11}
records=${2:-100000}
xfu=$PWD/build/xfu
for tool in jq nginx python3; do command -v $tool >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }; done
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }
work=$(mktemp -d)
chmod 755 "$work"  # nginx workers read the files as another user
export XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/config
nginx_pid=
trap '[ -n "$nginx_pid" ] && kill $nginx_pid 2>/dev/null; rm -rf "$work"' EXIT

catalog=$work/big.json
builtin_catalog "$xfu" "$work/builtin.json"
python3 bench/make_big_catalog.py "$work/builtin.json" "$records" "$catalog"
rm "$work/builtin.json"
size=$(stat -c %s "$catalog")
echo "catalog: $records records, $size bytes; median of $runs runs"
printf '%-52s %10s %10s\n' "command" "ms" "peak KiB"
row() { printf '%-52s %10s %10s\n' "$1" "$(median_ms "$runs" "${@:2}")" "$(peak_kb "${@:2}")"; }
cold() { rm -rf "$XDG_CACHE_HOME"; "$xfu" --catalog "$catalog" list dipper; }

row "jq select codename dipper" jq -c '.roms[] | select(.codename|startswith("dipper"))' "$catalog"
row "xfu list dipper, cold (index built)" bash -c "$(declare -f cold); xfu=$xfu catalog=$catalog XDG_CACHE_HOME=$XDG_CACHE_HOME cold"
rm -rf "$XDG_CACHE_HOME"
"$xfu" --catalog "$catalog" list dipper >/dev/null
row "xfu list dipper, warm" "$xfu" --catalog "$catalog" list dipper
row "xfu list dipper --json, warm" "$xfu" --catalog "$catalog" list dipper --json
name=$(jq -r '.roms[-1].filename' "$catalog")
printf 'x' > "$work/$name"
row "xfu verify (file name lookup), warm" "$xfu" --catalog "$catalog" verify "$work/$name"
echo "peak memory limit (1.5x catalog): $((size * 3 / 2 / 1024)) KiB; cold peak measured directly:"
rm -rf "$XDG_CACHE_HOME"
echo "  $(peak_kb "$xfu" --catalog "$catalog" list dipper) KiB"

# Sharded: bytes nginx sends for one query, against the single file.
"$xfu" catalog split "$catalog" "$work/www/sharded" >/dev/null
cp "$catalog" "$work/www/catalog.json"
chmod -R a+rX "$work/www"
port=$((20000 + RANDOM % 20000))
cat > "$work/nginx.conf" <<CONF
daemon off; pid $work/nginx.pid; error_log $work/error.log;
events {}
http {
  access_log $work/access.log;
  log_format bytes '\$request_uri \$bytes_sent';
  server { listen 127.0.0.1:$port; root $work/www; access_log $work/bytes.log bytes; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" & nginx_pid=$!
sleep 1
rm -rf "$XDG_CACHE_HOME"
"$xfu" --catalog "http://127.0.0.1:$port/catalog.json" list dipper >/dev/null
"$xfu" --catalog "http://127.0.0.1:$port/sharded/index.json" list dipper >/dev/null
single=$(awk '$1 == "/catalog.json" {s += $2} END {print s}' "$work/bytes.log")
sharded=$(awk '$1 ~ /^\/sharded\// {s += $2} END {print s}' "$work/bytes.log")
echo "bytes sent by nginx for list dipper: single file $single, sharded $sharded ($(awk -v a="$sharded" -v b="$single" 'BEGIN {printf "%.2f", 100 * a / b}')%)"
awk '$1 ~ /^\/sharded\// {print "  " $0}' "$work/bytes.log"
