/*
 * One PostgreSQL connection per thread: nonblocking, pipelined, with deadlines, lazy prepare and
 * reconnect (infrastructure layer); see pg_session.h.
 */
#include "infrastructure/postgres/pg_session.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/monotonic.h"
#include "infrastructure/log/log.h"

/* After the deadline, how long the client still waits for the server's own timeout error. */
#define CLIENT_GRACE_MS 300
/* A ROLLBACK (cleanup) gets this long, whatever is left of the request. */
#define ROLLBACK_WAIT_MS 1000
/* Inside a transaction the request's statement_timeout is sent again once it is this old. */
#define SCOPE_RESEND_MS 100
/* Without a request (CLI, tests), the client waits this much past statement_timeout. */
#define NO_REQUEST_GRACE_MS 5000
/* Room for "oficina:" and a correlation id in application_name. */
#define APP_NAME_MAX (PG_CORRELATION_MAX + 16)

static const double statement_bounds[] = DATABASE_STATEMENT_BUCKETS;
#define N_BOUNDS (sizeof statement_bounds / sizeof statement_bounds[0])

static struct {
	atomic_int connections;
	atomic_ulong connects_failed;
	atomic_ulong statements;
	atomic_ulong buckets[N_BOUNDS + 1];
	atomic_ulong statement_us;
	atomic_ulong timeouts;
	atomic_ulong transient;
} stats;

/* The request's settings, sent at the start of each transaction it runs. */
static const struct pg_statement scope_sql = {
    "oficina_scope",
    "SELECT set_config('statement_timeout', $1, true), set_config('application_name', $2, true)",
    2};
static const struct pg_statement ping_sql = {"oficina_ping", "SELECT 1", 0};

/* ---- time ---- */

static bool is_set(const struct timespec *t)
{
	return t->tv_sec != 0 || t->tv_nsec != 0;
}

/* How long the client waits for an answer: the request's deadline plus a grace, else a bound. */
static struct timespec client_deadline(const struct pg_session *s)
{
	if (is_set(&s->deadline))
		return monotonic_add_ms(s->deadline, CLIENT_GRACE_MS);
	return monotonic_add_ms(monotonic_now(),
	                        (long)s->cfg->statement_timeout_ms + NO_REQUEST_GRACE_MS);
}

/* ---- logs ---- */

static const char *cid(const struct pg_session *s)
{
	return s->correlation_id[0] ? s->correlation_id : NULL;
}

/* PostgreSQL's NOTICE and WARNING messages, as our log lines with the request's id. */
static void on_notice(void *arg, const PGresult *r)
{
	const struct pg_session *s = arg;
	const char *severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	bool warning = severity && strcmp(severity, "WARNING") == 0;

	log_msg(warning ? LOG_LEVEL_WARN : LOG_LEVEL_INFO, cid(s), "postgres %s: %s",
	        severity ? severity : "NOTICE", message ? message : "");
}

/* ---- connection ---- */

void pg_session_init(struct pg_session *s, const struct pg_config *cfg)
{
	memset(s, 0, sizeof *s);
	s->cfg = cfg;
}

static void drop_pending(struct pg_session *s)
{
	for (size_t i = 0; i < s->n_pending; i++)
		heap_free(s->pending_logs[i]);
	s->n_pending = 0;
}

static void disconnect(struct pg_session *s)
{
	if (s->conn) {
		PQfinish(s->conn);
		s->conn = NULL;
		atomic_fetch_sub_explicit(&stats.connections, 1, memory_order_relaxed);
	}
	s->n_prepared = 0;
	s->scope_sent = false;
	if (s->in_tx && s->tx_statements == 0) {
		/* Nothing of the transaction had run: it starts again on the next connection. */
		s->begin_pending = true;
		return;
	}
	/*
	 * The server rolled the transaction back with the connection. Until the caller rolls back
	 * too, nothing may run: a reconnected session would autocommit the rest of the command.
	 */
	if (s->in_tx)
		s->tx_broken = true;
	s->in_tx = false;
	s->begin_pending = false;
	drop_pending(s);
}

