/*
 * The application ports of the current thread (cmd layer, the only place that wires adapters).
 * Each libmicrohttpd worker thread gets, on its first request, its own PostgreSQL session and a
 * struct app of PostgreSQL adapters over it, released when the thread exits. No lock is shared
 * by requests.
 */
#ifndef OFICINA_CMD_OFICINA_WORKER_H
#define OFICINA_CMD_OFICINA_WORKER_H

#include "application/app.h"
#include "infrastructure/postgres/pg_session.h"

/*
 * Sets what every worker shares: the database settings and the (thread-safe) token and password
 * ports. The pointers must stay valid while workers run. Call once before the first worker_app.
 */
void workers_configure(const struct pg_config *pg, const struct token_service *tokens,
                       const struct password_hasher *senhas);

/* This thread's ports, created on first use; NULL when out of memory. */
const struct app *worker_app(void);

/* Releases this thread's ports now (for the main thread, whose key destructor never runs). */
void worker_release(void);

/*
 * @ordens: sets the signature checker of the budget-approval webhook (thread-safe, read-only)
 * that every worker shares. Call before the first worker_app; *webhook must stay valid.
 */
void workers_configure_webhook(const struct assinatura *webhook);

#endif
