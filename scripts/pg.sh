#!/usr/bin/env bash
# A private PostgreSQL cluster for make run, make test and make bench.
#
#   scripts/pg.sh start DIR PORT   initdb (once) and start a cluster in DIR listening on 127.0.0.1:PORT,
#                                  with database "oficina"; prints its DATABASE_URL
#   scripts/pg.sh replica PRIMARY_PORT DIR PORT
#                                  a streaming replica of the cluster on 127.0.0.1:PRIMARY_PORT
#                                  (pg_basebackup -R: hot standby), started in DIR on PORT;
#                                  prints its DATABASE_URL (for DATABASE_READ_URL)
#   scripts/pg.sh stop DIR         stop it (fast)
#   scripts/pg.sh free-port        print a TCP port nobody listens on
#
# PostgreSQL refuses to run as root, so when the caller is root the cluster belongs to the
# "postgres" user. Authentication is "trust" on loopback only: the cluster is private and throw-away.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg.sh: PostgreSQL server binaries not found (run scripts/deps.sh)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

. "$(dirname "$0")/ports.sh" # free_port, port_is_free

# Makes DIR (created if needed, 0700) usable as a data directory by the cluster's owner.
own_dir() {
	local dir p
	mkdir -p "$1"
	chmod 700 "$1"
	dir=$(cd "$1" && pwd)
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		# postgres must be able to reach the directory through its parents.
		p=$(dirname "$dir") # the data directory itself must stay 0700
		while [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
	fi
}

# Starts the cluster in DIR on PORT (127.0.0.1 only).
run_cluster() {
	local dir=$1 port=$2 opts
	# %a: the application_name, which the server sets to oficina:<correlation id> in each
	# transaction, so an error or a slow statement in this log names its request.
	opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir' -c max_connections=200"
	opts="$opts -c log_line_prefix='%m [%p] %a '"
	# Throw-away clusters (tests, bench) need no crash safety: PG_FAST=1 skips the flushes.
	[ "${PG_FAST:-0}" = 1 ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	if ! as_owner "$bindir/pg_ctl" -D "$dir" -w -t 60 -l "$dir/server.log" -o "$opts" start >/dev/null; then
		tail -n 5 "$dir/server.log" >&2
		exit 1
	fi
}

case "${1:-}" in
start)
	dir=$2 port=$3
	own_dir "$dir"
	dir=$(cd "$dir" && pwd)
	if [ ! -f "$dir/PG_VERSION" ]; then
		as_owner "$bindir/initdb" -D "$dir" -U oficina -A trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 ||
			{ cat "$dir.initdb.log" >&2; exit 1; }
	fi
	run_cluster "$dir" "$port"
	"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U oficina -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'oficina'" | grep -q 1 ||
		"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U oficina -d postgres -c 'CREATE DATABASE oficina' >/dev/null
	echo "postgresql://oficina@127.0.0.1:$port/oficina"
	;;
replica)
	primary_port=$2 dir=$3 port=$4
	own_dir "$dir"
	dir=$(cd "$dir" && pwd)
	if [ ! -f "$dir/PG_VERSION" ]; then
		# initdb's pg_hba.conf trusts replication connections from loopback; -R writes
		# standby.signal and primary_conninfo, so the copy starts as a streaming hot standby.
		as_owner "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U oficina -D "$dir" \
			-R -X stream -c fast >"$dir.basebackup.log" 2>&1 ||
			{ cat "$dir.basebackup.log" >&2; exit 1; }
	fi
	run_cluster "$dir" "$port"
	echo "postgresql://oficina@127.0.0.1:$port/oficina"
	;;
stop)
	dir=$2
	[ -f "$dir/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
	;;
free-port)
	free_port
	;;
*)
	echo "usage: scripts/pg.sh start DIR PORT | replica PRIMARY_PORT DIR PORT | stop DIR | free-port" >&2
	exit 2
	;;
esac
