#!/usr/bin/env bash
# make run: serves Oficina on $PORT (8080). Without DATABASE_URL it starts a private PostgreSQL
# cluster under .data/pg (port $PG_PORT, 25432 — the binary's default DATABASE_URL), applies the
# migrations and serves in development mode; Ctrl-C stops the server and then the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
export APP_ENV=${APP_ENV:-development}
export PORT=${PORT:-8080}
pgdir=""

stop_all() {
	[ -n "${server_pid:-}" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	[ -n "$pgdir" ] && scripts/pg.sh stop "$pgdir" && echo "PostgreSQL stopped"
}
trap stop_all EXIT
trap 'exit 0' INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
	pgdir=$PWD/.data/pg
	DATABASE_URL=$(scripts/pg.sh start "$pgdir" "${PG_PORT:-25432}")
	export DATABASE_URL
	echo "PostgreSQL running in $pgdir: $DATABASE_URL"
fi
"$build/oficina" migrate up
echo "Oficina on http://127.0.0.1:$PORT (APP_ENV=$APP_ENV); Ctrl-C stops it"
"$build/oficina" serve &
server_pid=$!
wait "$server_pid"
