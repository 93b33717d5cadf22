#!/usr/bin/env bash
# make bench: a benchmark, not a test. Starts a private PostgreSQL and the server on their own
# ports, seeds customers, vehicles and a few thousand open orders, then measures in one run, each
# beside a pgbench anchor running the same SQL on the same cluster (pgbench -M prepared):
#
#   GET  /api/clientes/{uuid}   random ids           anchor: the repository's SELECT
#   GET  /api/ordens            the queue, 20/page   anchor: the read model's SELECT
#   POST /api/clientes          new valid CPFs       anchor: BEGIN, INSERT, outbox INSERT, COMMIT, SELECT
#   POST /api/ordens            random customer      anchor: BEGIN, 2 x SELECT FOR UPDATE, INSERT,
#                                                            history INSERT, outbox INSERT, COMMIT,
#                                                            detail SELECT
# and the stock `pgbench -S` (-c BENCH_CONNECTIONS, and -c 8: the loopback anchor of GET by id) for
# reference. Prints req/s, p50/p99 and the ratio server / anchor (and the anchor's own p99, from
# pgbench's per-transaction log, so that a tail of the machine is told from one of the server's).
# Then, in the same run:
#
#   across the network  PostgreSQL BENCH_LATENCY_US away each way: a latency proxy
#                       (LATENCY_PROXY_SRC, built into BUILD_DIR) in front of the cluster and a
#                       second server whose DATABASE_URL goes through it; the same four
#                       measurements, their anchors through the proxy, and pgbench -S -c 64 through
#                       the proxy. Skipped, saying why, when the proxy's source is missing.
#   stall               psql holds one part's row lock for 8 s while 8 POST
#                       /api/pecas/{uuid}/movimentos wait on it; meanwhile wrk measures GET
#                       /api/ping (3 s), GET /api/clientes/{uuid} (3 s, against its unstalled rate)
#                       and, if time is left, /health/live (1 s); then the movements' statuses.
#   login flood         20 connections of wrong-password logins for 5 s and at the same time 8
#                       connections of GET /api/ping; the logins' statuses and the server's peak
#                       RSS (VmHWM, MiB) before and after.
# Every server runs in its default configuration: its environment holds PATH, DATABASE_URL, PORT,
# JWT_SECRET and APP_ENV=production, nothing else. The result ends with a "targets" block, each
# figure beside its target; the exit status says nothing about them.
#
#   scripts/bench.sh BUILD_DIR   (env: BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_ROWS=10000
#                                      BENCH_ORDERS=3000 BENCH_LATENCY_US=500
#                                      LATENCY_PROXY_SRC=../shared/tools/latency-proxy.c)
# pgbench reads ":name" as a variable even inside quotes, so the anchors write the colons of the
# time format as chr(58): the same format, the same plan.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
rows=${BENCH_ROWS:-10000}
orders=${BENCH_ORDERS:-3000}
latency_us=${BENCH_LATENCY_US:-500}
proxy_src=${LATENCY_PROXY_SRC:-$PWD/../shared/tools/latency-proxy.c}
jwt_secret=bench-secret-bench-secret-bench-secret-0001
command -v wrk >/dev/null || { echo "wrk missing (scripts/deps.sh)" >&2; exit 1; }

mkdir -p .data
work=$(mktemp -d "$PWD/.data/bench.XXXXXX")
pgdir=$work/pg
server_pid="" server2_pid="" proxy_pid=""

