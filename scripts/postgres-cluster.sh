#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, from Debian's postgresql package: `start DIR`
# creates one in DIR (initdb), serves it on a free loopback port and prints its URL;
# `stop DIR` stops it and removes DIR. `pause DIR` shuts the server down (fast: clients are
# disconnected, data kept) and `resume DIR` serves it again on the same port, for tests of an
# outage. initdb refuses to run as root, so as root the cluster belongs to the package's
# `postgres` user, and its files live in a /tmp directory that user can reach (a checkout under
# /root may not be), named in DIR/cluster; DIR/port is the port it serves on.
# Usage: scripts/postgres-cluster.sh start|stop|pause|resume DIR
set -euo pipefail

command=$1
dir=$(realpath -m "$2")
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Serves the cluster named in DIR/cluster on the port in DIR/port.
serve() {
	local cluster port
	cluster=$(cat "$dir/cluster")
	port=$(cat "$dir/port")
	# Throwaway data: durability settings off for speed (unless FERRIAM_PG_DURABLE=1, for
	# benchmarks); enough connections for every test's pools at once.
	local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	if [ "${FERRIAM_PG_DURABLE:-}" = 1 ]; then
		durability=""
	fi
	as_owner "$bin/pg_ctl" --pgdata="$cluster/data" --log="$cluster/server.log" --wait \
		--options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$cluster \
		-c max_connections=500 $durability" \
		start >/dev/null
}

case "$command" in
start)
	"$0" stop "$dir" 2>/dev/null || true
	mkdir -p "$dir"
	cluster="$dir"
	if [ "$(id -u)" = 0 ]; then
		cluster=$(mktemp -d /tmp/ferriam-postgres.XXXXXX)
		chown postgres: "$cluster"
	fi
	echo "$cluster" >"$dir/cluster"
	as_owner "$bin/initdb" --pgdata="$cluster/data" --username=ferriam --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$dir/port"
	port=$(cat "$dir/port")
	serve
	echo "postgres://ferriam@127.0.0.1:$port/postgres" | tee "$dir/url"
	;;
stop)
	cluster=$(cat "$dir/cluster" 2>/dev/null || echo "$dir")
	if [ -f "$cluster/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" --pgdata="$cluster/data" --mode=immediate stop >/dev/null
	fi
	rm -rf "$cluster" "$dir"
	;;
pause)
	as_owner "$bin/pg_ctl" --pgdata="$(cat "$dir/cluster")/data" --mode=fast --wait stop >/dev/null
	;;
resume)
	serve
	;;
*)
	echo "usage: $0 start|stop|pause|resume DIR" >&2
	exit 2
	;;
esac
