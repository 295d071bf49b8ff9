#!/usr/bin/env bash
# The users list with 100,000 users in the account, on loopback: latency of the server-rendered
# `/users` page and of the name-prefix search (the `users/list_users` server function), with
# wrk at 1 and 4 connections. Users are seeded straight into SQLite in one statement (creating
# 100,000 through the API would measure the API instead); the page reads only the users table.
#
#   benches/load/users_page.sh          # uses the release build: run `make build` first
set -euo pipefail
bin=${FERRIAM_BIN:-${CARGO_TARGET_DIR:-$HOME/.cargo/ferriam-target}/release/ferriam}
site=${FERRIAM_SITE_ROOT:-$(pwd)/target/site}
port=${PORT:-3300}
users=${USERS:-100000}
base="http://127.0.0.1:$port"
email=bench@example.com
password='users page benchmark password'

dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
printf '%s' "$password" >"$dir/password"
account=$("$bin" --data-dir "$dir" account create --email "$email" --password-file "$dir/password" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["AccountId"])')
sqlite3 "$dir/ferriam.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $users)
  INSERT INTO users (user_id, account_id, name, name_key, path, created_at)
  SELECT printf('AIDABENCH%011d', i), '$account', printf('user%06d', i), printf('user%06d', i),
         '/', 1795305615000 + i FROM n;"
echo "seeded $(sqlite3 "$dir/ferriam.db" "SELECT count(*) FROM users WHERE account_id = '$account'") users"

FERRIAM_SITE_ROOT="$site" "$bin" --data-dir "$dir" serve --addr "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
cookie=$(curl -s -D - -o /dev/null -H 'accept: application/json' \
  --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/api/auth/sign_in" |
  sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
page=$(curl -s -H "Cookie: $cookie" "$base/users")
echo "$page" | grep -q 'user000001' || { echo "the page does not list the first user" >&2; exit 1; }

cat >"$dir/search.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "name_prefix=user0500&marker="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
LUA
for connections in 1 4; do
  echo "== GET /users, $connections connection(s)"
  wrk -t1 -c"$connections" -d10s --latency -H "Cookie: $cookie" "$base/users" | grep -E 'Requests/sec|50%|99%'
  echo "== prefix search (users/list_users), $connections connection(s)"
  wrk -t1 -c"$connections" -d10s --latency -H "Cookie: $cookie" -s "$dir/search.lua" "$base/api/users/list_users" |
    grep -E 'Requests/sec|50%|99%|Non-2xx'
done