void pg_session_cleanup(struct pg_session *s)
{
	if (!s)
		return;
	disconnect(s);
	s->in_tx = false;
	s->begin_pending = false;
}

enum wait_result { READY, TIMED_OUT, BROKEN };

/*
 * Waits until the socket is ready for events or deadline passes. A wait longer than
 * PG_PARK_AFTER_MS is bracketed by the configuration's park and unpark.
 */
static enum wait_result wait_socket(const struct pg_session *s, PGconn *conn, short events,
                                    const struct timespec *deadline)
{
	struct pollfd p = {.fd = PQsocket(conn), .events = events};
	bool parked = false;
	enum wait_result w;

	if (p.fd < 0)
		return BROKEN;
	for (;;) {
		long left = monotonic_ms_until(deadline);
		if (left <= 0) {
			w = TIMED_OUT;
			break;
		}
		bool may_park = !parked && s->cfg->park && left > PG_PARK_AFTER_MS;
		int n = poll(&p, 1, may_park ? PG_PARK_AFTER_MS : (int)left);
		if (n > 0) {
			w = READY;
			break;
		}
		if (n == 0 && may_park) {
			s->cfg->park();
			parked = true;
			continue;
		}
		if (n == 0) {
			w = TIMED_OUT;
			break;
		}
		if (errno != EINTR) {
			w = BROKEN;
			break;
		}
	}
	if (parked)
		s->cfg->unpark();
	return w;
}

static void connect_failed(struct pg_session *s, const char *why, bool count)
{
	/*
	 * PQerrorMessage may name host and user, never the password: safe for our log. (Only a URL
	 * libpq cannot parse is quoted back whole; config_database_url refuses those at start.)
	 */
	log_msg(LOG_LEVEL_WARN, cid(s), "postgres connection failed: %.*s", (int)strcspn(why, "\n"),
	        why);
	if (s->conn)
		PQfinish(s->conn);
	s->conn = NULL;
	if (count) {
		atomic_fetch_add_explicit(&stats.connects_failed, 1, memory_order_relaxed);
		if (s->cfg->breaker)
			circuit_breaker_failure(s->cfg->breaker);
	} else if (s->cfg->breaker) {
		/* When this attempt was the half-open probe, the next caller probes instead. */
		circuit_breaker_inconclusive(s->cfg->breaker);
	}
}

/*
 * Connects without blocking past connect_timeout or the request's deadline, whichever comes
 * first. A request that runs out of its own time does not count against the database.
 * (The host name is still resolved synchronously by libpq; give an address or keep DNS close.)
 */
