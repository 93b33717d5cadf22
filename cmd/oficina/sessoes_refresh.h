/*
 * Keeps the server's session registry current (cmd layer): a thread with its own PostgreSQL
 * session reads the accounts' states (pg_sessao_estados.c) every period_ms and publishes them
 * (presentation/http/sessoes.h). While the database does not answer, the last snapshot stays.
 */
#ifndef OFICINA_CMD_OFICINA_SESSOES_REFRESH_H
#define OFICINA_CMD_OFICINA_SESSOES_REFRESH_H

#include "infrastructure/postgres/pg_session.h"
#include "presentation/http/sessoes.h"

struct sessoes_refresh;

/*
 * Loads once now (so that the server starts with the accounts' states when the database
 * answers), then starts the thread. pg (copied; its url and breaker) and reg must outlive it. NULL
 * when out of memory or no thread.
 */
struct sessoes_refresh *sessoes_refresh_start(const struct pg_config *pg, struct sessoes *reg,
                                              int period_ms);

/* Stops the thread, closes its session, frees it. Accepts NULL. */
void sessoes_refresh_stop(struct sessoes_refresh *r);

#endif