# Stops one background process of ours: SIGTERM, up to 25 s (the server drains for up to 20 s),
# then SIGKILL; reaps it. Never fails.
stop_pid() {
	local pid=${1:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 250); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
# On any exit: every background job still running (servers, proxy, psql, curl, wrk) gets SIGTERM
# at once, then each is waited for; then the cluster stops.
cleanup() {
	set +e
	local pids pid
	pids=$(jobs -pr)
	[ -n "$pids" ] && kill -TERM $pids 2>/dev/null
	for pid in $pids; do stop_pid "$pid"; done
	scripts/pg.sh stop "$pgdir"
	rm -rf "$work" "$pgdir.initdb.log"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server, login, seed_clientes
. scripts/bench-lib.sh

pgport=$(scripts/pg.sh free-port)
url=$(PG_FAST=1 scripts/pg.sh start "$pgdir" "$pgport")

echo "== seeding $rows customers and vehicles, $orders open orders"
seed_clientes "$url" "$rows"
# The vehicles and orders follow the customers' deterministic ids.
psql -q -v ON_ERROR_STOP=1 "$url" >/dev/null <<SQL
INSERT INTO veiculos (uuid, cliente_uuid, placa, marca, modelo, ano)
	SELECT md5('v' || i)::uuid, md5(i::text)::uuid, 'BE' || chr(65 + (i / 10000) % 26) || lpad((i % 10000)::text, 4, '0'), 'Fiat', 'Uno', 2015
	FROM generate_series(1, $rows) i;
INSERT INTO ordens (numero, cliente_uuid, veiculo_uuid, status, criada_em)
	SELECT 'OS-2026-' || lpad(nextval('ordens_numero_seq')::text, 6, '0'), md5(k::text)::uuid,
	       md5('v' || k)::uuid,
	       (ARRAY['RECEBIDA','EM_DIAGNOSTICO','AGUARDANDO_APROVACAO','EM_EXECUCAO'])[1 + i % 4],
	       now() - (i || ' minutes')::interval
	FROM generate_series(1, $orders) i, LATERAL (SELECT 1 + (i * 7919) % $rows AS k) x;
CREATE SEQUENCE bench_documento_seq START 50000000000;
ANALYZE;
SQL
psql -qAt "$url" -c "SELECT uuid FROM clientes ORDER BY random()" >"$work/ids.txt"

port=$(scripts/pg.sh free-port)
start_server server_pid "$port" "$url" "$work/server.log"
token=$(login "$port" bench@example.com senha-do-bench)
[ -n "$token" ] || { echo "login failed" >&2; cat "$work/server.log" >&2; exit 1; }

# ---- wrk scripts --------------------------------------------------------------------------
report='done = function(summary, latency, requests)
	io.write(string.format("BENCH rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(99) / 1000,
		summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
		summary.errors.status))
end'
cat >"$work/get_cliente.lua" <<LUA
local ids = {}
for line in io.lines("$work/ids.txt") do ids[#ids + 1] = line end
math.randomseed(os.time())
request = function()
	return wrk.format("GET", "/api/clientes/" .. ids[math.random(#ids)], {["Authorization"] = "Bearer $token"})
end
$report
LUA
cat >"$work/get_ordens.lua" <<LUA
request = function()
	return wrk.format("GET", "/api/ordens?por_pagina=20", {["Authorization"] = "Bearer $token"})
end
$report
LUA
# Each wrk thread numbers its CPFs from its own base, so no two requests share a documento.
cat >"$work/post_cliente.lua" <<LUA
local counter, base = 0, 0
local threads_started = 0
setup = function(thread)
	threads_started = threads_started + 1
	thread:set("tid", threads_started)
end
-- A block of a million numbers per thread and per wrk run (BENCH_RUN, numbered by the script; the
-- second of the start without it): no run ever repeats a CPF.
init = function(args)
	base = (tid or 1) * 100000000 + ((tonumber(os.getenv("BENCH_RUN") or "") or os.time()) % 90) * 1000000
end
local cpf = dofile("$PWD/scripts/wrk-cpf.lua")
request = function()
	counter = counter + 1
	local body = '{"nome":"Cliente do bench","documento":"' .. cpf(base + counter) .. '"}'
	return wrk.format("POST", "/api/clientes", {["Authorization"] = "Bearer $token",
		["Content-Type"] = "application/json"}, body)
end
$report
LUA
cat >"$work/post_ordem.lua" <<LUA
local ids = {}
for i = 1, $rows do ids[i] = i end
math.randomseed(os.time())
request = function()
	local i = math.random($rows)
	local body = '{"cliente_uuid":"' .. CLIENTE[i] .. '","veiculo_uuid":"' .. VEICULO[i] .. '"}'
	return wrk.format("POST", "/api/ordens", {["Authorization"] = "Bearer $token",
		["Content-Type"] = "application/json"}, body)
end
$report
LUA
# Pairs of (customer, vehicle) uuids for the POST /api/ordens script.
psql -qAt "$url" -F ' ' -c "SELECT md5(i::text)::uuid, md5('v' || i)::uuid FROM generate_series(1, $rows) i" |
	awk 'BEGIN { print "CLIENTE = {}; VEICULO = {}" } { printf "CLIENTE[%d] = \"%s\"; VEICULO[%d] = \"%s\"\n", NR, $1, NR, $2 }' \
	>"$work/pairs.lua"
sed -i "1i dofile(\"$work/pairs.lua\")" "$work/post_ordem.lua"

# GET /api/ping and /health/live (the stall and the login flood): the path comes with the URL.
echo "$report" >"$work/get.lua"
# The login flood: wrong passwords; each thread counts the answers per status, done() adds them up.
cat >"$work/login_flood.lua" <<'LUA'
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
wrk.method = "POST"
wrk.body = '{"email":"bench@example.com","senha":"senha-errada"}'
wrk.headers["Content-Type"] = "application/json"
statuses = {}
response = function(status, headers, body)
	local k = tostring(status)
	statuses[k] = (statuses[k] or 0) + 1
end
done = function(summary, latency, requests)
	local total, keys, parts = {}, {}, {}
	for _, t in ipairs(threads) do
		for k, n in pairs(t:get("statuses") or {}) do total[k] = (total[k] or 0) + n end
	end
	for k in pairs(total) do keys[#keys + 1] = k end
	table.sort(keys)
	for _, k in ipairs(keys) do parts[#parts + 1] = k .. " x" .. total[k] end
	io.write(string.format("LOGINS %s; %d errors (connect/read/write/timeout); p50_ms=%.2f p99_ms=%.2f\n",
		#parts > 0 and table.concat(parts, ", ") or "none answered",
		summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA

# ---- pgbench anchors: the adapters' SQL (infrastructure/postgres/pg_*.c) -----------------------
ts="'YYYY-MM-DD\"T\"HH24' || chr(58) || 'MI' || chr(58) || 'SS\"Z\"'"
cli_cols="uuid, nome, documento, tipo_documento, email, telefone, ativo, to_char(criado_em AT TIME ZONE 'UTC', $ts), to_char(atualizado_em AT TIME ZONE 'UTC', $ts)"
vei_cols="uuid, cliente_uuid, placa, marca, modelo, ano, cor, ativo, to_char(criado_em AT TIME ZONE 'UTC', $ts), to_char(atualizado_em AT TIME ZONE 'UTC', $ts)"
ord_cols="uuid, numero, cliente_uuid, veiculo_uuid, status, coalesce(descricao, ''), valor_servicos_centavos, valor_pecas_centavos, valor_total_centavos, to_char(orcamento_gerado_em AT TIME ZONE 'UTC', $ts), to_char(orcamento_decidido_em AT TIME ZONE 'UTC', $ts), coalesce(orcamento_decisao, ''), to_char(criada_em AT TIME ZONE 'UTC', $ts), to_char(atualizada_em AT TIME ZONE 'UTC', $ts)"
ord_cols_o=$(echo "$ord_cols" | sed -E 's/(^|, |\()(uuid|numero|cliente_uuid|veiculo_uuid|status|descricao|valor_[a-z_]*|orcamento_[a-z_]*|criada_em|atualizada_em)/\1o.\2/g')
itens() { # table, reference column
	echo "(SELECT coalesce(json_agg(json_build_array(i.uuid, i.$2, i.nome, i.quantidade, i.valor_unitario_centavos) ORDER BY i.criado_em, i.uuid), '[]') FROM $1 i WHERE i.ordem_uuid = o.uuid)"
}
detalhe="SELECT $ord_cols_o, c.nome, c.documento, v.placa, v.marca, v.modelo, v.ano, $(itens ordem_servicos servico_uuid), $(itens ordem_pecas peca_uuid), (SELECT coalesce(json_agg(json_build_array(h.status, to_char(h.em AT TIME ZONE 'UTC', $ts), h.por) ORDER BY h.id), '[]') FROM ordem_historico h WHERE h.ordem_uuid = o.uuid) FROM ordens o JOIN clientes c ON c.uuid = o.cliente_uuid JOIN veiculos v ON v.uuid = o.veiculo_uuid WHERE o.uuid = :ordem AND (NULL::uuid IS NULL OR o.cliente_uuid = NULL)"

cat >"$work/get_cliente.sql" <<SQL
\set i random(1, $rows)
SELECT $cli_cols FROM clientes WHERE uuid = md5(CAST(:i AS integer)::text)::uuid;
SQL
fila="'{EM_EXECUCAO,AGUARDANDO_APROVACAO,EM_DIAGNOSTICO,RECEBIDA,FINALIZADA,ENTREGUE,CANCELADA}'::text[]"
filtro="WHERE o.status = ANY ('{EM_EXECUCAO,AGUARDANDO_APROVACAO,EM_DIAGNOSTICO,RECEBIDA}'::text[]) AND (NULL::uuid IS NULL OR o.cliente_uuid = NULL) AND (NULL::text IS NULL OR o.veiculo_uuid = (SELECT uuid FROM veiculos WHERE placa = NULL)) AND (NULL::uuid IS NULL OR o.cliente_uuid = NULL)"
cat >"$work/get_ordens.sql" <<SQL
WITH pagina AS (SELECT o.uuid FROM ordens o $filtro ORDER BY array_position($fila, o.status), o.criada_em, o.uuid LIMIT 20 OFFSET 0) SELECT o.uuid, o.numero, o.status, o.cliente_uuid, c.nome, o.veiculo_uuid, v.placa, o.valor_total_centavos, to_char(o.criada_em AT TIME ZONE 'UTC', $ts), to_char(o.atualizada_em AT TIME ZONE 'UTC', $ts), (SELECT count(*) FROM ordens o $filtro) FROM pagina p JOIN ordens o ON o.uuid = p.uuid JOIN clientes c ON c.uuid = o.cliente_uuid JOIN veiculos v ON v.uuid = o.veiculo_uuid ORDER BY array_position($fila, o.status), o.criada_em, o.uuid;
SQL
cat >"$work/post_cliente.sql" <<SQL
BEGIN;
INSERT INTO clientes (nome, documento, tipo_documento, email, telefone, ativo) VALUES ('Cliente do bench', nextval('bench_documento_seq')::text, 'CPF', NULL, NULL, true) RETURNING uuid \gset
INSERT INTO eventos (tipo, agregado_uuid, dados, correlation_id) VALUES ('cliente.criado', :uuid, '{"uuid": "x", "tipo_documento": "CPF"}', 'bench');
COMMIT;
SELECT $cli_cols FROM clientes WHERE uuid = :uuid;
SQL
cat >"$work/post_ordem.sql" <<SQL
\set i random(1, $rows)
BEGIN;
SELECT $cli_cols FROM clientes WHERE uuid = md5(CAST(:i AS integer)::text)::uuid FOR UPDATE;
SELECT $vei_cols FROM veiculos WHERE uuid = md5('v' || CAST(:i AS integer)::text)::uuid FOR UPDATE;
INSERT INTO ordens (numero, cliente_uuid, veiculo_uuid, status, descricao) SELECT 'OS-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(n::text, greatest(6, length(n::text)), '0'), md5(CAST(:i AS integer)::text)::uuid, md5('v' || CAST(:i AS integer)::text)::uuid, 'RECEBIDA', NULL FROM nextval('ordens_numero_seq') AS n RETURNING uuid AS ordem \gset
INSERT INTO ordem_historico (ordem_uuid, status, por, perfil, correlation_id) VALUES (:ordem, 'RECEBIDA', 'bench', 'atendente', 'bench');
INSERT INTO eventos (tipo, agregado_uuid, dados, correlation_id) VALUES ('ordem.criada', :ordem, '{"uuid": "x", "numero": "OS", "status": "RECEBIDA"}', 'bench');
COMMIT;
$detalhe;
SQL

# ---- measuring ---------------------------------------------------------------------------------
field() { # name, line: the number after "name=" (empty when absent)
	sed -n "1s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"
}
ratio() { # a, b: a / b with two decimals (0 when b is 0 or empty)
	awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
mib() { # pid: its peak RSS (VmHWM) in MiB, "?" when it is gone
	local status
	status=$(cat "/proc/$1/status" 2>/dev/null) || true
	awk '/^VmHWM:/ { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) printf "?" }' <<<"$status"
}
# wrk with the report script: its BENCH line, or a line of zeros saying why there is none.
wrk_line() { # wrk arguments
	local out why
	out=$(wrk "$@" 2>&1) || true
	if grep -q '^BENCH ' <<<"$out"; then
		grep -m 1 '^BENCH ' <<<"$out"
	else
		# A script error comes before wrk's "Running …" line, anything else at the end.
		why=$(head -n 1 <<<"$out")
		[[ $why != Running* ]] || why=$(tail -n 1 <<<"$out")
		echo "BENCH rps=0 p50_ms=0.00 p99_ms=0.00 errors=0 non2xx=0 (wrk: $why)"
	fi
}
pgbench_s() { # pgbench options and DATABASE_URL: the tps of the stock select-only script, 0 on failure
	local out tps
	settle
	out=$(pgbench -n -S -M prepared -j 2 -T "$secs" "$@" 2>&1) || true
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
	[ -n "$tps" ] || echo "pgbench -S $*: $(tail -n 1 <<<"$out")" >&2
	echo "${tps:-0}"
}

wrk_run=0 # numbers every run of post_cliente.lua (BENCH_RUN), so no two share a CPF
last_line="" last_entry="" last_pg_p99=""
# Before each measurement the cluster is brought to rest: what the previous one wrote (tens of
# thousands of rows) is vacuumed and checkpointed now, instead of by autovacuum and the checkpointer
# in the middle of the next run, where they land on whichever of the pair runs first (the server).
settle() {
	psql -qAt "$url" -c 'VACUUM (ANALYZE)' -c 'CHECKPOINT' >/dev/null 2>&1 || true
	for _ in $(seq 1 100); do
		[ "$(psql -qAt "$url" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'" 2>/dev/null)" = 0 ] && break
		sleep 0.1
	done
}
measure() { # name, wrk script, url path, pgbench script, server port, anchor's DATABASE_URL
	local name=$1 lua=$2 path=$3 sql=$4 srv=$5 db=$6 pg tps pg_lat pg_p99 pg_failed pg_err=""
	settle
	wrk_run=$((wrk_run + 1))
	BENCH_RUN=$wrk_run wrk -t2 -c"$conns" -d2s -s "$work/$lua" "http://127.0.0.1:$srv$path" \
		>/dev/null 2>&1 || true # warm-up
	wrk_run=$((wrk_run + 1))
	last_line=$(BENCH_RUN=$wrk_run wrk_line -t2 -c"$conns" -d"${secs}s" --latency -s "$work/$lua" \
		"http://127.0.0.1:$srv$path")
	settle
	# -l: a line per transaction logged (its latency in µs is the third field; "failed" or
	# "skipped" there are left out), for the anchor's p99; one in ten, so that writing the log
	# takes little from the anchor's tps.
	rm -f "$work"/pgbench_log.*
	pg=$(cd "$work" && pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" -l --sampling-rate=0.1 \
		--log-prefix=pgbench_log -f "$work/$sql" "$db" 2>&1) || true
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pg")
	pg_lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$pg")
	pg_failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$pg")
	pg_p99=$(cat "$work"/pgbench_log.* 2>/dev/null | awk '$3 ~ /^[0-9]+$/ { print $3 }' | sort -n |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.5); if (i < 1) i = 1; if (NR) printf "%.2f", v[i] / 1000; else printf "?" }')
	rm -f "$work"/pgbench_log.*
	last_pg_p99=$pg_p99
	[ -n "$tps" ] || pg_err="   (pgbench: $(tail -n 1 <<<"$pg"))"
	last_entry=$(awk -v n="$name" -v l="$last_line" -v r="$(field rps "$last_line")" -v t="${tps:-0}" \
		-v a="$pg_lat" -v p="$pg_p99" -v f="${pg_failed:-0}" -v e="$pg_err" 'BEGIN {
		sub(/^BENCH /, "", l)
		printf "%-28s %s\n%-28s pgbench tps=%.0f latency_avg_ms=%s p99_ms=%s failed=%s   ratio=%.2f%s", n, l, "", t, a, p, f, (t > 0 ? r / t : 0), e }')
	echo "$last_entry"
}
show() { # label, BENCH line: "label rps=… p50_ms=… p99_ms=… errors=… non2xx=…"
	printf '%-32s %s\n' "$1" "${2#BENCH }"
}

# ---- on the loopback ---------------------------------------------------------------------------
echo "== $conns connections, ${secs}s each, one run"
measure "GET /api/clientes/{uuid}" get_cliente.lua / get_cliente.sql "$port" "$url"
results=("$last_entry")
get_line=$last_line
get_pg_p99=$last_pg_p99
get_rps=$(field rps "$get_line")
measure "GET /api/ordens (queue)" get_ordens.lua / get_ordens.sql "$port" "$url"
results+=("$last_entry")
measure "POST /api/clientes" post_cliente.lua / post_cliente.sql "$port" "$url"
results+=("$last_entry")
measure "POST /api/ordens" post_ordem.lua / post_ordem.sql "$port" "$url"
results+=("$last_entry")
pgbench -i -q -s 10 "$url" >/dev/null 2>&1
pgs=$(pgbench_s -c "$conns" "$url")
pgs8=$(pgbench_s -c 8 "$url")
results+=("$(awk -v r="$get_rps" -v s="$pgs" 'BEGIN {
	printf "pgbench -S (stock select-only, scale 10): tps=%.0f; GET /api/clientes/{uuid} / pgbench -S = %.2f", s, (s > 0 ? r / s : 0) }')")
echo "${results[-1]}"
results+=("$(awk -v r="$get_rps" -v s="$pgs8" 'BEGIN {
	printf "pgbench -S -c 8 (stock select-only, scale 10): tps=%.0f; GET /api/clientes/{uuid} / pgbench -S -c 8 = %.2f", s, (s > 0 ? r / s : 0) }')")
echo "${results[-1]}"

# ---- across the network: the cluster behind the latency proxy ------------------------------------
net_title="== PostgreSQL $latency_us µs away each way (latency proxy)"
net_results=() net_skipped="" net_get_line="" pgs64=""
echo
echo "$net_title"
if [ ! -f "$proxy_src" ]; then
	net_skipped="network section skipped: the latency proxy's source $proxy_src is missing (set LATENCY_PROXY_SRC)"
elif ! cc -O2 -o "$build/latency-proxy" "$proxy_src" >"$work/proxy-cc.log" 2>&1; then
	net_skipped="network section skipped: $proxy_src does not compile: $(head -n 1 "$work/proxy-cc.log")"
else
	proxy_port=$(scripts/pg.sh free-port)
	"$build/latency-proxy" "$proxy_port" "$pgport" "$latency_us" >"$work/proxy.log" 2>&1 &
	proxy_pid=$!
	purl=postgresql://oficina@127.0.0.1:$proxy_port/oficina
	for _ in $(seq 1 50); do
		psql -qAt "$purl" -c 'SELECT 1' >/dev/null 2>&1 && break
		sleep 0.1
	done
	port2=$(scripts/pg.sh free-port)
	if ! psql -qAt "$purl" -c 'SELECT 1' >/dev/null 2>&1; then
		net_skipped="network section skipped: PostgreSQL does not answer through the proxy ($(tail -n 1 "$work/proxy.log"))"
	elif ! start_server server2_pid "$port2" "$purl" "$work/server2.log"; then
		net_skipped="network section skipped: the second server did not start (its log is above)"
	else
		echo "(a second server on port $port2; its database and the anchors at $purl)"
		measure "GET /api/clientes/{uuid}" get_cliente.lua / get_cliente.sql "$port2" "$purl"
		net_results=("$last_entry")
		net_get_line=$last_line
		net_get_pg_p99=$last_pg_p99
		measure "GET /api/ordens (queue)" get_ordens.lua / get_ordens.sql "$port2" "$purl"
		net_results+=("$last_entry")
		measure "POST /api/clientes" post_cliente.lua / post_cliente.sql "$port2" "$purl"
		net_results+=("$last_entry")
		measure "POST /api/ordens" post_ordem.lua / post_ordem.sql "$port2" "$purl"
		net_results+=("$last_entry")
		pgs64=$(pgbench_s -c 64 "$purl")
		net_results+=("$(awk -v r="$(field rps "$net_get_line")" -v s="$pgs64" 'BEGIN {
			printf "pgbench -S -c 64 (proxy, scale 10): tps=%.0f; GET /api/clientes/{uuid} / pgbench -S -c 64 (proxy) = %.2f", s, (s > 0 ? r / s : 0) }')")
		echo "${net_results[-1]}"
	fi
	stop_pid "$server2_pid"
	server2_pid=""
	stop_pid "$proxy_pid"
	proxy_pid=""
fi
[ -z "$net_skipped" ] || echo "$net_skipped"

# ---- stall: one part's row locked while its movements wait ---------------------------------------
stall_results=() stall_skipped="" stall_ping="" stall_get="" stall_live=""
echo
echo "== stall: a part's row locked for 8 s, 8 POST /api/pecas/{uuid}/movimentos waiting on it"
admin_token="" peca=""
if echo 'senha-admin-do-bench' | DATABASE_URL=$url "$build/oficina" usuario criar --nome 'Bench Admin' \
	--email bench-admin@example.com --perfil admin >/dev/null 2>"$work/admin.log"; then
	admin_token=$(login "$port" bench-admin@example.com senha-admin-do-bench)
fi
if [ -n "$admin_token" ]; then
	peca=$(curl -s "http://127.0.0.1:$port/api/pecas" -H "Authorization: Bearer $admin_token" \
		-H 'Content-Type: application/json' \
		-d '{"nome":"Peça do bench","tipo":"PECA","valor":"10.00","quantidade_estoque":1000}' |
		sed -n 's/"uuid":"/\n/; s/^[^\n]*\n\([^"]*\)".*/\1/p') || true
fi
if [ -z "$admin_token" ]; then
	stall_skipped="stall skipped: no admin token ($(tail -n 1 "$work/admin.log" 2>/dev/null))"
elif [ -z "$peca" ]; then
	stall_skipped="stall skipped: POST /api/pecas did not answer a part"
else
	psql -q -v ON_ERROR_STOP=1 "$url" >"$work/lock.log" 2>&1 <<SQL &
BEGIN;
SELECT 1 FROM pecas WHERE uuid = '$peca' FOR UPDATE;
SELECT pg_sleep(8);
COMMIT;
SQL
	lock_pid=$!
	# The 8 s count from the moment the lock is held (pg_sleep running).
	for _ in $(seq 1 50); do
		[ "$(psql -qAt "$url" -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" = 1 ] && break
		sleep 0.1
	done
	t0=$EPOCHREALTIME
	since() { awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
	sleep 0.5
	mov_pids=()
	for i in 1 2 3 4 5 6 7 8; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 \
			"http://127.0.0.1:$port/api/pecas/$peca/movimentos" -H "Authorization: Bearer $admin_token" \
			-H 'Content-Type: application/json' -d '{"quantidade":1,"motivo":"bench"}' >"$work/mov.$i" 2>&1 &
		mov_pids+=($!)
	done
	sleep 0.5
	waiting=$(psql -qAt "$url" -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'" 2>/dev/null || echo "?")
	stall_results+=("stall: lock held from t=0; 8 movements sent at t=0.5; at t=$(since) $waiting backends wait on the lock")
	echo "${stall_results[-1]}"
	stall_ping=$(wrk_line -t2 -c64 -d3s --latency -s "$work/get.lua" "http://127.0.0.1:$port/api/ping")
	stall_results+=("$(show "stall: GET /api/ping" "$stall_ping")")
	echo "${stall_results[-1]}"
	stall_get=$(wrk_line -t2 -c"$conns" -d3s --latency -s "$work/get_cliente.lua" "http://127.0.0.1:$port/")
	stall_results+=("$(show "stall: GET /api/clientes/{uuid}" "$stall_get")")
	echo "${stall_results[-1]}"
	left=$(awk -v s="$(since)" 'BEGIN { printf "%.2f", 8 - s }')
	# At least half of the second inside the stall; the rest overlaps the release.
	if awk -v l="$left" 'BEGIN { exit !(l >= 0.5) }'; then
		stall_live=$(wrk_line -t2 -c64 -d1s --latency -s "$work/get.lua" "http://127.0.0.1:$port/health/live")
		stall_results+=("$(show "stall: GET /health/live" "$stall_live")")
	else
		stall_results+=("stall: GET /health/live skipped: only ${left}s of the lock left at t=$(since)")
	fi
	echo "${stall_results[-1]}"
	stall_results+=("stall: GET by id keeps $(ratio "$(field rps "$stall_get")" "$get_rps") of its unstalled rate ($(field rps "$stall_get") of $get_rps req/s)")
	echo "${stall_results[-1]}"
	for p in "${mov_pids[@]}"; do wait "$p" || true; done
	wait "$lock_pid" || true
	stall_results+=("$(cat "$work"/mov.* | awk '{ n[$1]++; if ($2 > slow) slow = $2 } END {
		for (s in n) list = list sprintf("%s%s x%d", (list == "" ? "" : ", "), (s == "000" ? "no answer (curl)" : s), n[s])
		printf "stall: movements answered %s; the slowest took %.2f s", list, slow }')")
	echo "${stall_results[-1]}"
fi
[ -z "$stall_skipped" ] || echo "$stall_skipped"

# ---- login flood: wrong passwords while GET /api/ping is measured --------------------------------
echo
echo "== login flood: 20 connections of wrong-password logins for 5 s, GET /api/ping (8 connections) meanwhile"
hwm_before=$(mib "$server_pid")
wrk -t2 -c20 -d5s --timeout 5s -s "$work/login_flood.lua" "http://127.0.0.1:$port/api/auth/login" \
	>"$work/flood.out" 2>&1 &
flood_pid=$!
wrk -t2 -c8 -d5s --latency -s "$work/get.lua" "http://127.0.0.1:$port/api/ping" >"$work/flood-ping.out" 2>&1 &
flood_ping_pid=$!
wait "$flood_pid" || true
wait "$flood_ping_pid" || true
hwm_after=$(mib "$server_pid")
flood_ping=$(grep -m 1 '^BENCH ' "$work/flood-ping.out" ||
	echo "BENCH rps=0 p50_ms=0.00 p99_ms=0.00 errors=0 non2xx=0 (wrk: $(tail -n 1 "$work/flood-ping.out"))")
flood_logins=$(grep -m 1 '^LOGINS ' "$work/flood.out" || echo "LOGINS ? (wrk: $(tail -n 1 "$work/flood.out"))")
flood_results=("$(show "login flood: GET /api/ping" "$flood_ping")"
	"login flood: logins answered ${flood_logins#LOGINS }"
	"login flood: server peak RSS (VmHWM) ${hwm_before} MB before, ${hwm_after} MB after")
printf '%s\n' "${flood_results[@]}"

# ---- result --------------------------------------------------------------------------------------
target() { # label, figure, unit, comparison (le|ge), target[, note]: one line of the targets block
	awk -v l="$1" -v f="$2" -v u="$3" -v c="$4" -v t="$5" -v n="${6:-}" 'BEGIN {
		if (f == "" || f == "?") { v = "n/a"; f = "?" }
		else if (n == "nothing answered" || n ~ /^p99 unknown/) v = "missed"
		else v = ((c == "le" ? f + 0 <= t + 0 : f + 0 >= t + 0) ? "met" : "missed")
		if (n != "") v = v " (" n ")"
		printf "  %-52s %9s %-3s %s %-6s %s\n", l, f, u, (c == "le" ? "<=" : ">="), t, v }'
}
# Under a p99 target: its anchor's p99 in the same run (pgbench, the same SQL, as many clients), to
# tell the server's tail from the machine's.
anchor_p99() { # p99 in ms, or "?"
	printf "  %-52s %9s ms  (informative)\n" "  its anchor: pgbench, the same SQL, p99" "${1:-?}"
}
# For a p99 target, from a BENCH line and its duration: a note when wrk saw no answer or errors
# (timeouts: 2 s and more, outside wrk's percentiles). "nothing answered", or failures above 1 % of
# the requests, put the true p99 beyond the figure: target() counts those as missed.
answered() { # BENCH line, seconds
	awk -v r="$(field rps "$1")" -v e="$(field errors "$1")" -v d="$2" 'BEGIN {
		if (r + 0 == 0) print "nothing answered"
		else if (e + 0 > 0.01 * (r * d + e)) printf "p99 unknown: %d of %d requests failed or timed out\n", e, r * d + e
		else if (e + 0 > 0) printf "%d requests failed or timed out, not in p99\n", e }'
}

echo
echo "== result"
printf '%s\n' "${results[@]}"
echo "$net_title"
if [ -n "$net_skipped" ]; then echo "$net_skipped"; else printf '%s\n' "${net_results[@]}"; fi
echo "== stall"
if [ -n "$stall_skipped" ]; then echo "$stall_skipped"; else printf '%s\n' "${stall_results[@]}"; fi
echo "== login flood"
printf '%s\n' "${flood_results[@]}"
echo "server RSS after the run: $(ps -o rss= -p "$server_pid" || echo '?') KiB"

echo
echo "targets (a benchmark: informative, the exit status ignores them)"
target "GET /api/clientes/{uuid} / pgbench -S -c 8" "$(ratio "$get_rps" "$pgs8")" "" ge 0.35
target "GET /api/clientes/{uuid} p99 (loopback)" "$(field p99_ms "$get_line")" ms le 10 "$(answered "$get_line" "$secs")"
anchor_p99 "$get_pg_p99"
if [ -n "$net_skipped" ]; then
	echo "  (network targets: section skipped)"
else
	target "GET /api/clientes/{uuid} / pgbench -S -c 64 (proxy)" "$(ratio "$(field rps "$net_get_line")" "$pgs64")" "" ge 0.5
	target "GET /api/clientes/{uuid} p99 (proxy)" "$(field p99_ms "$net_get_line")" ms le 25 "$(answered "$net_get_line" "$secs")"
	anchor_p99 "$net_get_pg_p99"
fi
if [ -n "$stall_skipped" ]; then
	echo "  (stall targets: section skipped)"
else
	target "stall: GET /api/ping p99" "$(field p99_ms "$stall_ping")" ms le 50 "$(answered "$stall_ping" 3)"
	if [ -n "$stall_live" ]; then
		target "stall: GET /health/live p99" "$(field p99_ms "$stall_live")" ms le 50 "$(answered "$stall_live" 1)"
	else
		target "stall: GET /health/live p99" "" ms le 50 "not measured"
	fi
	target "stall: GET by id / unstalled" "$(ratio "$(field rps "$stall_get")" "$get_rps")" "" ge 0.5
fi
target "login flood: GET /api/ping p99" "$(field p99_ms "$flood_ping")" ms le 50 "$(answered "$flood_ping" 5)"
target "login flood: server VmHWM" "$hwm_after" MB le 100