static int connect_now(struct pg_session *s)
{
	char connect_timeout[16], options[128], user_timeout[24];
	int timeout_s = s->cfg->connect_timeout_s < 2 ? 2 : s->cfg->connect_timeout_s;
	const char *app_name = s->cfg->application_name ? s->cfg->application_name : "oficina";
	struct timespec deadline = monotonic_add_ms(monotonic_now(), timeout_s * 1000L);
	bool request_bound = false;

	if (s->cfg->breaker && !circuit_breaker_allow(s->cfg->breaker))
		return APP_EUNAVAILABLE; /* 503 at once while the database is known to be down */
	if (is_set(&s->deadline) &&
	    monotonic_ms_until(&s->deadline) < monotonic_ms_until(&deadline)) {
		deadline = s->deadline;
		request_bound = true;
	}
	snprintf(connect_timeout, sizeof connect_timeout, "%d", timeout_s);
	/*
	 * client_connection_check_interval: a backend whose client went away (a connection this
	 * session dropped at a deadline) notices within a second and rolls back, freeing its locks.
	 */
	snprintf(options, sizeof options,
	         "-c statement_timeout=%d -c client_connection_check_interval=1000",
	         s->cfg->statement_timeout_ms);
	snprintf(user_timeout, sizeof user_timeout, "%d",
	         s->cfg->statement_timeout_ms + NO_REQUEST_GRACE_MS);
	const char *const keys[] = {"dbname",
	                            "connect_timeout",
	                            "options",
	                            "application_name",
	                            "keepalives",
	                            "keepalives_idle",
	                            "keepalives_interval",
	                            "tcp_user_timeout",
	                            NULL};
	const char *const values[] = {s->cfg->url, connect_timeout, options, app_name, "1", "10",
	                              "5",         user_timeout,    NULL};

	s->conn = PQconnectStartParams(keys, values, 1);
	if (!s->conn || PQstatus(s->conn) == CONNECTION_BAD) {
		connect_failed(s, s->conn ? PQerrorMessage(s->conn) : "out of memory", true);
		return APP_EUNAVAILABLE;
	}
	for (PostgresPollingStatusType st = PGRES_POLLING_WRITING; st != PGRES_POLLING_OK;) {
		enum wait_result w = READY;
		if (st == PGRES_POLLING_FAILED) {
			connect_failed(s, PQerrorMessage(s->conn), true);
			return APP_EUNAVAILABLE;
		}
		if (st == PGRES_POLLING_READING || st == PGRES_POLLING_WRITING)
			w = wait_socket(s, s->conn, st == PGRES_POLLING_READING ? POLLIN : POLLOUT,
			                &deadline);
		if (w != READY) {
			bool ours = w == TIMED_OUT && request_bound;
			connect_failed(s, w == TIMED_OUT ? "timeout" : "socket error", !ours);
			return ours ? APP_ETIMEDOUT : APP_EUNAVAILABLE;
		}
		st = PQconnectPoll(s->conn);
	}
	if (PQsetnonblocking(s->conn, 1) != 0 || PQenterPipelineMode(s->conn) != 1) {
		connect_failed(s, PQerrorMessage(s->conn), true);
		return APP_EUNAVAILABLE;
	}
	PQsetNoticeReceiver(s->conn, on_notice, s);
	if (s->cfg->breaker)
		circuit_breaker_success(s->cfg->breaker);
	atomic_fetch_add_explicit(&stats.connections, 1, memory_order_relaxed);
	s->n_prepared = 0;
	s->scope_sent = false;
	return 0;
}

static int ensure_connected(struct pg_session *s)
{
	if (s->conn && PQstatus(s->conn) == CONNECTION_OK)
		return 0;
	if (s->conn)
		disconnect(s);
	return connect_now(s);
}

/* ---- request scope ---- */

void pg_session_serve(struct pg_session *s, const char *correlation_id,
                      const struct timespec *deadline)
{
	snprintf(s->correlation_id, sizeof s->correlation_id, "%s",
	         correlation_id ? correlation_id : "");
	s->deadline = deadline ? *deadline : (struct timespec){0, 0};
	s->retryable = false;
	/* A transaction left open by the previous request is not this one's. */
	s->scope_sent = false;
}

bool pg_session_retryable(const struct pg_session *s)
{
	return s->retryable;
}

/* ---- errors ---- */

static void count_timeout(void)
{
	atomic_fetch_add_explicit(&stats.timeouts, 1, memory_order_relaxed);
}

