/* Leadership through an advisory lock (infrastructure layer; pg_leader.h). */
#include "infrastructure/postgres/pg_leader.h"

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "domain/monotonic.h"

void pg_leader_init(struct pg_leader *l, const char *url, const char *name, int64_t key,
                    const char *channel)
{
	memset(l, 0, sizeof *l);
	l->url = url;
	l->name = name;
	l->key = key;
	l->channel = channel;
}

void pg_leader_release(struct pg_leader *l)
{
	if (l->conn)
		PQfinish(l->conn);
	l->conn = NULL;
	l->leading = false;
}

static int perdeu(struct pg_leader *l, const char *what)
{
	const char *msg = l->conn ? PQerrorMessage(l->conn) : "";
	snprintf(l->erro, sizeof l->erro, "%s: %.*s", what, (int)strcspn(msg, "\n"), msg);
	pg_leader_release(l);
	return -1;
}

/* Waits until the socket is ready for events or the deadline passes: 1, 0 (deadline) or -1. */
static int esperar(PGconn *conn, short events, const struct timespec *ate)
{
	struct pollfd p = {.fd = PQsocket(conn), .events = events};
	long ms = monotonic_ms_until(ate);
	if (p.fd < 0)
		return -1;
	int rc = poll(&p, 1, ms > 0 ? (int)ms : 0);
	return rc < 0 ? -1 : rc;
}

/* Runs sql (no parameters, one statement) within timeout_ms; *out must be PQclear'ed. */
static int executar(struct pg_leader *l, const char *sql, int timeout_ms, PGresult **out)
{
	struct timespec ate = monotonic_in_ms(timeout_ms);
	PGresult *r, *ultimo = NULL;
	int flush;

	*out = NULL;
	if (!PQsendQuery(l->conn, sql))
		return perdeu(l, "envio");
	while ((flush = PQflush(l->conn)) == 1)
		if (esperar(l->conn, POLLOUT, &ate) <= 0)
			return perdeu(l, "prazo de envio");
	if (flush < 0)
		return perdeu(l, "envio");
	for (;;) {
		while (PQisBusy(l->conn)) {
			if (esperar(l->conn, POLLIN, &ate) <= 0)
				return perdeu(l, "prazo esgotado");
			if (!PQconsumeInput(l->conn))
				return perdeu(l, "leitura");
		}
		if (!(r = PQgetResult(l->conn)))
			break;
		PQclear(ultimo);
		ultimo = r;
	}
	if (!ultimo || (PQresultStatus(ultimo) != PGRES_TUPLES_OK &&
	                PQresultStatus(ultimo) != PGRES_COMMAND_OK)) {
		PQclear(ultimo);
		return perdeu(l, "comando");
	}
	*out = ultimo;
	return 0;
}

static int conectar(struct pg_leader *l, int timeout_ms)
{
	char timeout[16];
	snprintf(timeout, sizeof timeout, "%d", timeout_ms / 1000 > 2 ? timeout_ms / 1000 : 2);
	/* Keepalives: a peer that vanished without a FIN gives the lock up within about 30 s. */
	const char *keys[] = {"dbname",
	                      "connect_timeout",
	                      "application_name",
	                      "keepalives_idle",
	                      "keepalives_interval",
	                      "keepalives_count",
	                      "tcp_user_timeout",
	                      NULL};
	const char *vals[] = {l->url, timeout, l->name, "10", "5", "3", "30000", NULL};

	l->conn = PQconnectdbParams(keys, vals, 1);
	if (!l->conn || PQstatus(l->conn) != CONNECTION_OK)
		return perdeu(l, "conexão");
	if (PQsetnonblocking(l->conn, 1) != 0)
		return perdeu(l, "conexão");
	return 0;
}

int pg_leader_acquire(struct pg_leader *l, int timeout_ms)
{
	char sql[128];
	PGresult *r;

	if (l->leading)
		return 1;
	if (!l->conn && conectar(l, timeout_ms) != 0)
		return -1;
	snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%" PRId64 ")", l->key);
	if (executar(l, sql, timeout_ms, &r) != 0)
		return -1;
	l->leading = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!l->leading)
		return 0;
	/* The channel name is a constant of the program, never input. */
	snprintf(sql, sizeof sql, "LISTEN %s", l->channel);
	if (executar(l, sql, timeout_ms, &r) != 0)
		return -1;
	PQclear(r);
	return 1;
}

int pg_leader_wait(struct pg_leader *l, int timeout_ms)
{
	struct timespec ate = monotonic_in_ms(timeout_ms);
	int chegou = 0;
	PGnotify *n;

	if (!l->conn)
		return -1;
	for (;;) {
		if (!PQconsumeInput(l->conn))
			return perdeu(l, "leitura");
		while ((n = PQnotifies(l->conn)) != NULL) {
			chegou = 1;
			PQfreemem(n);
		}
		if (PQstatus(l->conn) != CONNECTION_OK)
			return perdeu(l, "sessão");
		if (chegou)
			return 1;
		int rc = esperar(l->conn, POLLIN, &ate);
		if (rc < 0)
			return perdeu(l, "espera");
		if (rc == 0)
			return 0;
	}
}

int pg_leader_check(struct pg_leader *l, int timeout_ms)
{
	PGresult *r;

	if (!l->conn)
		return -1;
	if (executar(l, "SELECT 1", timeout_ms, &r) != 0)
		return -1;
	PQclear(r);
	return 0;
}
