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
# and the stock `pgbench -S` for reference. Prints req/s, p50/p99 and the ratio server / anchor.
#
#   scripts/bench.sh BUILD_DIR   (env: BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_ROWS=10000
#                                      BENCH_ORDERS=3000)
# pgbench reads ":name" as a variable even inside quotes, so the anchors write the colons of the
# time format as chr(58): the same format, the same plan.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
rows=${BENCH_ROWS:-10000}
orders=${BENCH_ORDERS:-3000}
command -v wrk >/dev/null || { echo "wrk missing (scripts/deps.sh)" >&2; exit 1; }

mkdir -p .data
work=$(mktemp -d "$PWD/.data/bench.XXXXXX")
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

echo "== seeding $rows customers and vehicles, $orders open orders"
DATABASE_URL=$url "$build/oficina" migrate up >/dev/null
# Deterministic ids (md5 of the row number) let pgbench pick the same random rows as wrk.
psql -q -v ON_ERROR_STOP=1 "$url" >/dev/null <<SQL
INSERT INTO clientes (uuid, nome, documento, tipo_documento, email)
	SELECT md5(i::text)::uuid, 'Cliente ' || i, lpad(i::text, 11, '0'), 'CPF', 'c' || i || '@example.com'
	FROM generate_series(1, $rows) i;
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
-- A block of a million numbers per thread and per second of start: the warm-up run and the
-- measured run never repeat a CPF.
init = function(args) base = (tid or 1) * 100000000 + (os.time() % 90) * 1000000 end
local function cpf(n)
	local d = {}
	local s = string.format("%09d", n)
	for i = 1, 9 do d[i] = tonumber(s:sub(i, i)) end
	for k = 10, 11 do
		local sum = 0
		for i = 1, k - 1 do sum = sum + d[i] * (k + 1 - i) end
		local r = sum % 11
		d[k] = r < 2 and 0 or 11 - r
	end
	return table.concat(d)
end
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

results=()
measure() { # name, wrk script, url path, pgbench script
	local name=$1 lua=$2 path=$3 sql=$4 line pg rps tps
	wrk -t2 -c"$conns" -d2s -s "$work/$lua" "http://127.0.0.1:$port$path" >/dev/null # warm-up
	line=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/$lua" "http://127.0.0.1:$port$path" |
		grep '^BENCH')
	pg=$(pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" -f "$work/$sql" "$url" 2>&1)
	tps=$(echo "$pg" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	local pg_lat=$(echo "$pg" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
	local pg_failed=$(echo "$pg" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
	rps=$(echo "$line" | sed -n 's/.*rps=\([0-9.]*\).*/\1/p')
	results+=("$(awk -v n="$name" -v l="$line" -v r="$rps" -v t="$tps" -v a="$pg_lat" -v f="${pg_failed:-0}" 'BEGIN {
		sub(/^BENCH /, "", l)
		printf "%-28s %s\n%-28s pgbench tps=%.0f latency_avg_ms=%s failed=%s   ratio=%.2f", n, l, "", t, a, f, (t > 0 ? r / t : 0) }')")
	echo "${results[-1]}"
}

echo "== $conns connections, ${secs}s each, one run"
measure "GET /api/clientes/{uuid}" get_cliente.lua / get_cliente.sql
measure "GET /api/ordens (queue)" get_ordens.lua / get_ordens.sql
measure "POST /api/clientes" post_cliente.lua / post_cliente.sql
measure "POST /api/ordens" post_ordem.lua / post_ordem.sql
pgbench -i -q -s 10 "$url" >/dev/null 2>&1
pgs=$(pgbench -n -S -M prepared -c "$conns" -j 2 -T "$secs" "$url" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
get_rps=$(echo "${results[0]}" | sed -n 's/.*rps=\([0-9.]*\).*/\1/p' | head -n 1)

echo
echo "== result"
printf '%s\n' "${results[@]}"
awk -v r="$get_rps" -v s="$pgs" 'BEGIN {
	printf "pgbench -S (stock select-only, scale 10): tps=%.0f; GET /api/clientes/{uuid} / pgbench -S = %.2f\n", s, r / s }'
echo "server RSS after the run: $(ps -o rss= -p "$server_pid") KiB"