/* Maps a failed result to an error code; drops the connection when it is gone. */
static int result_error(struct pg_session *s, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	/* A connection that dropped is replaced on the next call (through the breaker). */
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK || !state) {
		disconnect(s);
		return APP_EUNAVAILABLE;
	}
	if (strcmp(state, "23505") == 0)
		return APP_ECONFLICT;
	/* Serialisation failure or deadlock: the whole command may run again (the caller). */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		s->retryable = true;
		atomic_fetch_add_explicit(&stats.transient, 1, memory_order_relaxed);
		return APP_EUNAVAILABLE;
	}
	if (strcmp(state, "23503") == 0 || strcmp(state, "23514") == 0)
		return APP_EINVALID;
	/* The request's budget (statement_timeout) or a lock timeout: not an outage. */
	if (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0) {
		count_timeout();
		return APP_ETIMEDOUT;
	}
	/* shutting down, too many connections, connection exceptions */
	if (strncmp(state, "57P", 3) == 0 || strncmp(state, "53", 2) == 0 ||
	    strncmp(state, "08", 2) == 0) {
		if (strncmp(state, "57P", 3) == 0 || strncmp(state, "08", 2) == 0)
			disconnect(s);
		return APP_EUNAVAILABLE;
	}
	log_msg(LOG_LEVEL_ERROR, cid(s), "postgres error %s: %s", state,
	        PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
	return APP_EINTERNAL;
}

/* ---- one round trip ---- */

/* What goes out in one round trip, in order; the statement's result is the one returned. */
enum part {
	PART_BEGIN,
	PART_SCOPE_PREPARE,
	PART_SCOPE,
	PART_PREPARE,
	PART_STATEMENT,
	PART_CONTROL
};

struct batch {
	enum part parts[8];                     /* in the order they were sent */
	const struct pg_statement *prepares[8]; /* the statement a PREPARE part prepares */
	int n;
};

static bool is_prepared(const struct pg_session *s, const struct pg_statement *st)
{
	for (size_t i = 0; i < s->n_prepared; i++)
		if (s->prepared[i] == st)
			return true;
	return false;
}

static bool send_prepared(struct pg_session *s, struct batch *b, const struct pg_statement *st,
                          const char *const *params, enum part prepare_part, enum part part)
{
	if (!is_prepared(s, st) && s->n_prepared >= PG_PREPARED_MAX) {
		/* More statements than the table holds: run this one unprepared, still bound. */
		b->parts[b->n++] = part;
		return PQsendQueryParams(s->conn, st->sql, st->nparams, NULL, params, NULL, NULL,
		                         0) == 1;
	}
	if (!is_prepared(s, st)) {
		b->prepares[b->n] = st;
		b->parts[b->n++] = prepare_part;
		if (PQsendPrepare(s->conn, st->name, st->sql, st->nparams, NULL) != 1)
			return false;
	}
	b->parts[b->n++] = part;
	return PQsendQueryPrepared(s->conn, st->name, st->nparams, params, NULL, NULL, 0) == 1;
}

/*
 * The request's statement_timeout (what is left of its budget) and application_name go out at
 * the start of each transaction, and again inside a long one so that a late statement cannot
 * outlive the deadline by more than SCOPE_RESEND_MS. A statement outside a transaction (a read)
 * goes without them: they would cost it an extra execution (10-20 % of a primary-key read on
 * loopback, measured with make bench), its deadline is kept by the client's timer (a read that
 * overruns drops its connection, and the backend notices within client_connection_check_interval),
 * and row locks never make a read wait. Every write and every lock wait is in a transaction.
 */
static bool scope_due(const struct pg_session *s)
{
	if (!s->in_tx || (!s->correlation_id[0] && !is_set(&s->deadline)))
		return false;
	if (!s->scope_sent)
		return true;
	return monotonic_seconds_since(&s->scope_sent_at) * 1000 > SCOPE_RESEND_MS;
}

static bool send_scope(struct pg_session *s, struct batch *b)
{
	char timeout[24], app_name[APP_NAME_MAX];
	long left =
	    is_set(&s->deadline) ? monotonic_ms_until(&s->deadline) : s->cfg->statement_timeout_ms;
	const char *params[] = {timeout, app_name};

	snprintf(timeout, sizeof timeout, "%ld", left > 1 ? left : 1);
	snprintf(app_name, sizeof app_name, "oficina:%s", s->correlation_id);
	return send_prepared(s, b, &scope_sql, params, PART_SCOPE_PREPARE, PART_SCOPE);
}

