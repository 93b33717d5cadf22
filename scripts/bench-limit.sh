#!/usr/bin/env bash
# A diagnosis, not a benchmark: how the adaptive running limit (http_workers_running_limit, README
# "How many workers run at once adapts") moves while GET /api/clientes/{uuid} is under load, with
# PostgreSQL behind the latency proxy as in make bench. Starts a private PostgreSQL, the proxy and
# a fresh server in its default configuration, seeds customers, then for each of RUNS rounds: an
# idle pause, a 2 s warm-up and a measured wrk run of LIMIT_SECONDS on 64 connections, printing
# req/s, p50/p99/p99.9/max and the limit and queue depth sampled every 200 ms meanwhile.
#
#   scripts/bench-limit.sh BUILD_DIR   (env: RUNS=3 LIMIT_SECONDS=10 BENCH_LATENCY_US=500
#                                             LATENCY_PROXY_SRC=../shared/tools/latency-proxy.c)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${RUNS:-3}
secs=${LIMIT_SECONDS:-10}
latency_us=${BENCH_LATENCY_US:-500}
proxy_src=${LATENCY_PROXY_SRC:-$PWD/../shared/tools/latency-proxy.c}
jwt_secret=bench-secret-bench-secret-bench-secret-0001
server_pid=""
# start_server, login, seed_clientes
. scripts/bench-lib.sh

mkdir -p .data
work=$(mktemp -d "$PWD/.data/bench-limit.XXXXXX")
cleanup() {
	set +e
	local pids
	pids=$(jobs -pr)
	[ -n "$pids" ] && kill -TERM $pids 2>/dev/null
	wait 2>/dev/null
	scripts/pg.sh stop "$work/pg"
	rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -o "$work/latency-proxy" "$proxy_src"
pgport=$(scripts/pg.sh free-port)
url=$(PG_FAST=1 scripts/pg.sh start "$work/pg" "$pgport")
seed_clientes "$url" 10000
psql -q "$url" -c 'ANALYZE' >/dev/null
psql -qAt "$url" -c "SELECT uuid FROM clientes ORDER BY random()" >"$work/ids.txt"

proxy_port=$(scripts/pg.sh free-port)
"$work/latency-proxy" "$proxy_port" "$pgport" "$latency_us" >/dev/null 2>&1 &
purl=postgresql://oficina@127.0.0.1:$proxy_port/oficina
for _ in $(seq 1 50); do psql -qAt "$purl" -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
port=$(scripts/pg.sh free-port)
start_server server_pid "$port" "$purl" "$work/server.log"
token=$(login "$port" bench@example.com senha-do-bench)
[ -n "$token" ] || { echo "login failed" >&2; cat "$work/server.log" >&2; exit 1; }

cat >"$work/get.lua" <<LUA
local ids = {}
for line in io.lines("$work/ids.txt") do ids[#ids + 1] = line end
request = function()
	return wrk.format("GET", "/api/clientes/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer $token"})
end
done = function(s, latency, r)
	io.write(string.format("req/s=%.0f p50_ms=%.1f p99_ms=%.1f p99.9_ms=%.1f max_ms=%.1f\n",
		s.requests / (s.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
# One sample: "limit/queued" of the handler pool, from /metrics.
sample() {
	curl -s "http://127.0.0.1:$port/metrics" | awk '
		/^http_workers_running_limit\{pool="handlers"\}/ { l = $2 }
		/^http_queue_depth\{pool="handlers"\}/ { q = $2 }
		END { printf "%s/%s ", l, q }'
}
echo "== GET /api/clientes/{uuid}, 64 connections, PostgreSQL ${latency_us} µs away each way"
for run in $(seq 1 "$runs"); do
	sleep 3
	wrk -t2 -c64 -d2s -s "$work/get.lua" "http://127.0.0.1:$port/" >/dev/null
	(while :; do sample; sleep 0.2; done) >"$work/samples" &
	sampler=$!
	result=$(wrk -t2 -c64 -d"${secs}s" -s "$work/get.lua" "http://127.0.0.1:$port/" | grep 'req/s=')
	kill "$sampler" 2>/dev/null
	wait "$sampler" 2>/dev/null || true
	echo "run $run: $result"
	echo "  running limit/queued, every 200 ms: $(cat "$work/samples")"
done
