#!/usr/bin/env bash
# Workload credentials on loopback: Ferriam's release server (SQLite), a role trusting EC2 in an
# instance profile, workload tokens issued with the CLI, and wrk fetching GET
# /workload/credentials as the SDKs' container provider does — each request looks the token's
# digest up, checks the role's trust and issues (and stores) new credentials. Each run uses
# tokens of its own, so no token reaches its cap of live credentials. Prints each run's
# requests/s and p99, and the median.
#
#   benches/load/workload.sh          (after `make build`)
#
# Environment: FERRIAM_BIN (default $CARGO_TARGET_DIR/release/ferriam), DURATION (5s),
# CONNECTIONS (16), THREADS (2), RUNS (3), TOKENS (20 per run: a profile has at most 100),
# FERRIAM_PORT (3295).
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$HOME/.cargo/ferriam-target}"
ferriam="${FERRIAM_BIN:-$target/release/ferriam}"
duration="${DURATION:-5s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-2}"
runs="${RUNS:-3}"
tokens="${TOKENS:-20}"
ferriam_port="${FERRIAM_PORT:-3295}"
aws_python=".tools/aws-venv/bin/python"
key_id="AKIALOADTESTKEY00001"
secret="loadTestSecretKeyForTheQueryApi000000000"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -x "$ferriam" ] || { echo "no release server at $ferriam: make build" >&2; exit 2; }
make --no-print-directory .tools/aws-venv/.installed >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

source benches/load/wrk_lib.sh

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
import json, sys, boto3
endpoint, key, secret = sys.argv[1:]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=key, aws_secret_access_key=secret)
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(trust))
iam.create_instance_profile(InstanceProfileName="bench")
iam.add_role_to_instance_profile(InstanceProfileName="bench", RoleName="bench")
PY

# Fresh tokens for each run, round-robin over the connections' requests.
prepare() {
  : >"$work/tokens"
  for _ in $(seq "$tokens"); do
    "$ferriam" --data-dir "$work/ferriam" workload-token create --account 123456789012 \
      --instance-profile bench | "$aws_python" -c 'import json,sys; print(json.load(sys.stdin)["Token"])' >>"$work/tokens"
  done
  cat >"$work/workload.lua" <<LUA
local tokens = {}
for line in io.lines("$work/tokens") do tokens[#tokens + 1] = line end
local next_token = math.random(#tokens)
request = function()
  next_token = next_token % #tokens + 1
  return wrk.format("GET", "/workload/credentials", { ["Authorization"] = tokens[next_token] })
end
LUA
}
read -r rps p99 < <(series workload "$ferriam_url" "$work/workload.lua" prepare)
echo "GET /workload/credentials (SQLite): median $rps requests/s, p99 $p99 ms"