/* Flushes what libpq holds for the server, reading when it must (per libpq's documentation). */
static enum wait_result flush_out(const struct pg_session *s, const struct timespec *deadline)
{
	PGconn *conn = s->conn;
	int rc;
	while ((rc = PQflush(conn)) == 1) {
		enum wait_result w = wait_socket(s, conn, POLLIN | POLLOUT, deadline);
		if (w != READY)
			return w;
		if (!PQconsumeInput(conn))
			return BROKEN;
	}
	return rc == 0 ? READY : BROKEN;
}

/* The next result, waiting for it until deadline. *out NULL between the parts' results. */
static enum wait_result next_result(const struct pg_session *s, const struct timespec *deadline,
                                    PGresult **out)
{
	PGconn *conn = s->conn;
	while (PQisBusy(conn)) {
		enum wait_result w = wait_socket(s, conn, POLLIN, deadline);
		if (w != READY)
			return w;
		if (!PQconsumeInput(conn))
			return BROKEN;
	}
	*out = PQgetResult(conn);
	return READY;
}

static void record_round_trip(const struct timespec *t0)
{
	double secs = monotonic_seconds_since(t0);
	size_t b = 0;
	while (b < N_BOUNDS && secs > statement_bounds[b])
		b++;
	atomic_fetch_add_explicit(&stats.statements, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&stats.buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&stats.statement_us, (unsigned long)(secs * 1e6),
	                          memory_order_relaxed);
}

/*
 * Sends the batch's Sync and reads every result up to it. On 0, *out (when not NULL) holds the
 * result of the PART_STATEMENT or PART_CONTROL part. The first failing part decides the code;
 * the parts after it come back aborted. A client deadline that passes drops the connection: the
 * server may be frozen, and the transaction must not be left to commit later.
 */
static int finish_batch(struct pg_session *s, const struct batch *b,
                        const struct timespec *deadline, PGresult **out)
{
	PGresult *r = NULL, *main_result = NULL;
	struct timespec t0 = monotonic_now();
	int part = 0, rc = 0;
	bool failed_part_seen = false;
	enum wait_result w;

	if (PQpipelineSync(s->conn) != 1 || (w = flush_out(s, deadline)) == BROKEN) {
		disconnect(s);
		return APP_EUNAVAILABLE;
	}
	for (;;) {
		if (w != READY || (w = next_result(s, deadline, &r)) != READY)
			break;
		if (!r) {
			part++;
			continue;
		}
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			/* A PREPARE that worked stays prepared whatever the later parts do. */
			if (part < b->n && b->prepares[part] && s->n_prepared < PG_PREPARED_MAX)
				s->prepared[s->n_prepared++] = b->prepares[part];
			if (part < b->n &&
			    (b->parts[part] == PART_STATEMENT || b->parts[part] == PART_CONTROL) &&
			    !main_result) {
				main_result = r;
				r = NULL;
			}
		} else if (st != PGRES_PIPELINE_ABORTED && !failed_part_seen) {
			failed_part_seen = true;
			rc = result_error(s, r);
			if (!s->conn) { /* dropped: nothing more will come */
				PQclear(r);
				break;
			}
		}
		PQclear(r);
		r = NULL;
	}
	record_round_trip(&t0);
	if (w != READY) {
		PQclear(main_result);
		if (w == TIMED_OUT) {
			count_timeout();
			log_msg(LOG_LEVEL_WARN, cid(s),
			        "postgres did not answer before the request's deadline; connection "
			        "dropped");
		}
		disconnect(s);
		return w == TIMED_OUT ? APP_ETIMEDOUT : APP_EUNAVAILABLE;
	}
	if (rc != 0 || !s->conn) {
		PQclear(main_result);
		return rc ? rc : APP_EUNAVAILABLE;
	}
	if (out)
		*out = main_result;
	else
		PQclear(main_result);
	return 0;
}

