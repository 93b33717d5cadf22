#!/usr/bin/env bash
# make run: serves Oficina on $PORT (8080) with the whole event path. Without DATABASE_URL it starts
# a private PostgreSQL cluster under .data/pg (port $PG_PORT, 25432 — the binary's default
# DATABASE_URL); without AMQP_URL a private RabbitMQ node under .data/rabbitmq (port $AMQP_PORT,
# 25672 — the relay's and notifier's default AMQP_URL). It applies the migrations and runs the
# server, the relay and the notifier in development mode. Without SMTP_URL the notifier writes each
# e-mail as an .eml file under .data/mail/ and logs its path. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
export APP_ENV=${APP_ENV:-development}
export PORT=${PORT:-8080}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
export MAIL_DIR=${MAIL_DIR:-$PWD/.data/mail}
pgdir="" mqdir="" pids=()

# Development secrets that survive a restart, so tokens and the Postman environment keep working:
# JWT_SECRET is drawn once and kept in .data/jwt-secret (owner-only); WEBHOOK_SECRET is the fixed
# development value of docs/postman/oficina.postman_environment.json. Only in development; a value
# set in the environment wins.
mkdir -p .data
if [ "$APP_ENV" = development ]; then
	if [ -z "${JWT_SECRET:-}" ]; then
		[ -s .data/jwt-secret ] || (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >.data/jwt-secret)
		JWT_SECRET=$(cat .data/jwt-secret)
		export JWT_SECRET
	fi
	export WEBHOOK_SECRET=${WEBHOOK_SECRET:-oficina-desenvolvimento-webhook-secreto-0123456789}
fi

stop_all() {
	# Every step runs even when one fails: nothing may be left running.
	set +e
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
	[ -n "$mqdir" ] && scripts/rabbitmq.sh stop "$mqdir" && echo "RabbitMQ stopped"
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
if [ -z "${AMQP_URL:-}" ]; then
	mqdir=$PWD/.data/rabbitmq
	AMQP_URL=$(scripts/rabbitmq.sh start "$mqdir" "${AMQP_PORT:-25672}")
	export AMQP_URL
	echo "RabbitMQ running in $mqdir: $AMQP_URL"
fi
mkdir -p "$MAIL_DIR"
"$build/oficina" migrate up
# The notifier first: it declares the queue the relay's events are routed to.
METRICS_PORT=${NOTIFICAR_METRICS_PORT:-9092} "$build/oficina" notificar &
pids+=($!)
METRICS_PORT=${RELAY_METRICS_PORT:-9091} "$build/oficina" relay &
pids+=($!)
echo "Oficina on http://127.0.0.1:$PORT (APP_ENV=$APP_ENV); e-mails in ${SMTP_URL:-$MAIL_DIR}; Ctrl-C stops it"
"$build/oficina" serve &
pids+=($!)
wait "${pids[@]}"
