/* The sessao_estados port over a PostgreSQL session (infrastructure layer). */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_SESSAO_ESTADOS_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_SESSAO_ESTADOS_H

#include "application/ports/sessao_estados.h"
#include "infrastructure/postgres/pg_session.h"

/* Fills *port with the adapter over s, which must outlive it. */
void pg_sessao_estados_init(struct sessao_estados *port, struct pg_session *s);

#endif
