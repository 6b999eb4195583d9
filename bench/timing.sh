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
