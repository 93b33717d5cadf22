/*
 * One PostgreSQL connection owned by one worker thread (infrastructure layer). There is no shared
 * pool and so no lock on the request path: each libmicrohttpd worker thread has its session.
 *
 * Statements are prepared lazily, once per connection, and prepared again after a reconnect. When
 * the server goes away the session answers APP_EUNAVAILABLE at once (connect and statement
 * timeouts are bounded, reconnects are spaced by a short back-off) and reconnects by itself on a
 * later call, so the process survives a database restart.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_SESSION_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_SESSION_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define PG_PREPARED_MAX 256 /* beyond this, statements run unprepared (still bound) */
#define PG_PENDING_LOGS 16

/* A statement of an adapter: static storage, its address identifies it. */
struct pg_statement {
	const char *name; /* unique server-side name */
	const char *sql;  /* text with $1..$n; never built from input */
	int nparams;      /* number of parameters */
};

struct pg_config {
	const char *url; /* libpq URL or conninfo (owned by the caller, outlives sessions) */
	int statement_timeout_ms; /* server-side statement_timeout */
	int connect_timeout_s;    /* libpq connect_timeout (2 at least) */
};

struct pg_session {
	const struct pg_config *cfg;                          /* shared, read-only */
	PGconn *conn;                                         /* NULL while disconnected */
	const struct pg_statement *prepared[PG_PREPARED_MAX]; /* prepared on this connection */
	size_t n_prepared;
	bool in_tx;                          /* a transaction is open */
	unsigned long committed;             /* transactions committed on this session */
	bool tx_broken;                      /* its connection dropped: refuse until rollback */
	struct timespec next_attempt;        /* no reconnect before this (monotonic) */
	char *pending_logs[PG_PENDING_LOGS]; /* event log lines waiting for COMMIT */
	size_t n_pending;
};

/* Prepares s for use with cfg; does not connect yet. */
void pg_session_init(struct pg_session *s, const struct pg_config *cfg);

/* Closes the connection and frees what s holds. Accepts NULL. */
void pg_session_cleanup(struct pg_session *s);

/*
 * Runs statement st with text parameters params[0..st->nparams) (NULL entries are SQL NULL).
 * On 0, *out is a result the caller must PQclear. Otherwise *out is NULL and the code is:
 * APP_EUNAVAILABLE (connection lost, timeout, server shutting down, deadlock or serialisation
 * failure, a transaction whose connection dropped, until it is rolled back), APP_ECONFLICT
 * (unique violation), APP_EINVALID (foreign key or check violation) or
 * APP_EINTERNAL (logged with its SQLSTATE; never shown to clients).
 */
int pg_session_exec(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                    PGresult **out);

/* Transaction control; commit logs the pending event lines, rollback drops them. */
int pg_session_begin(struct pg_session *s);
int pg_session_commit(struct pg_session *s);
void pg_session_rollback(struct pg_session *s);

/* Keeps a log line (malloc'd, ownership passes to s) to print when the transaction commits. */
void pg_session_defer_log(struct pg_session *s, char *line);

/*
 * A round trip to the server (SELECT 1) that gives up after timeout_ms (the connect itself is
 * bounded by connect_timeout). 0 or APP_EUNAVAILABLE; refused inside a transaction.
 */
int pg_session_ping(struct pg_session *s, int timeout_ms);

/* Number of sessions currently connected in this process (for the db_pool_connections gauge). */
int pg_sessions_connected(void);

/* Copies text of row, col into dst (size n); "" for NULL. */
void pg_copy(char *dst, size_t n, const PGresult *r, int row, int col);

/* Whether the value is the text of boolean true ("t"). */
bool pg_bool(const PGresult *r, int row, int col);

/* The value as a long (0 for NULL or garbage). */
long pg_long(const PGresult *r, int row, int col);

/* Escapes \, % and _ of s for a LIKE pattern into dst (size n); returns dst. */
char *pg_like_escape(const char *s, char *dst, size_t n);

/* SQL expression rendering a timestamptz column as RFC 3339 UTC ("2026-11-23T14:30:00Z"). */
#define PG_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

#endif
