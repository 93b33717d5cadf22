/* One PostgreSQL connection per worker thread, with lazy prepare and reconnect (infrastructure). */
#include "infrastructure/postgres/pg_session.h"

#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "infrastructure/log/log.h"

#define RECONNECT_BACKOFF_MS 250

static atomic_int connected_count;

int pg_sessions_connected(void)
{
	return atomic_load_explicit(&connected_count, memory_order_relaxed);
}

void pg_session_init(struct pg_session *s, const struct pg_config *cfg)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
}

static void drop_pending(struct pg_session *s)
{
	for (size_t i = 0; i < s->n_pending; i++)
		free(s->pending_logs[i]);
	s->n_pending = 0;
}

static void disconnect(struct pg_session *s)
{
	if (s->conn) {
		PQfinish(s->conn);
		s->conn = NULL;
		atomic_fetch_sub_explicit(&connected_count, 1, memory_order_relaxed);
	}
	s->n_prepared = 0;
	/*
	 * The server rolled the transaction back with the connection. Until the caller rolls back
	 * too, nothing may run: a reconnected session would autocommit the rest of the command.
	 */
	if (s->in_tx)
		s->tx_broken = true;
	s->in_tx = false;
	drop_pending(s);
}

void pg_session_cleanup(struct pg_session *s)
{
	if (!s)
		return;
	disconnect(s);
}

static long ms_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

static void schedule_retry(struct pg_session *s)
{
	clock_gettime(CLOCK_MONOTONIC, &s->next_attempt);
	s->next_attempt.tv_nsec += RECONNECT_BACKOFF_MS * 1000000L;
	if (s->next_attempt.tv_nsec >= 1000000000L) {
		s->next_attempt.tv_sec++;
		s->next_attempt.tv_nsec -= 1000000000L;
	}
}

static int connect_now(struct pg_session *s)
{
	char connect_timeout[16], options[64], user_timeout[24];
	int timeout_s = s->cfg->connect_timeout_s < 2 ? 2 : s->cfg->connect_timeout_s;

	snprintf(connect_timeout, sizeof connect_timeout, "%d", timeout_s);
	snprintf(options, sizeof options, "-c statement_timeout=%d", s->cfg->statement_timeout_ms);
	/* Bounds a request on a server that vanished without closing the socket. */
	snprintf(user_timeout, sizeof user_timeout, "%d", s->cfg->statement_timeout_ms + 5000);
	const char *const keys[] = {"dbname",
	                            "connect_timeout",
	                            "options",
	                            "application_name",
	                            "keepalives",
	                            "keepalives_idle",
	                            "keepalives_interval",
	                            "tcp_user_timeout",
	                            NULL};
	const char *const values[] = {s->cfg->url, connect_timeout, options, "oficina", "1", "10",
	                              "5",         user_timeout,    NULL};

	s->conn = PQconnectdbParams(keys, values, 1);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		/* PQerrorMessage may name host and user, never the password: safe for our log. */
		const char *why = s->conn ? PQerrorMessage(s->conn) : "out of memory";
		log_msg(LOG_LEVEL_WARN, NULL, "postgres connection failed: %.*s",
		        (int)strcspn(why, "\n"), why);
		if (s->conn)
			PQfinish(s->conn);
		s->conn = NULL;
		schedule_retry(s);
		return APP_EUNAVAILABLE;
	}
	atomic_fetch_add_explicit(&connected_count, 1, memory_order_relaxed);
	s->n_prepared = 0;
	return 0;
}

static int ensure_connected(struct pg_session *s)
{
	if (s->conn && PQstatus(s->conn) == CONNECTION_OK)
		return 0;
	if (s->conn)
		disconnect(s);
	if (ms_until(&s->next_attempt) > 0)
		return APP_EUNAVAILABLE; /* answer 503 at once while the database is down */
	return connect_now(s);
}

static bool is_prepared(const struct pg_session *s, const struct pg_statement *st)
{
	for (size_t i = 0; i < s->n_prepared; i++)
		if (s->prepared[i] == st)
			return true;
	return false;
}

/* Maps a failed result to an error code; drops the connection when it is gone. */
static int result_error(struct pg_session *s, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	/*
	 * A connection that dropped is reconnected at once on the next call: only a failed
	 * connect attempt starts the back-off (connect_now).
	 */
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK || !state) {
		disconnect(s);
		return APP_EUNAVAILABLE;
	}
	if (strcmp(state, "23505") == 0)
		return APP_ECONFLICT;
	/* Serialisation failure or deadlock: transient, the client may retry (503). */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return APP_EUNAVAILABLE;
	if (strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0)
		return APP_EINVALID;
	/* statement timeout, shutting down, too many connections, connection exceptions */
	if (strcmp(state, "57014") == 0 || strncmp(state, "57P", 3) == 0 ||
	    strncmp(state, "53", 2) == 0 || strncmp(state, "08", 2) == 0) {
		if (strncmp(state, "57P", 3) == 0 || strncmp(state, "08", 2) == 0)
			disconnect(s);
		return APP_EUNAVAILABLE;
	}
	log_msg(LOG_LEVEL_ERROR, NULL, "postgres error %s: %s", state,
	        PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
	return APP_EINTERNAL;
}

