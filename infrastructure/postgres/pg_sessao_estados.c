/* The accounts' states for the session registry: the sessao_estados port (infrastructure). */
#include "infrastructure/postgres/pg_sessao_estados.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application/ports/token_service.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "infrastructure/postgres/pg_query.h"

/*
 * Every staff user (a few dozen), and the customers whose sessions ended (a logout or a
 * deactivation: both set sessoes_desde) within the longest a token lives, found by the partial
 * index on sessoes_desde (migration 0007). One left out holds no token to refuse: those issued
 * before have expired, and an inactive customer cannot log in. Five minutes more for the clocks of
 * the servers, which check exp, and of PostgreSQL, which set sessoes_desde.
 */
/* clang-format off */
static const struct pg_statement carregar_sql = {
    "sessao_estados_carregar",
    "SELECT uuid, false, ativo, perfil, "
    "       coalesce(ceil(extract(epoch FROM sessoes_desde))::bigint, 0) FROM usuarios "
    "UNION ALL "
    "SELECT uuid, true, ativo, 'cliente', "
    "       ceil(extract(epoch FROM sessoes_desde))::bigint FROM clientes "
    "WHERE sessoes_desde > now() - make_interval(secs => " PG_STR(TOKEN_TTL_MAX_SECONDS) " + 300)",
    0};
/* clang-format on */

static int carregar(void *self, struct sessao_estado **out, size_t *n)
{
	PGresult *r;
	int rc = pg_session_exec(self, &carregar_sql, NULL, &r);

	*out = NULL;
	*n = 0;
	if (rc != 0)
		return rc;
	size_t rows = (size_t)PQntuples(r);
	struct sessao_estado *e = heap_calloc(rows ? rows : 1, sizeof *e);
	if (!e) {
		PQclear(r);
		return APP_ENOMEM;
	}
	for (size_t i = 0; i < rows; i++) {
		int row = (int)i;
		char perfil[16];
		pg_copy(e[i].uuid, sizeof e[i].uuid, r, row, 0);
		e[i].cliente = pg_bool(r, row, 1);
		e[i].ativo = pg_bool(r, row, 2);
		pg_copy(perfil, sizeof perfil, r, row, 3);
		e[i].perfil = perfil_parse(perfil);
		e[i].sessoes_desde = strtol(PQgetvalue(r, row, 4), NULL, 10);
	}
	PQclear(r);
	*out = e;
	*n = rows;
	return 0;
}

static const struct sessao_estados_ops ops = {.carregar = carregar};

void pg_sessao_estados_init(struct sessao_estados *port, struct pg_session *s)
{
	port->ops = &ops;
	port->self = s;
}
