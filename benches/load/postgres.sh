#!/usr/bin/env bash
# PostgreSQL against SQLite on loopback, release server, wrk at 32 connections, medians of 3
# runs in one sitting:
#   - SigV4-signed GetUser: SQLite; PostgreSQL with one instance; two instances on the same
#     database and the same cores (two wrk processes of 16 connections, totals added);
#   - CreateUser (a write and its audit record), each request signed ahead with its own name;
#   - how long a change on one instance takes to be in effect on the other.
#
#   benches/load/postgres.sh        (after `make build`; starts its own throwaway PostgreSQL)
#
# Environment: FERRIAM_BIN, DURATION (10s), CONNECTIONS (32), THREADS (2), RUNS (3). The
# cluster runs with PostgreSQL's durable defaults (fsync, synchronous_commit on), as SQLite
# runs with synchronous=FULL.
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$HOME/.cargo/ferriam-target}"
ferriam="${FERRIAM_BIN:-$target/release/ferriam}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
runs="${RUNS:-3}"
python=".tools/aws-venv/bin/python"
key_id="AKIALOADTESTKEY00001"
secret="loadTestSecretKeyForTheQueryApi000000000"
read_body="Action=GetUser&Version=2010-05-08&UserName=bench"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -x "$ferriam" ] || { echo "no release server at $ferriam: make build" >&2; exit 2; }
make --no-print-directory .tools/aws-venv/.installed .tools/postgres >/dev/null

work="$(mktemp -d)"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres-cluster.sh stop "$work/pg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source benches/load/wrk_lib.sh

server_url="$(FERRIAM_PG_DURABLE=1 scripts/postgres-cluster.sh start "$work/pg")"
psql "$server_url" -q -c "CREATE DATABASE bench"
postgres_url="${server_url%/*}/bench"
sqlite_url="sqlite://$work/ferriam/ferriam.db"

# One installation per database: an account, its root key, the user GetUser reads.
printf '%s\n' 'load test root password 1!' >"$work/pw"
for database in "$sqlite_url" "$postgres_url"; do
  "$ferriam" --data-dir "$work/ferriam" --database-url "$database" account create \
    --email load@example.com --password-file "$work/pw" --account-id 123456789012 >/dev/null
  "$ferriam" --data-dir "$work/ferriam" --database-url "$database" access-key create \
    --account 123456789012 --access-key-id "$key_id" --secret-access-key "$secret" >/dev/null
done

start() { # start PORT DATABASE_URL
  FERRIAM_LOG=warn "$ferriam" --data-dir "$work/ferriam" --database-url "$2" serve \
    --addr "127.0.0.1:$1" >"$work/ferriam-$1.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$1/healthz"
}
start 3301 "$sqlite_url"
start 3302 "$postgres_url"
start 3303 "$postgres_url"
for port in 3301 3302; do
  "$python" - "http://127.0.0.1:$port" "$key_id" "$secret" <<'PY'
import sys, boto3
endpoint, key, secret = sys.argv[1:]
boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
             aws_secret_access_key=secret).create_user(UserName="bench")
PY
done
# SigV4 covers the Host header: one script per port.
for port in 3301 3302 3303; do
  (cd benches/load && "../../$python" presign_lua.py "http://127.0.0.1:$port" "$key_id" \
    "$secret" "$read_body") >"$work/read-$port.lua"
done

# --- reads -------------------------------------------------------------------------------
read -r sqlite_rps sqlite_p99 < <(series "GetUser sqlite" http://127.0.0.1:3301 "$work/read-3301.lua")
read -r pg_rps pg_p99 < <(series "GetUser postgres" http://127.0.0.1:3302 "$work/read-3302.lua")
two_instances() { # both PostgreSQL instances at once, half the connections each
  local half=$((connections / 2)) a b
  wrk -t1 -c4 -d2s -s "$work/read-3303.lua" http://127.0.0.1:3303 >/dev/null
  for run in $(seq "$runs"); do
    wrk -t1 -c"$half" -d"$duration" -s "$work/read-3302.lua" http://127.0.0.1:3302 >"$work/a.out" &
    wrk -t1 -c"$half" -d"$duration" -s "$work/read-3303.lua" http://127.0.0.1:3303 >"$work/b.out"
    wait %1 2>/dev/null || wait
    a="$(awk '/^Requests\/sec:/ { print $2 }' "$work/a.out")"
    b="$(awk '/^Requests\/sec:/ { print $2 }' "$work/b.out")"
    echo "GetUser postgres, two instances, run $run: $a + $b requests/s" >&2
    awk -v a="$a" -v b="$b" 'BEGIN { print a + b }'
  done | median
}
pg_two_rps="$(two_instances)"

# --- writes ------------------------------------------------------------------------------
write_port=""
signed_writes() { # signed_writes RUN: CreateUser requests with names no other run used
  (cd benches/load && "../../$python" signed_writes_lua.py "http://127.0.0.1:$write_port" \
    "$key_id" "$secret" "$((6000 * ${duration%s}))" "w$write_port-$1" "$threads" \
    "$work/write.tsv") >"$work/write.lua"
}
writes() { # writes LABEL PORT: median requests/s and p99 of CreateUser runs
  write_port="$2"
  series "$1" "http://127.0.0.1:$2" "$work/write.lua" signed_writes
}
read -r sqlite_w sqlite_wp99 < <(writes "CreateUser sqlite" 3301)
read -r pg_w pg_wp99 < <(writes "CreateUser postgres" 3302)

# --- change to effect --------------------------------------------------------------------
effect="$(cd benches/load && "../../$python" change_to_effect.py http://127.0.0.1:3302 \
  http://127.0.0.1:3303 "$key_id" "$secret" 100)"

echo "Median of $runs runs of $duration at $connections connections (wrk, loopback, release):"
echo "  GetUser  sqlite:   $sqlite_rps requests/s, p99 $sqlite_p99 ms"
echo "  GetUser  postgres: $pg_rps requests/s, p99 $pg_p99 ms"
awk -v p="$pg_rps" -v s="$sqlite_rps" 'BEGIN { printf "           postgres/sqlite: %.0f%%\n", 100 * p / s }'
echo "  GetUser  postgres, two instances: $pg_two_rps requests/s in total"
echo "  CreateUser sqlite:   $sqlite_w requests/s, p99 $sqlite_wp99 ms"
echo "  CreateUser postgres: $pg_w requests/s, p99 $pg_wp99 ms"
echo "  $effect"
