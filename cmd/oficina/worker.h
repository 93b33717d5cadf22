/*
 * The application ports of a worker thread (cmd layer, the only place that wires adapters). Each
 * handler worker gets, when it starts, its own PostgreSQL session and a struct app of PostgreSQL
 * adapters over it, released when the worker ends. No lock is shared by requests.
 */
#ifndef OFICINA_CMD_OFICINA_WORKER_H
#define OFICINA_CMD_OFICINA_WORKER_H

#include "application/app.h"
#include "infrastructure/postgres/pg_session.h"

/* What every worker shares: read-only, thread-safe, valid while workers run. */
struct worker_settings {
	const struct pg_config *pg;           /* the database (its breaker included) */
	struct token_service tokens;          /* JWT */
	struct password_hasher senhas;        /* Argon2id, behind its gate */
	struct assinatura webhook;            /* HMAC of the budget-approval webhook */
	struct orcamento_link orcamento_link; /* the budget links' tokens (ORCAMENTO_LINK_SECRET) */
	struct cliente_login_regras cliente_login; /* CLIENTE_LOGIN and its lockout */
	/* A streaming replica for queries (DATABASE_READ_URL; its own breaker), or NULL. */
	const struct pg_config *replica;
	bool (*replica_usable)(void); /* whether it may serve queries now (reachable, not behind) */
};

/* Sets what every worker shares (copied). Call once before the first worker_app. */
void workers_configure(const struct worker_settings *settings);

/* This thread's ports, created on first use; NULL when out of memory. */
const struct app *worker_app(void);

/*
 * worker_app, connected to the database already (one bounded attempt): for the handler workers,
 * so that whichever of them is given a running slot has its connection and prepared statements
 * warm — a connection opened in the middle of a request costs it several round trips.
 */
#define WORKER_CONNECT_TIMEOUT_MS 2000
const struct app *worker_app_connected(void);

/*
 * This thread's ports over the replica, for a query (never a command: they may be behind the
 * primary by up to DATABASE_READ_MAX_LAG_MS); NULL when there is no replica or it may not serve
 * now (unreachable, too far behind): then the query goes to worker_app's primary.
 */
const struct app *worker_app_for_queries(void);

/* Releases this thread's ports now (a worker that ends; the key destructor is the fallback). */
void worker_release(void);

#endif
