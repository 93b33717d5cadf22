#!/usr/bin/env bash
# The event path's figures (make bench runs it after scripts/bench.sh), one relay against its own PostgreSQL and RabbitMQ on loopback:
#   1. throughput: 20 000 events waiting, one relay started: events published per second;
#   2. lag: pgbench commits 200 orders/s (each an order's budget: orcamento.gerado and
#      ordem.status_alterado) for 20 s with the relay running: from the write (criado_em, the
#      transaction's start) to marked published (after the broker's confirm);
#   3. outage: the same load for 45 s, the broker stopped for 30 s of it: the backlog when it
#      returns, how long it takes to drain, and that nothing is left unpublished.
#
#   scripts/bench-eventos.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
mkdir -p .data
work=$(mktemp -d "$PWD/.data/bench-eventos.XXXXXX")
relay_pid=""
cleanup() {
	set +e
	[ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
	scripts/rabbitmq.sh stop "$work/mq" >/dev/null
	scripts/pg.sh stop "$work/pg" >/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
pgport=$(scripts/pg.sh free-port)
DATABASE_URL=$(PG_FAST=1 scripts/pg.sh start "$work/pg" "$pgport")
mqport=$(scripts/rabbitmq.sh free-port)
AMQP_URL=$(scripts/rabbitmq.sh start "$work/mq" "$mqport")
export DATABASE_URL AMQP_URL
"$build/oficina" migrate up >/dev/null
q() { psql -qtAX "$DATABASE_URL" -c "$1"; }
pendentes() { q "SELECT count(*) FROM eventos WHERE publicado_em IS NULL"; }
esperar_vazio() { # at most 120 s
	for _ in $(seq 1 1200); do [ "$(pendentes)" = 0 ] && return 0; sleep 0.1; done
	echo "bench-eventos: the outbox did not drain" >&2
	return 1
}
agora() { date +%s.%N; }
dados='{"uuid":"00000000-0000-4000-8000-000000000000","numero":"OS-2026-000001","valor_total":"241.00"}'

q "INSERT INTO eventos (tipo, agregado_uuid, dados) SELECT 'orcamento.gerado', gen_random_uuid(), '$dados' FROM generate_series(1, 20000)"
t0=$(agora)
# Its log (the outage's connection failures) goes to a file: this prints only the figures.
METRICS_PORT=0 LOG_LEVEL=warn "$build/oficina" relay >"$work/relay.log" 2>&1 &
relay_pid=$!
esperar_vazio
t1=$(agora)
printf 'relay: 20000 events published in %.2f s = %.0f events/s\n' "$(echo "$t1 - $t0" | bc -l)" \
	"$(echo "20000 / ($t1 - $t0)" | bc -l)"

printf "BEGIN;\nINSERT INTO eventos (tipo, agregado_uuid, dados) VALUES ('orcamento.gerado', gen_random_uuid(), '%s');\nINSERT INTO eventos (tipo, agregado_uuid, dados) VALUES ('ordem.status_alterado', gen_random_uuid(), '%s');\nCOMMIT;\n" \
	"$dados" "$dados" >"$work/orcamento.sql"
inicio=$(q "SELECT now()")
timeout 60 pgbench -n -R 200 -T 20 -c 4 -f "$work/orcamento.sql" "$DATABASE_URL" >/dev/null 2>&1
esperar_vazio
echo "at 200 orders/s: $(q "SELECT count(*) || ' events, write to marked published p50 ' || round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM publicado_em - criado_em))::numeric, 1) || ' ms, p99 ' || round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM publicado_em - criado_em))::numeric, 1) || ' ms, max ' || round(1000 * max(extract(epoch FROM publicado_em - criado_em))::numeric, 1) || ' ms' FROM eventos WHERE criado_em >= '$inicio'")"

inicio=$(q "SELECT now()")
timeout 90 pgbench -n -R 200 -T 45 -c 4 -f "$work/orcamento.sql" "$DATABASE_URL" >/dev/null 2>&1 &
carga=$!
sleep 5
scripts/rabbitmq.sh stop "$work/mq" >/dev/null
parou=$(agora)
sleep 30
scripts/rabbitmq.sh start "$work/mq" "$mqport" >/dev/null
voltou=$(agora)
backlog=$(pendentes)
esperar_vazio
drenou=$(agora)
wait "$carga" || true
esperar_vazio
printf 'broker down %.0f s under 200 orders/s: %s events waiting when it came back, drained %.1f s later (load still running); %s written, %s unpublished at the end\n' \
	"$(echo "$voltou - $parou" | bc -l)" "$backlog" "$(echo "$drenou - $voltou" | bc -l)" \
	"$(q "SELECT count(*) FROM eventos WHERE criado_em >= '$inicio'")" "$(pendentes)"
