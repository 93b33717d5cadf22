/*
 * One PostgreSQL connection owned by one thread (infrastructure layer). There is no shared pool
 * and so no lock on the request path: each handler worker has its session.
 *
 * The connection is nonblocking and in libpq's pipeline mode, so what a statement needs before it
 * (BEGIN, the request's settings, PREPARE the first time) travels with it in one round trip, and
 * every wait is a poll(2) with a deadline. A session serves one request at a time
 * (pg_session_serve): statements get only what is left of that request's budget, enforced by the
 * client, which drops a connection that does not answer in time (a frozen backend) and
 * reconnects on the next call, and in a transaction also by the server (statement_timeout, set
 * with BEGIN in the same round trip). The request's correlation id is the transaction's
 * application_name, so pg_stat_activity and the server log tie a slow statement or a lock to the
 * request; the session's own log lines carry it too.
 *
 * Statements are prepared lazily, once per connection, and prepared again after a reconnect.
 * Connection attempts go through the database's circuit breaker (circuit_breaker.h), shared by all
 * sessions of the process.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_SESSION_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_SESSION_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "application/ports/database_stats.h"
#include "infrastructure/resilience/circuit_breaker.h"

#define PG_PREPARED_MAX    256 /* beyond this, statements run unprepared (still bound) */
#define PG_PENDING_LOGS    16
#define PG_CORRELATION_MAX 128

/* A statement of an adapter: static storage, its address identifies it. */
struct pg_statement {
	const char *name; /* unique server-side name */
	const char *sql;  /* text with $1..$n; never built from input */
	int nparams;      /* number of parameters */
};

struct pg_config {
	const char *url;              /* libpq URL or conninfo (outlives the sessions) */
	int statement_timeout_ms;     /* the connection's statement_timeout (no request budget) */
	int connect_timeout_s;        /* bound of one connection attempt (2 at least) */
	const char *application_name; /* shown by the server between requests; NULL: "oficina" */
	struct circuit_breaker *breaker; /* shared by the sessions of one database; NULL: none */
	/*
	 * Called around a wait on the server that lasts longer than PG_PARK_AFTER_MS (a lock, a
	 * slow statement), so the thread's owner can let other work run meanwhile; NULL: none.
	 */
	void (*park)(void);
	void (*unpark)(void);
};

#define PG_PARK_AFTER_MS 50

struct pg_session {
	const struct pg_config *cfg;                          /* shared, read-only */
	PGconn *conn;                                         /* NULL while disconnected */
	const struct pg_statement *prepared[PG_PREPARED_MAX]; /* prepared on this connection */
	size_t n_prepared;
	bool in_tx;                    /* a transaction is open (its BEGIN may still be pending) */
	bool begin_pending;            /* BEGIN not sent yet: it goes with the first statement */
	unsigned tx_statements;        /* statements the open transaction has run */
	bool tx_broken;                /* its connection dropped: refuse until rollback */
	bool scope_sent;               /* the request's settings are in force in this transaction */
	struct timespec scope_sent_at; /* when they were sent (statement_timeout counts from it) */
	unsigned long committed;       /* transactions committed on this session */
	bool retryable; /* the last failure was a serialisation failure or deadlock */
	char correlation_id[PG_CORRELATION_MAX + 1]; /* of the request served, or "" */
	struct timespec deadline;            /* of the request served (monotonic); {0, 0}: none */
	char *pending_logs[PG_PENDING_LOGS]; /* event log lines waiting for COMMIT */
	size_t n_pending;
};

/* Prepares s for use with cfg; does not connect yet. */
void pg_session_init(struct pg_session *s, const struct pg_config *cfg);

/* Closes the connection and frees what s holds. Accepts NULL. */
void pg_session_cleanup(struct pg_session *s);

/*
 * The request s serves from now on: its correlation id (copied; NULL or "" for none) and its
 * deadline (monotonic; NULL for none, as for the CLI). Clears the retryable flag. Call with
 * NULL, NULL when the request is done.
 */
void pg_session_serve(struct pg_session *s, const char *correlation_id,
                      const struct timespec *deadline);

/* Whether the last failure was transient (40001, 40P01): the whole command may run again. */
bool pg_session_retryable(const struct pg_session *s);

/*
 * Runs statement st with text parameters params[0..st->nparams) (NULL entries are SQL NULL).
 * On 0, *out is a result the caller must PQclear. Otherwise *out is NULL and the code is:
 * APP_ETIMEDOUT (the request's deadline passed, or the server cancelled the statement: 57014,
 * 55P03), APP_EUNAVAILABLE (connection lost or refused, circuit breaker open, server shutting
 * down, too many connections, deadlock or serialisation failure — then pg_session_retryable —,
 * a transaction whose connection dropped, until it is rolled back), APP_ECONFLICT (unique
 * violation), APP_EINVALID (foreign key or check violation) or APP_EINTERNAL (logged with its
 * SQLSTATE; never shown to clients).
 */
int pg_session_exec(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                    PGresult **out);

/*
 * Transaction control. begin connects if needed and sends nothing: BEGIN goes with the first
 * statement. commit refuses (rolls back, APP_ETIMEDOUT) once the deadline has passed, so nothing
 * commits after a request has timed out; it logs the pending event lines, rollback drops them.
 */
int pg_session_begin(struct pg_session *s);
int pg_session_commit(struct pg_session *s);
void pg_session_rollback(struct pg_session *s);

/* Keeps a log line (malloc'd, ownership passes to s) to print when the transaction commits. */
void pg_session_defer_log(struct pg_session *s, char *line);

/*
 * A round trip to the server (SELECT 1) that gives up after timeout_ms. 0 or APP_EUNAVAILABLE;
 * refused inside a transaction.
 */
int pg_session_ping(struct pg_session *s, int timeout_ms);

/* A snapshot of what the sessions of this process did (lock-free; fields may be a moment
 * apart). The breaker fields are left for the caller, which knows the breaker. */
void pg_session_stats_read(struct database_stats *out);

/* Number of sessions currently connected in this process (pg_session_stats_read says it too). */
int pg_sessions_connected(void);

/* Copies text of row, col into dst (size n); "" for NULL. */
void pg_copy(char *dst, size_t n, const PGresult *r, int row, int col);

/* Whether the value is the text of boolean true ("t"). */
bool pg_bool(const PGresult *r, int row, int col);

/* The value as a long (0 for NULL or garbage). */
long pg_long(const PGresult *r, int row, int col);

/*
 * A text parameter that may be absent: s, or NULL (bound as SQL NULL) when s is NULL or "". The
 * entities keep an absent optional field as "", the tables as NULL.
 */
const char *pg_text_or_null(const char *s);

/* The text of a boolean parameter: "true" or "false". */
const char *pg_bool_text(bool b);

/*
 * Escapes \, % and _ of s for a LIKE pattern into dst (size n); returns dst, or NULL when s is
 * NULL (no filter: the parameter is bound as SQL NULL).
 */
char *pg_like_escape(const char *s, char *dst, size_t n);

/* The text of a constant macro, for SQL written at compile time: PG_STR(EVENTO_VERSAO) is "1". */
#define PG_STR_(x) #x
#define PG_STR(x)  PG_STR_(x)

/* SQL expression rendering a timestamptz column as RFC 3339 UTC ("2026-11-23T14:30:00Z"). */
#define PG_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

#endif
