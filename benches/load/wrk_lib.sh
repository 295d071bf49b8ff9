# Shared by the load scripts (sourced): waiting for a server, one wrk run, medians, a series
# of runs. Reads $threads, $connections, $duration and $runs.

wait_for() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "$1 did not answer" >&2
  exit 1
}

# One wrk run: prints "<requests/s> <p99 ms>".
measure() {
  local url="$1" script="$2" out
  out="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$script" "$url")"
  if grep -q "Non-2xx" <<<"$out"; then
    echo "$out" >&2
    echo "non-2xx answers: not every request was a valid one" >&2
    exit 1
  fi
  local rps p99
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { v = $2;
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      print v }' <<<"$out")"
  echo "$rps $p99"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# series LABEL URL SCRIPT [PREPARE]: a warm-up, then $runs measured runs; prints the median
# requests/s and p99. PREPARE, when given, is called with the run's name ("warm-up", 1, 2, …)
# before each run to write SCRIPT afresh (requests that must not repeat).
series() {
  local label="$1" url="$2" script="$3" prepare="${4:-}" rates=() p99s=()
  [ -z "$prepare" ] || "$prepare" warm-up
  wrk -t1 -c4 -d2s -s "$script" "$url" >/dev/null # warm-up
  for run in $(seq "$runs"); do
    [ -z "$prepare" ] || "$prepare" "$run"
    read -r rps p99 < <(measure "$url" "$script")
    echo "$label run $run: $rps requests/s, p99 $p99 ms" >&2
    rates+=("$rps")
    p99s+=("$p99")
  done
  echo "$(printf '%s\n' "${rates[@]}" | median) $(printf '%s\n' "${p99s[@]}" | median)"
}

