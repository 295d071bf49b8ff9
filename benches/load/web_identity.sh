#!/usr/bin/env bash
# AssumeRoleWithWebIdentity load on loopback with the issuer's keys cached: Ferriam's release
# server (SQLite), an issuer serving tests/data/oidc's keys, and wrk sending requests whose ID
# tokens are all different (each issues credentials, so none is replayed). Prints each run's
# requests/s and p99, and the median of the runs.
#
#   benches/load/web_identity.sh          (after `make build`)
#
# Environment: FERRIAM_BIN (default $CARGO_TARGET_DIR/release/ferriam), DURATION (5s),
# CONNECTIONS (16: at 32 two cores are saturated and latency is queueing), THREADS (2), RUNS (3), PER_RUN (tokens per run, 20000), FERRIAM_PORT (3292),
# ISSUER_PORT (3293).
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$HOME/.cargo/ferriam-target}"
ferriam="${FERRIAM_BIN:-$target/release/ferriam}"
duration="${DURATION:-5s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-2}"
runs="${RUNS:-3}"
per_run="${PER_RUN:-20000}"
ferriam_port="${FERRIAM_PORT:-3292}"
issuer_port="${ISSUER_PORT:-3293}"
aws_python=".tools/aws-venv/bin/python"
key_id="AKIALOADTESTKEY00001"
secret="loadTestSecretKeyForTheQueryApi000000000"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
[ -x "$ferriam" ] || { echo "no release server at $ferriam: make build" >&2; exit 2; }
make --no-print-directory .tools/aws-venv/.installed end2end/node_modules/.installed >/dev/null

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

source benches/load/wrk_lib.sh

# --- the issuer: its discovery document and the test keys ---------------------------------
issuer="http://127.0.0.1:$issuer_port"
python3 - "$issuer_port" "$issuer" >"$work/issuer.log" 2>&1 <<'PY' &
import http.server, json, sys
port, issuer = int(sys.argv[1]), sys.argv[2]
jwks = open("tests/data/oidc/jwks.json", "rb").read()
discovery = json.dumps({"issuer": issuer, "jwks_uri": issuer + "/jwks"}).encode()
class Issuer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = discovery if self.path.startswith("/.well-known/") else jwks
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("127.0.0.1", port), Issuer).serve_forever()
PY
pids+=($!)
wait_for "$issuer/jwks"

# --- Ferriam: the provider, and a role any of its subjects may assume ---------------------
printf '%s\n' 'load test root password 1!' >"$work/pw"
"$ferriam" --data-dir "$work/ferriam" account create --email load@example.com \
  --password-file "$work/pw" --account-id 123456789012 >/dev/null
"$ferriam" --data-dir "$work/ferriam" access-key create --account 123456789012 \
  --access-key-id "$key_id" --secret-access-key "$secret" >/dev/null
FERRIAM_LOG=warn "$ferriam" --data-dir "$work/ferriam" serve --addr "127.0.0.1:$ferriam_port" \
  --allow-loopback-http-idp --unsigned-requests-per-second 0 >"$work/ferriam.log" 2>&1 &
pids+=($!)
ferriam_url="http://127.0.0.1:$ferriam_port"
wait_for "$ferriam_url/healthz"
role_arn="$("$aws_python" - "$ferriam_url" "$key_id" "$secret" "$issuer" <<'PY'
import json, sys, boto3
endpoint, key, secret, issuer = sys.argv[1:]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=key, aws_secret_access_key=secret)
arn = iam.create_open_id_connect_provider(Url=issuer, ClientIDList=["bench"])["OpenIDConnectProviderArn"]
host = issuer.removeprefix("http://")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": arn},
         "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringEquals": {f"{host}:aud": "bench"}}}]}
print(iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"])
PY
)"

prepare() {
  node benches/load/web_identity_requests.mjs "$issuer" "$role_arn" "$per_run" "subject-$1" \
    "$threads" "$work/requests.tsv" >"$work/web_identity.lua"
}
read -r rps p99 < <(series web-identity "$ferriam_url" "$work/web_identity.lua" prepare)
echo "AssumeRoleWithWebIdentity (cached keys, SQLite): median $rps requests/s, p99 $p99 ms"
