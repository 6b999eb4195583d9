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
