# Shared helpers for the bench scripts: median wall time of a command.
# Source it; needs bash and GNU date.

# median_ms RUNS COMMAND... : runs COMMAND RUNS times (output discarded) and
# prints the median wall time in milliseconds.
median_ms() {
  local runs=$1 i start end
  shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)]/1000}'
}

# median "T1 T2 ..." : the median of a list of times collected run by run.
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# peak_kb COMMAND... : peak resident memory of COMMAND in KiB.
peak_kb() {
  /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
}

# start_nginx WORK WORKERS SERVERS : runs nginx with its config, pid, error log
# and temp files in WORK, WORKERS worker processes, and SERVERS (server
# blocks) in its http block; stop_nginx WORK stops it.
start_nginx() {
  local work=$1 workers=$2 servers=$3
  mkdir -p "$work/temp"
  cat > "$work/nginx.conf" <<CONF
user root root;
worker_processes $workers;
error_log $work/error.log;
pid $work/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/temp/body;
  proxy_temp_path $work/temp/proxy;
  fastcgi_temp_path $work/temp/fastcgi;
  uwsgi_temp_path $work/temp/uwsgi;
  scgi_temp_path $work/temp/scgi;
  $servers
}
CONF
  /usr/sbin/nginx -p "$work" -c "$work/nginx.conf"
  sleep 0.5
}

stop_nginx() {
  [ -f "$1/nginx.pid" ] && kill "$(cat "$1/nginx.pid")" 2>/dev/null || true
}

# served_file OUTDIR BYTES : sets $work (nginx's directory: BYTES random bytes
# in $work/root/rom.zip, their MD5 in $md5) and $out (where the downloads
# go), both in OUTDIR so that the served file stays in memory when OUTDIR is
# a tmpfs; on exit nginx stops and both are removed. clean empties $out.
served_file() {
  work=$(mktemp -d -p "$1")
  out=$1/xfu-bench-$$
  mkdir -p "$work/root" "$out"
  trap 'stop_nginx "$work"; rm -rf "$work" "$out"' EXIT
  head -c "$2" /dev/urandom > "$work/root/rom.zip"
  md5=$(md5sum "$work/root/rom.zip" | cut -c1-32)
  export XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/config
}
clean() { rm -f "$out"/*; }

# builtin_catalog XFU OUT : the built-in catalog of XFU as one JSON file, one
# record a line (the form data/catalog.json had before the built-in catalog
# became data/catalog.pack): xfu catalog split, then the shards' records.
builtin_catalog() {
  local dir
  dir=$(mktemp -d)
  "$1" catalog split builtin "$dir" >/dev/null
  {
    printf '{"schema": "xfu-catalog/1", "generated": %s, "roms": [\n' "$(jq '.generated' "$dir/index.json")"
    jq -c '.roms[]' "$dir"/shards/*.json | sed '$!s/$/,/'
    printf ']}\n'
  } > "$2"
  rm -rf "$dir"
}

# pack_fastboot FOLDER TGZ : makes FOLDER (which holds images/) a dipper fastboot
# package as Xiaomi lays them out: anti_version.txt, the three flash scripts
# after the images, gzipped into TGZ; FOLDER is removed.
pack_fastboot() {
  local folder=$1 tgz=$2 script
  echo 1 > "$folder/images/anti_version.txt"
  for script in flash_all flash_all_except_storage flash_all_lock; do
    cat > "$folder/$script.sh" <<'SCRIPT'
fastboot $* getvar product 2>&1 | grep "^product: *dipper"
if [ $? -ne 0  ] ; then echo "Missmatching image and device"; exit 1; fi
CURRENT_ANTI_VER=1
fastboot $* flash boot `dirname $0`/images/boot.img
fastboot $* reboot
SCRIPT
  done
  local top
  top=$(basename "$folder")
  tar -C "$(dirname "$folder")" -cf - "$top/images" "$top/flash_all.sh" "$top/flash_all_except_storage.sh" \
    "$top/flash_all_lock.sh" | gzip -c > "$tgz"
  rm -rf "${folder:?}"
}
