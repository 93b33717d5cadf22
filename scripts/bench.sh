#!/usr/bin/env bash
# make bench: a benchmark, not a test. Starts a private PostgreSQL and the server on their own
# ports, seeds customers, then in one run measures
#   - wrk against GET /api/clientes/{uuid} (random ids, a valid token, 64 connections), and
#   - pgbench -M prepared running the same SELECT on the same cluster (and the stock -S script),
# and prints req/s, p50/p99 and the ratio server / pgbench.
#
#   scripts/bench.sh BUILD_DIR      (env: BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_ROWS=10000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
rows=${BENCH_ROWS:-10000}
command -v wrk >/dev/null || { echo "wrk missing (scripts/deps.sh)" >&2; exit 1; }

work=$(mktemp -d "$PWD/.data/bench.XXXXXX" 2>/dev/null || { mkdir -p .data; mktemp -d "$PWD/.data/bench.XXXXXX"; })
pgdir=$work/pg
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	scripts/pg.sh stop "$pgdir"
	rm -rf "$work" "$pgdir.initdb.log"
}
trap cleanup EXIT
pgport=$(scripts/pg.sh free-port)
url=$(PG_FAST=1 scripts/pg.sh start "$pgdir" "$pgport")

DATABASE_URL=$url "$build/oficina" migrate up >/dev/null
# Deterministic ids (md5 of the row number) let pgbench pick the same random rows as wrk.
psql -q "$url" -c "INSERT INTO clientes (uuid, nome, documento, tipo_documento, email)
	SELECT md5(i::text)::uuid, 'Cliente ' || i, lpad(i::text, 11, '0'), 'CPF', 'c' || i || '@example.com'
	FROM generate_series(1, $rows) i" >/dev/null
psql -q "$url" -c "ANALYZE" >/dev/null
psql -qAt "$url" -c "SELECT uuid FROM clientes ORDER BY random()" >"$work/ids.txt"
echo 'senha-do-bench' | DATABASE_URL=$url "$build/oficina" usuario criar --nome Bench \
	--email bench@example.com --perfil atendente >/dev/null

port=$(scripts/pg.sh free-port)
DATABASE_URL=$url PORT=$port JWT_SECRET=bench-secret-bench-secret-bench-secret-0001 \
	APP_ENV=production "$build/oficina" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
	curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
	sleep 0.1
done
token=$(curl -fs "http://127.0.0.1:$port/api/auth/login" -H 'Content-Type: application/json' \
	-d '{"email":"bench@example.com","senha":"senha-do-bench"}' |
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "login failed" >&2; cat "$work/server.log" >&2; exit 1; }

cat >"$work/get.lua" <<LUA
local ids = {}
for line in io.lines("$work/ids.txt") do ids[#ids + 1] = line end
math.randomseed(os.time())
request = function()
	return wrk.format("GET", "/api/clientes/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer $token"})
end
done = function(summary, latency, requests)
	io.write(string.format("BENCH rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(99) / 1000,
		summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
		summary.errors.status))
end
LUA
# The server's SELECT (pg_cliente_repo.c). pgbench reads ":name" as a variable even inside quotes,
# so the two colons of the time format are written chr(58): the same format, the same plan.
cat >"$work/select.sql" <<'SQL'
\set i random(1, :rows)
SELECT uuid, nome, documento, tipo_documento, email, telefone, ativo, to_char(criado_em AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || chr(58) || 'MI' || chr(58) || 'SS"Z"'), to_char(atualizado_em AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || chr(58) || 'MI' || chr(58) || 'SS"Z"') FROM clientes WHERE uuid = md5(CAST(:i AS integer)::text)::uuid;
SQL

echo "== warm-up"
wrk -t2 -c"$conns" -d2s -s "$work/get.lua" "http://127.0.0.1:$port" >/dev/null
echo "== wrk GET /api/clientes/{uuid}, $conns connections, ${secs}s"
server_line=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/get.lua" "http://127.0.0.1:$port" | grep '^BENCH')
echo "$server_line"
echo "== pgbench -M prepared, same SELECT, $conns clients, ${secs}s"
pg_out=$(pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" -D rows="$rows" -r -f "$work/select.sql" "$url" 2>&1)
pg_tps=$(echo "$pg_out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
pg_lat=$(echo "$pg_out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
echo "pgbench tps=$pg_tps latency_avg_ms=$pg_lat"
echo "== pgbench -S -M prepared (stock select-only script, scale 10), $conns clients, ${secs}s"
pgbench -i -q -s 10 "$url" >/dev/null 2>&1
pgs_out=$(pgbench -n -S -M prepared -c "$conns" -j 2 -T "$secs" "$url" 2>&1)
pgs_tps=$(echo "$pgs_out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
echo "pgbench -S tps=$pgs_tps"

rps=$(echo "$server_line" | sed -n 's/.*rps=\([0-9.]*\).*/\1/p')
echo
echo "== result"
awk -v r="$rps" -v a="$pg_tps" -v b="$pgs_tps" -v line="$server_line" 'BEGIN {
	printf "GET /api/clientes/{uuid}: %s\n", line
	printf "ratio server / pgbench same SELECT: %.2f\n", r / a
	printf "ratio server / pgbench -S:          %.2f (goal >= 0.35)\n", r / b
}'
echo "server RSS after the run: $(ps -o rss= -p "$server_pid") KiB"