static int exec_once(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                     PGresult **out)
{
	PGresult *r;
	int rc;

	if ((rc = ensure_connected(s)) != 0)
		return rc;
	if (!is_prepared(s, st) && s->n_prepared >= PG_PREPARED_MAX) {
		/* More statements than the table holds: run this one unprepared, still bound. */
		r = PQexecParams(s->conn, st->sql, st->nparams, NULL, params, NULL, NULL, 0);
	} else if (!is_prepared(s, st)) {
		r = PQprepare(s->conn, st->name, st->sql, st->nparams, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			rc = result_error(s, r);
			PQclear(r);
			return rc;
		}
		PQclear(r);
		s->prepared[s->n_prepared++] = st;
		r = PQexecPrepared(s->conn, st->name, st->nparams, params, NULL, NULL, 0);
	} else {
		r = PQexecPrepared(s->conn, st->name, st->nparams, params, NULL, NULL, 0);
	}
	if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK) {
		*out = r;
		return 0;
	}
	rc = result_error(s, r);
	PQclear(r);
	return rc;
}

int pg_session_exec(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                    PGresult **out)
{
	bool was_connected = s->conn != NULL;
	bool in_tx = s->in_tx;
	int rc;

	*out = NULL;
	if (s->tx_broken)
		return APP_EUNAVAILABLE;
	rc = exec_once(s, st, params, out);
	/*
	 * A connection that died while idle (the server restarted) is only noticed on use: outside
	 * a transaction nothing was lost, so reconnect and try once more rather than fail a request
	 * the database could serve.
	 */
	if (rc == APP_EUNAVAILABLE && was_connected && !in_tx && !s->conn)
		rc = exec_once(s, st, params, out);
	return rc;
}

int pg_session_begin(struct pg_session *s)
{
	static const struct pg_statement begin = {"tx_begin", "BEGIN", 0};
	PGresult *r;
	int rc;

	drop_pending(s);
	s->tx_broken = false;
	if ((rc = pg_session_exec(s, &begin, NULL, &r)) != 0)
		return rc;
	PQclear(r);
	s->in_tx = true;
	return 0;
}

int pg_session_commit(struct pg_session *s)
{
	int rc;

	if (!s->in_tx || !s->conn)
		return APP_EUNAVAILABLE;
	PGresult *r = PQexec(s->conn, "COMMIT");
	/* COMMIT of a transaction that failed earlier "succeeds" with the tag ROLLBACK. */
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = result_error(s, r);
	else
		rc = strcmp(PQcmdStatus(r), "COMMIT") == 0 ? 0 : APP_EINTERNAL;
	PQclear(r);
	if (rc != 0) {
		pg_session_rollback(s);
		return rc;
	}
	s->in_tx = false;
	s->committed++;
	for (size_t i = 0; i < s->n_pending; i++)
		log_write_line(s->pending_logs[i]);
	drop_pending(s);
	return 0;
}

void pg_session_rollback(struct pg_session *s)
{
	if (s->in_tx && s->conn && PQstatus(s->conn) == CONNECTION_OK) {
		PGresult *r = PQexec(s->conn, "ROLLBACK");
		PQclear(r);
	}
	s->in_tx = false;
	s->tx_broken = false;
	drop_pending(s);
}

void pg_session_defer_log(struct pg_session *s, char *line)
{
	if (!line)
		return;
	if (s->n_pending >= PG_PENDING_LOGS) {
		log_write_line(line); /* more events than expected: log now rather than lose it */
		free(line);
		return;
	}
	s->pending_logs[s->n_pending++] = line;
}

enum wait_result { ANSWERED, TIMED_OUT, BROKEN };

/* Waits up to ms for the answer of the query sent on s->conn. */
static enum wait_result answer_within(struct pg_session *s, int ms)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	while (PQisBusy(s->conn)) {
		long left = ms_until(&deadline);
		struct pollfd p = {.fd = PQsocket(s->conn), .events = POLLIN};
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return TIMED_OUT;
		if (!PQconsumeInput(s->conn))
			return BROKEN;
	}
	return ANSWERED;
}

/* One bounded SELECT 1 on a connected session. */
static enum wait_result ping_once(struct pg_session *s, int timeout_ms)
{
	enum wait_result w =
	    PQsendQuery(s->conn, "SELECT 1") ? answer_within(s, timeout_ms) : BROKEN;
	bool ok = w == ANSWERED;
	PGresult *r;

	if (w == ANSWERED) {
		while ((r = PQgetResult(s->conn)) != NULL) {
			ok = ok && PQresultStatus(r) == PGRES_TUPLES_OK;
			PQclear(r);
		}
	}
	if (!ok)
		disconnect(s); /* mid-query or dead: it cannot serve the next request */
	return ok ? ANSWERED : w == TIMED_OUT ? TIMED_OUT : BROKEN;
}

int pg_session_ping(struct pg_session *s, int timeout_ms)
{
	bool was_connected = s->conn != NULL;
	enum wait_result w;

	if (s->in_tx || ensure_connected(s) != 0)
		return APP_EUNAVAILABLE;
	/*
	 * Readiness must answer quickly even when the server hangs without closing the socket, so
	 * the round trip is asynchronous and bounded. A connection that had died while idle (the
	 * server restarted) is replaced and tried once more, as pg_session_exec does.
	 */
	w = ping_once(s, timeout_ms);
	if (w == BROKEN && was_connected && ensure_connected(s) == 0)
		w = ping_once(s, timeout_ms);
	return w == ANSWERED ? 0 : APP_EUNAVAILABLE;
}

void pg_copy(char *dst, size_t n, const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		dst[0] = '\0';
	else
		snprintf(dst, n, "%s", PQgetvalue(r, row, col));
}

bool pg_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

long pg_long(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtol(PQgetvalue(r, row, col), NULL, 10);
}

char *pg_like_escape(const char *s, char *dst, size_t n)
{
	size_t j = 0;
	for (; *s && j + 2 < n; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			dst[j++] = '\\';
		dst[j++] = *s;
	}
	dst[j] = '\0';
	return dst;
}