static bool deadline_passed(const struct pg_session *s)
{
	return is_set(&s->deadline) && monotonic_ms_until(&s->deadline) <= 0;
}

static int exec_once(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                     PGresult **out)
{
	struct batch b = {.n = 0, .prepares = {NULL}};
	struct timespec deadline;
	bool sent;
	int rc;

	if (deadline_passed(s)) {
		count_timeout();
		return APP_ETIMEDOUT;
	}
	if ((rc = ensure_connected(s)) != 0)
		return rc;
	deadline = client_deadline(s);
	sent = true;
	if (s->begin_pending) {
		b.parts[b.n++] = PART_BEGIN;
		sent = PQsendQueryParams(s->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) == 1;
		s->begin_pending = false; /* from now on a ROLLBACK is owed */
	}
	bool scope = scope_due(s);
	if (sent && scope)
		sent = send_scope(s, &b);
	if (sent)
		sent = send_prepared(s, &b, st, params, PART_PREPARE, PART_STATEMENT);
	if (!sent) {
		disconnect(s);
		return APP_EUNAVAILABLE;
	}
	if ((rc = finish_batch(s, &b, &deadline, out)) != 0)
		return rc;
	if (s->in_tx)
		s->tx_statements++;
	if (scope) { /* only ever due in a transaction */
		s->scope_sent = true;
		s->scope_sent_at = monotonic_now();
	}
	return 0;
}

int pg_session_exec(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                    PGresult **out)
{
	bool was_connected = s->conn != NULL;
	int rc;

	*out = NULL;
	if (s->tx_broken)
		return APP_EUNAVAILABLE;
	rc = exec_once(s, st, params, out);
	/*
	 * A connection that died while idle (the server restarted) is only noticed on use. When
	 * nothing was lost with it (outside a transaction, or before its first statement ran) it
	 * is replaced and the statement tried once more, rather than failing a request the
	 * database could serve; otherwise disconnect has marked the transaction broken.
	 */
	if (rc == APP_EUNAVAILABLE && was_connected && !s->conn && !s->tx_broken)
		rc = exec_once(s, st, params, out);
	return rc;
}

/* ---- transactions ---- */

int pg_session_begin(struct pg_session *s)
{
	int rc;

	drop_pending(s);
	s->tx_broken = false;
	if (deadline_passed(s)) {
		count_timeout();
		return APP_ETIMEDOUT;
	}
	if ((rc = ensure_connected(s)) != 0)
		return rc;
	s->in_tx = true;
	s->begin_pending = true;
	s->tx_statements = 0;
	s->scope_sent = false;
	return 0;
}

/* Runs one transaction-control command (COMMIT or ROLLBACK) until deadline. */
static int control(struct pg_session *s, const char *command, const struct timespec *deadline,
                   PGresult **out)
{
	struct batch b = {.parts = {PART_CONTROL}, .prepares = {NULL}, .n = 1};

	if (PQsendQueryParams(s->conn, command, 0, NULL, NULL, NULL, NULL, 0) != 1) {
		disconnect(s);
		return APP_EUNAVAILABLE;
	}
	return finish_batch(s, &b, deadline, out);
}

