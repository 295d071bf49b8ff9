#!/usr/bin/env bash
# AssumeRoleWithSAML load on loopback: Ferriam's release server (SQLite), a provider registered
# from the test IdP's metadata, and wrk posting ~4 KB responses pysaml2 signed with xmlsec1, one
# per simulated person, round-robin (AWS lets a response be used again within its validity; each
# request checks the whole signature and issues credentials, and no person reaches the cap of
# live credentials). Prints each run's requests/s and p99, and the median.
#
#   benches/load/saml.sh          (after `make build`)
#
# Environment: FERRIAM_BIN (default $CARGO_TARGET_DIR/release/ferriam), DURATION (5s),
# CONNECTIONS (16), THREADS (2), RUNS (3), PEOPLE (200), FERRIAM_PORT (3294).
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$HOME/.cargo/ferriam-target}"
ferriam="${FERRIAM_BIN:-$target/release/ferriam}"
duration="${DURATION:-5s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-2}"
runs="${RUNS:-3}"
ferriam_port="${FERRIAM_PORT:-3294}"
people="${PEOPLE:-200}"
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
  --unsigned-requests-per-second 0 >"$work/ferriam.log" 2>&1 &
pids+=($!)
ferriam_url="http://127.0.0.1:$ferriam_port"
wait_for "$ferriam_url/healthz"

# The IdP signs a response per person; wrk posts them as AssumeRoleWithSAML's form bodies.
response_bytes="$(PYTHONPATH=tests/aws "$aws_python" - "$ferriam_url" "$key_id" "$secret" "$work/bodies" "$people" <<'PY' 2>/dev/null
import json, sys, urllib.parse, boto3
from saml_idp import ROLE, ROLE_SESSION_NAME, SamlIdp, encode
endpoint, key, secret, bodies_file, people = sys.argv[1:]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id=key, aws_secret_access_key=secret)
idp = SamlIdp(endpoint, lifetime_minutes=60)
provider = iam.create_saml_provider(Name="bench", SAMLMetadataDocument=idp.metadata())["SAMLProviderArn"]
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": provider},
         "Action": "sts:AssumeRoleWithSAML",
         "Condition": {"StringEquals": {"SAML:aud": f"{endpoint}/saml"}}}]}
role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
with open(bodies_file, "w") as bodies:
    for person in range(int(people)):
        name = f"person-{person:04d}"
        document = idp.response(name, {ROLE: [f"{role},{provider}"], ROLE_SESSION_NAME: [name]})
        bodies.write(urllib.parse.urlencode({
            "Action": "AssumeRoleWithSAML", "Version": "2011-06-15", "RoleArn": role,
            "PrincipalArn": provider, "SAMLAssertion": encode(document)}) + "\n")
print(len(document))
PY
)"
cat >"$work/saml.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local bodies = {}
for line in io.lines("$work/bodies") do bodies[#bodies + 1] = line end
local next_body = math.random(#bodies)
request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
LUA
read -r rps p99 < <(series saml "$ferriam_url" "$work/saml.lua")
echo "AssumeRoleWithSAML ($response_bytes-byte signed responses, SQLite): median $rps requests/s, p99 $p99 ms"
