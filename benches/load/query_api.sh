#!/usr/bin/env bash
# Query API load on loopback: SigV4-signed GetUser against Ferriam's release server (SQLite),
# then the same request against moto's server, with wrk at 32 connections. Prints each run's
# requests/s and p99 latency, the median of 3 runs for both, and the ratio.
#
#   benches/load/query_api.sh          (after `make build`; installs moto into .tools/moto-venv)
#
# Environment: FERRIAM_BIN (default $CARGO_TARGET_DIR/release/ferriam), DURATION (default 10s),
# CONNECTIONS (32), THREADS (2), RUNS (3), FERRIAM_PORT (3290), MOTO_PORT (3291).
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$HOME/.cargo/ferriam-target}"
ferriam="${FERRIAM_BIN:-$target/release/ferriam}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
runs="${RUNS:-3}"
ferriam_port="${FERRIAM_PORT:-3290}"
moto_port="${MOTO_PORT:-3291}"
aws_python=".tools/aws-venv/bin/python"
moto_venv=".tools/moto-venv"
key_id="AKIALOADTESTKEY00001"
secret="loadTestSecretKeyForTheQueryApi000000000"
body="Action=GetUser&Version=2010-05-08&UserName=bench"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -x "$ferriam" ] || { echo "no release server at $ferriam: make build" >&2; exit 2; }
make --no-print-directory .tools/aws-venv/.installed >/dev/null
if [ ! -x "$moto_venv/bin/moto_server" ]; then
  python3 -m venv "$moto_venv"
  "$moto_venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

source benches/load/wrk_lib.sh

# --- Ferriam -----------------------------------------------------------------------------
printf '%s\n' 'load test root password 1!' >"$work/pw"
"$ferriam" --data-dir "$work/ferriam" account create --email load@example.com \
  --password-file "$work/pw" --account-id 123456789012 >/dev/null
"$ferriam" --data-dir "$work/ferriam" access-key create --account 123456789012 \
  --access-key-id "$key_id" --secret-access-key "$secret" >/dev/null
FERRIAM_LOG=warn "$ferriam" --data-dir "$work/ferriam" serve --addr "127.0.0.1:$ferriam_port" \
  >"$work/ferriam.log" 2>&1 &
pids+=($!)
ferriam_url="http://127.0.0.1:$ferriam_port"
wait_for "$ferriam_url/healthz"
"$aws_python" - "$ferriam_url" "$key_id" "$secret" <<'PY'
import sys, boto3
endpoint, key, secret = sys.argv[1:]
boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
             aws_secret_access_key=secret).create_user(UserName="bench")
PY
"$aws_python" benches/load/presign_lua.py "$ferriam_url" "$key_id" "$secret" "$body" \
  >"$work/ferriam.lua"
read -r ferriam_rps ferriam_p99 < <(series ferriam "$ferriam_url" "$work/ferriam.lua")

# --- moto --------------------------------------------------------------------------------
"$moto_venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
moto_url="http://127.0.0.1:$moto_port"
wait_for "$moto_url/moto-api/"
"$aws_python" - "$moto_url" <<'PY'
import sys, boto3
boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
             aws_access_key_id="AKIAMOTO", aws_secret_access_key="moto").create_user(
    UserName="bench")
PY
"$aws_python" benches/load/presign_lua.py "$moto_url" "$key_id" "$secret" "$body" >"$work/moto.lua"
read -r moto_rps moto_p99 < <(series moto "$moto_url" "$work/moto.lua")

echo "GetUser, SigV4-signed, $connections connections, median of $runs runs of $duration:"
echo "  ferriam: $ferriam_rps requests/s, p99 $ferriam_p99 ms"
echo "  moto:    $moto_rps requests/s, p99 $moto_p99 ms"
awk -v f="$ferriam_rps" -v m="$moto_rps" 'BEGIN { printf "  ratio:   %.1fx\n", f / m }'
