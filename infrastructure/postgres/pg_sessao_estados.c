/* The accounts' states for the session registry: the sessao_estados port (infrastructure). */
#include "infrastructure/postgres/pg_sessao_estados.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "infrastructure/postgres/pg_query.h"

/* Every staff user; the customers refused in some way (a partial index covers them). */
/* clang-format off */
static const struct pg_statement carregar_sql = {
    "sessao_estados_carregar",
    "SELECT uuid, false, ativo, perfil, "
    "       coalesce(ceil(extract(epoch FROM sessoes_desde))::bigint, 0) FROM usuarios "
    "UNION ALL "
    "SELECT uuid, true, ativo, 'cliente', "
    "       coalesce(ceil(extract(epoch FROM sessoes_desde))::bigint, 0) FROM clientes "
    "WHERE NOT ativo OR sessoes_desde IS NOT NULL",
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
