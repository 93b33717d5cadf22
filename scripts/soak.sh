#!/usr/bin/env bash
# make soak: a long run of mixed traffic against the server in its default configuration, on a
# private PostgreSQL (not a test, not part of make test). For SOAK_SECONDS (600) wrk sends, on
# SOAK_CONNECTIONS (16) connections each pausing SOAK_DELAY_MS (2) between requests, a mix of
#   45 % GET /api/clientes/{uuid}          10 % GET /api/ordens (the queue)
#   10 % POST /api/clientes (new CPFs)      9 % bad input (malformed JSON: 400)
#    1 % wrong-password logins (401)       25 % order life cycles: open an order, then walk it
#                                               through diagnosis, budget, approval, completion
#                                               and delivery (a 409 when two steps cross is fine)
# while every 10 s it samples the server's RSS, its open file descriptors and the PostgreSQL
# connections, under load. It fails (exit 1) on any 5xx but a 503 shed, on the RSS floor growing
# more than 10 % from the second minute to the last, or on more open descriptors at the end than
# after the first minute.
#
#   scripts/soak.sh BUILD_DIR   (env: SOAK_SECONDS, SOAK_CONNECTIONS, SOAK_DELAY_MS, SOAK_ROWS)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${SOAK_SECONDS:-600}
conns=${SOAK_CONNECTIONS:-16}
delay_ms=${SOAK_DELAY_MS:-2}
rows=${SOAK_ROWS:-2000}
secret=soak-secret-soak-secret-soak-secret-0001
command -v wrk >/dev/null || { echo "wrk missing (scripts/deps.sh)" >&2; exit 1; }
mkdir -p .data
work=$(mktemp -d "$PWD/.data/soak.XXXXXX")
pgdir=$work/pg
server_pid=""
cleanup() {
	set +e
	[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	scripts/pg.sh stop "$pgdir" >/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

url=$(PG_FAST=1 scripts/pg.sh start "$pgdir" "$(scripts/pg.sh free-port)")
DATABASE_URL=$url "$build/oficina" migrate up >/dev/null
psql -q -v ON_ERROR_STOP=1 "$url" >/dev/null <<SQL
INSERT INTO clientes (uuid, nome, documento, tipo_documento)
	SELECT md5(i::text)::uuid, 'Cliente ' || i, lpad(i::text, 11, '0'), 'CPF' FROM generate_series(1, $rows) i;
INSERT INTO veiculos (uuid, cliente_uuid, placa, marca, modelo, ano)
	SELECT md5('v' || i)::uuid, md5(i::text)::uuid, 'SK' || chr(65 + (i / 10000) % 26) || lpad((i % 10000)::text, 4, '0'), 'Fiat', 'Uno', 2015
	FROM generate_series(1, $rows) i;
INSERT INTO servicos (uuid, nome, valor_centavos) VALUES (md5('servico')::uuid, 'Revisão do soak', 10000);
ANALYZE;
SQL
echo 'senha-do-soak-1' | DATABASE_URL=$url "$build/oficina" usuario criar --nome 'Soak Admin' \
	--email soak@example.com --perfil admin >/dev/null
port=$(scripts/pg.sh free-port)
env -i PATH="$PATH" DATABASE_URL="$url" PORT="$port" JWT_SECRET="$secret" APP_ENV=production \
	"$build/oficina" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -fs "http://127.0.0.1:$port/api/auth/login" -H 'Content-Type: application/json' \
	-d '{"email":"soak@example.com","senha":"senha-do-soak-1"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "soak: login failed" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
psql -qAt "$url" -c "SELECT uuid FROM clientes ORDER BY uuid" >"$work/clientes.txt"

cat >"$work/soak.lua" <<LUA
local auth = "Bearer $token"
local clientes = {}
for line in io.lines("$work/clientes.txt") do clientes[#clientes + 1] = line end
local threads = {}
setup = function(thread)
	thread:set("tid", #threads + 1)
	table.insert(threads, thread)
end
-- Globals: done() reads them from each thread's state.
s2, s4, s5, s503 = 0, 0, 0, 0
local counter, pending = 0, {}
-- The next step of an order by its status (the answer of the previous step says where it is).
local next_step = {RECEBIDA = "diagnostico", EM_DIAGNOSTICO = "orcamento",
	AGUARDANDO_APROVACAO = "aprovacao", EM_EXECUCAO = "finalizacao", FINALIZADA = "entrega"}
init = function(args) math.randomseed(os.time() + (tid or 0)) end
delay = function() return $delay_ms end
local cpf = dofile("$PWD/scripts/wrk-cpf.lua")
local json = {["Authorization"] = auth, ["Content-Type"] = "application/json"}
request = function()
	local r = math.random(100)
	counter = counter + 1
	if r <= 45 then
		return wrk.format("GET", "/api/clientes/" .. clientes[math.random(#clientes)], {["Authorization"] = auth})
	elseif r <= 55 then
		return wrk.format("GET", "/api/ordens?por_pagina=20", {["Authorization"] = auth})
	elseif r <= 65 then
		local doc = cpf(((tid or 1) * 100000000 + os.time() % 1000 * 10000 + counter) % 999999999)
		return wrk.format("POST", "/api/clientes", json, '{"nome":"Cliente do soak","documento":"' .. doc .. '"}')
	elseif r <= 74 then
		return wrk.format("POST", "/api/clientes", json, '{"nome": ')
	elseif r <= 75 then
		return wrk.format("POST", "/api/auth/login", {["Content-Type"] = "application/json"},
			'{"email":"soak@example.com","senha":"errada-errada"}')
	elseif #pending > 0 and r <= 95 then
		local o = table.remove(pending, 1)
		return wrk.format("POST", "/api/ordens/" .. o.uuid .. "/" .. o.step, {["Authorization"] = auth})
	else
		local i = math.random(#clientes)
		return wrk.format("POST", "/api/ordens", json, '{"cliente_uuid":"' .. clientes[i] .. '","veiculo_uuid":"' ..
			VEICULO(i) .. '","servicos":[{"servico_uuid":"' .. SERVICO .. '"}]}')
	end
end
response = function(status, headers, body)
	if status >= 500 then
		if status == 503 then s503 = s503 + 1 else s5 = s5 + 1 end
	elseif status >= 400 then s4 = s4 + 1 else s2 = s2 + 1 end
	-- One order's answer (a new order or a step): queue its next step.
	if status < 300 and body:find('"numero":"OS%-') and body:sub(1, 16) == '{"data":{"uuid":' then
		local uuid, st = body:match('"uuid":"([%x%-]+)"'), body:match('"status":"([%u_]+)"')
		if uuid and next_step[st] and #pending < 200 then
			table.insert(pending, {uuid = uuid, step = next_step[st]})
		end
	end
end
done = function(summary, latency, requests)
	local t2, t4, t5, t503 = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		t2 = t2 + t:get("s2"); t4 = t4 + t:get("s4"); t5 = t5 + t:get("s5"); t503 = t503 + t:get("s503")
	end
	io.write(string.format("SOAK requests=%d rps=%.0f p99_ms=%.2f s2xx=%d s4xx=%d s5xx=%d s503=%d socket_errors=%d\n",
		summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000,
		t2, t4, t5, t503, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
# The service's uuid as the seed made it.
servico=$(psql -qAt "$url" -c "SELECT md5('servico')::uuid")
# clientes.txt is in uuid order, not seed order: map each customer to its own vehicle.
psql -qAt "$url" -c "SELECT v.uuid FROM clientes c JOIN veiculos v ON v.cliente_uuid = c.uuid ORDER BY c.uuid" >"$work/veiculos.txt"
sed -i "1i local VEICULOS = {}\nfor line in io.lines(\"$work/veiculos.txt\") do VEICULOS[#VEICULOS + 1] = line end\nlocal function VEICULO(i) return VEICULOS[i] end\nlocal SERVICO = \"$servico\"" "$work/soak.lua"

sample() { # t: "t=… rss_kb=… fds=… pg=…"
	local rss fds pg
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")
	fds=$(ls "/proc/$server_pid/fd" | wc -l)
	pg=$(psql -qAt "$url" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'oficina%'")
	echo "t=$1 rss_kb=$rss fds=$fds pg=$pg"
}
echo "== soak: $secs s, $conns connections, ${delay_ms} ms between requests; server pid $server_pid"
wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s "$work/soak.lua" "http://127.0.0.1:$port" >"$work/wrk.out" 2>&1 &
wrk_pid=$!
samples=()
start=$SECONDS
while kill -0 "$wrk_pid" 2>/dev/null; do
	sleep 10
	kill -0 "$wrk_pid" 2>/dev/null || break # only samples taken under load count
	kill -0 "$server_pid" 2>/dev/null || { echo "soak: the server died" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
	samples+=("$(sample $((SECONDS - start)))")
	echo "${samples[-1]}"
done
wait "$wrk_pid" || true
result=$(grep '^SOAK ' "$work/wrk.out" || true)
echo "$result"
[ -n "$result" ] || { echo "soak: wrk gave no result: $(tail -n 3 "$work/wrk.out")" >&2; exit 1; }
[ ${#samples[@]} -ge 12 ] || { echo "soak: too short to judge (${#samples[@]} samples; 12 at least)" >&2; exit 1; }
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
# RSS swings by the password hashes' buffers (19 MiB each, allocated per hash and freed): the
# floor of a window is what a leak would raise. The second minute against the last minute.
floor() { # first index, count: the smallest rss_kb of those samples
	local m="" v
	for ((i = $1; i < $1 + $2 && i < ${#samples[@]}; i++)); do
		v=$(field rss_kb "${samples[i]}")
		[ -z "$m" ] || [ "$v" -lt "$m" ] && m=$v
	done
	echo "$m"
}
n=${#samples[@]}
rss0=$(floor 6 6) rss1=$(floor $((n - 6)) 6)
first=${samples[6]} last=${samples[-1]}
fail=0
[ "$(field s5xx "$result")" = 0 ] || { echo "soak: FAILED: 5xx answers other than 503"; fail=1; }
awk -v a="$rss0" -v b="$rss1" 'BEGIN { exit !(b > a * 1.10) }' && { echo "soak: FAILED: RSS floor grew from $rss0 to $rss1 KiB (> 10 %)"; fail=1; }
fd0=$(field fds "$first") fd1=$(field fds "$last")
[ "$fd1" -le "$fd0" ] || { echo "soak: FAILED: open descriptors grew from $fd0 to $fd1"; fail=1; }
echo "soak: RSS floor $rss0 KiB in the second minute, $rss1 KiB in the last; descriptors $fd0 -> $fd1; PostgreSQL connections $(field pg "$first") -> $(field pg "$last")"
[ $fail -eq 0 ] && echo "soak: ok"
exit $fail