int pg_session_commit(struct pg_session *s)
{
	struct timespec deadline;
	PGresult *r = NULL;
	int rc;

	if (!s->in_tx || (!s->conn && !s->begin_pending))
		return APP_EUNAVAILABLE;
	if (s->begin_pending) { /* nothing was sent: nothing to commit */
		pg_session_rollback(s);
		return 0;
	}
	/* Once a request has timed out, nothing of it may commit: its client is told it failed. */
	if (deadline_passed(s)) {
		count_timeout();
		pg_session_rollback(s);
		return APP_ETIMEDOUT;
	}
	deadline = client_deadline(s);
	rc = control(s, "COMMIT", &deadline, &r);
	/* COMMIT of a transaction that failed earlier "succeeds" with the tag ROLLBACK. */
	if (rc == 0 && strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = APP_EINTERNAL;
	PQclear(r);
	if (rc != 0) {
		if (rc == APP_ETIMEDOUT)
			log_msg(LOG_LEVEL_WARN, cid(s),
			        "COMMIT unanswered at the deadline: its outcome is unknown");
		pg_session_rollback(s);
		return rc;
	}
	s->in_tx = false;
	s->scope_sent = false;
	s->committed++;
	for (size_t i = 0; i < s->n_pending; i++)
		log_write_line(s->pending_logs[i]);
	drop_pending(s);
	return 0;
}

void pg_session_rollback(struct pg_session *s)
{
	if (s->in_tx && !s->begin_pending && s->conn && PQstatus(s->conn) == CONNECTION_OK) {
		/* Cleanup gets its own short bound: the request's may be spent already. */
		struct timespec deadline = monotonic_add_ms(monotonic_now(), ROLLBACK_WAIT_MS);
		if (control(s, "ROLLBACK", &deadline, NULL) != 0)
			disconnect(s); /* the server rolls back a transaction whose client left */
	}
	s->in_tx = false;
	s->begin_pending = false;
	s->tx_broken = false;
	s->scope_sent = false;
	drop_pending(s);
}

void pg_session_defer_log(struct pg_session *s, char *line)
{
	if (!line)
		return;
	if (s->n_pending >= PG_PENDING_LOGS) {
		log_write_line(line); /* more events than expected: log now rather than lose it */
		heap_free(line);
		return;
	}
	s->pending_logs[s->n_pending++] = line;
}

int pg_session_ping(struct pg_session *s, int timeout_ms)
{
	struct timespec saved = s->deadline;
	PGresult *r;
	int rc;

	if (s->in_tx)
		return APP_EUNAVAILABLE;
	/*
	 * Readiness must answer quickly even when the server hangs without closing the socket:
	 * the round trip gets timeout_ms (a dropped connection is replaced and tried once more, as
	 * for any statement).
	 */
	s->deadline = monotonic_add_ms(monotonic_now(), timeout_ms);
	rc = pg_session_exec(s, &ping_sql, NULL, &r);
	s->deadline = saved;
	if (rc == 0)
		PQclear(r);
	return rc == 0 ? 0 : APP_EUNAVAILABLE;
}

/* ---- stats and helpers ---- */

_Static_assert(N_BOUNDS == DATABASE_STATEMENT_BOUNDS, "one histogram, one set of bounds");

void pg_session_stats_read(struct database_stats *out)
{
	memset(out, 0, sizeof *out);
	out->connections = atomic_load_explicit(&stats.connections, memory_order_relaxed);
	out->connects_failed = atomic_load_explicit(&stats.connects_failed, memory_order_relaxed);
	out->statements = atomic_load_explicit(&stats.statements, memory_order_relaxed);
	for (size_t i = 0; i <= N_BOUNDS; i++)
		out->statement_buckets[i] =
		    atomic_load_explicit(&stats.buckets[i], memory_order_relaxed);
	out->statement_seconds =
	    (double)atomic_load_explicit(&stats.statement_us, memory_order_relaxed) / 1e6;
	out->timeouts = atomic_load_explicit(&stats.timeouts, memory_order_relaxed);
	out->transient_failures = atomic_load_explicit(&stats.transient, memory_order_relaxed);
}

int pg_sessions_connected(void)
{
	return atomic_load_explicit(&stats.connections, memory_order_relaxed);
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

const char *pg_text_or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

const char *pg_bool_text(bool b)
{
	return b ? "true" : "false";
}

char *pg_like_escape(const char *s, char *dst, size_t n)
{
	size_t j = 0;

	if (!s)
		return NULL;
	for (; *s && j + 2 < n; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			dst[j++] = '\\';
		dst[j++] = *s;
	}
	dst[j] = '\0';
	return dst;
}
