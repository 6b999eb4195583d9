#!/usr/bin/env bash
# xfu verify against md5sum and OpenSSL on files in the page cache.
#   bench/verify_speed.sh [RUNS] [DIR]
# Makes a 2 GiB file and two 1 GiB files in DIR (default: a temporary
# directory under /tmp, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-5}
dir=${2:-$(mktemp -d)}
xfu=$PWD/build/xfu
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }
cleanup() { rm -f "$dir/big.bin" "$dir/one.bin" "$dir/two.bin" "$dir/two.md5"; }
trap cleanup EXIT
export XDG_CACHE_HOME=$dir/cache XDG_CONFIG_HOME=$dir/config

head -c $((2 << 30)) /dev/urandom > "$dir/big.bin"
head -c $((1 << 30)) /dev/urandom > "$dir/one.bin"
head -c $((1 << 30)) /dev/urandom > "$dir/two.bin"
big_md5=$(md5sum "$dir/big.bin" | cut -c1-32)
(cd "$dir" && md5sum one.bin two.bin > two.md5)
cat "$dir"/*.bin > /dev/null  # into the page cache

speed=$(openssl speed -evp md5 -bytes 16384 -seconds 3 2>/dev/null | awk '/^md5/ {print $2}' | tr -d k)
echo "openssl speed -evp md5, 16 KiB blocks: ${speed} kB/s"
mbps() { awk -v bytes="$1" -v ms="$2" 'BEGIN {printf "%.0f", bytes / (ms / 1000) / 1000000}'; }

# Alternate the tools run by run so that drifts hit all alike.
declare -A times
for ((i = 0; i < runs; i++)); do
  times[md5sum_big]+="$(median_ms 1 md5sum "$dir/big.bin") "
  times[openssl_big]+="$(median_ms 1 openssl dgst -md5 "$dir/big.bin") "
  times[xfu_big]+="$(median_ms 1 "$xfu" verify --md5 "$big_md5" "$dir/big.bin") "
  times[md5sum_two]+="$(median_ms 1 md5sum "$dir/one.bin" "$dir/two.bin") "
  times[xfu_two]+="$(median_ms 1 sh -c "cd '$dir' && '$xfu' verify --check two.md5") "
done

printf '\n%-44s %10s %10s %10s\n' "one 2 GiB file" "ms" "MB/s" "peak KiB"
for tool in md5sum openssl xfu; do
  case $tool in
    md5sum) cmd=(md5sum "$dir/big.bin") ;;
    openssl) cmd=(openssl dgst -md5 "$dir/big.bin") ;;
    xfu) cmd=("$xfu" verify --md5 "$big_md5" "$dir/big.bin") ;;
  esac
  ms=$(median "${times[${tool}_big]}")
  printf '%-44s %10s %10s %10s\n' "${cmd[0]##*/} ${cmd[1]##*/} ..." "$ms" "$(mbps $((2 << 30)) "$ms")" "$(peak_kb "${cmd[@]}")"
done
xfu_ms=$(median "${times[xfu_big]}")
awk -v speed="$speed" -v mbps="$(mbps $((2 << 30)) "$xfu_ms")" \
  'BEGIN {printf "xfu verify reaches %.1f%% of openssl speed (target: at least 95%%)\n", 100 * mbps / (speed / 1000)}'

printf '\n%-44s %10s\n' "two 1 GiB files" "ms"
md5sum_ms=$(median "${times[md5sum_two]}")
xfu_two_ms=$(median "${times[xfu_two]}")
printf '%-44s %10s\n' "md5sum one.bin two.bin" "$md5sum_ms"
printf '%-44s %10s\n' "xfu verify --check two.md5" "$xfu_two_ms"
awk -v x="$xfu_two_ms" -v m="$md5sum_ms" 'BEGIN {printf "xfu takes %.2f of md5sum'"'"'s time (target: at most 0.60)\n", x / m}'
printf 'xfu peak memory on two files: %s KiB (target: under 16384)\n' "$(peak_kb sh -c "cd '$dir' && '$xfu' verify --check two.md5")"
