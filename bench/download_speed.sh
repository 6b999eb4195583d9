#!/usr/bin/env bash
# xfu download (transfer + MD5 + fsync) against curl, OpenSSL, md5sum and
# aria2c, from a local nginx serving a 2 GiB file.
#   bench/download_speed.sh [RUNS] [OUTDIR]
# OUTDIR (default /dev/shm, so that the disk does not dominate) receives
# the downloads. Needs nginx, curl, aria2c (apt-get install nginx-light aria2).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/timing.sh
runs=${1:-3}
outdir=${2:-/dev/shm}
xfu=$PWD/build/xfu
for tool in nginx curl aria2c openssl md5sum; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "bench: $tool is needed" >&2; exit 2; }
done
[ -x "$xfu" ] || { echo "bench: build xfu first (./setup.sh build)" >&2; exit 2; }

served_file "$outdir" $((2 << 30))
port=$((20000 + RANDOM % 20000))
start_nginx "$work" 1 "server { listen 127.0.0.1:$port; root $work/root; }"
url=http://127.0.0.1:$port/rom.zip

declare -A times
for ((i = 0; i < runs; i++)); do
  clean; times[curl]+="$(median_ms 1 curl -s -o "$out/rom.zip" "$url") "
  times[openssl]+="$(median_ms 1 openssl dgst -md5 "$out/rom.zip") "
  clean; times[curl_md5sum]+="$(median_ms 1 sh -c "curl -s -o '$out/rom.zip' '$url' && md5sum '$out/rom.zip'") "
  clean; times[aria2c]+="$(median_ms 1 aria2c -q -d "$out" -o rom.zip --checksum=md5=$md5 --allow-overwrite=true "$url") "
  clean; times[xfu]+="$(median_ms 1 "$xfu" download -q --md5 "$md5" -o "$out" "$url") "
  [ "$(md5sum "$out/rom.zip" | cut -c1-32)" = "$md5" ] || { echo "bench: xfu's download is wrong" >&2; exit 1; }
  clean; times[xfu1]+="$(median_ms 1 "$xfu" download -q -c 1 --md5 "$md5" -o "$out" "$url") "
done

echo "2 GiB from nginx on 127.0.0.1 into $outdir; medians of $runs runs"
printf '%-52s %10s\n' "command" "ms"
printf '%-52s %10s\n' "curl -o FILE" "$(median "${times[curl]}")"
printf '%-52s %10s\n' "openssl dgst -md5 FILE" "$(median "${times[openssl]}")"
printf '%-52s %10s\n' "curl -o FILE && md5sum FILE" "$(median "${times[curl_md5sum]}")"
printf '%-52s %10s\n' "aria2c --checksum=md5=... (verifies after writing)" "$(median "${times[aria2c]}")"
printf '%-52s %10s\n' "xfu download -c 1 --md5 ... (one connection)" "$(median "${times[xfu1]}")"
printf '%-52s %10s\n' "xfu download --md5 ... (verifies while writing)" "$(median "${times[xfu]}")"
awk -v x="$(median "${times[xfu]}")" -v c="$(median "${times[curl]}")" -v o="$(median "${times[openssl]}")" \
  'BEGIN {m = c > o ? c : o; printf "xfu takes %.2f of the larger of curl alone and openssl alone (target: at most 1.10)\n", x / m}'
clean
printf 'xfu peak memory: %s KiB (target: under 32768)\n' "$(peak_kb "$xfu" download -q --md5 "$md5" -o "$out" "$url")"
