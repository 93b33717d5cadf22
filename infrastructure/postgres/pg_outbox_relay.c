/* The relay's side of the outbox (infrastructure layer; pg_outbox_relay.h). */
#include "infrastructure/postgres/pg_outbox_relay.h"
#include "infrastructure/postgres/pg_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"

/* The body is built by the server: one JSON document per event, schema EVENTO_VERSAO. */
/* clang-format off */
static const struct pg_statement ler_sql = {
    "outbox_ler",
    "SELECT id, uuid, tipo, coalesce(correlation_id, ''), extract(epoch FROM criado_em)::bigint,"
    " json_build_object('id', uuid, 'tipo', tipo, 'versao', " PG_STR(EVENTO_VERSAO) ","
    "   'ocorrido_em', " PG_RFC3339("criado_em") ","
    "   'agregado_uuid', agregado_uuid, 'correlation_id', correlation_id, 'dados', dados)::text"
    " FROM eventos WHERE publicado_em IS NULL ORDER BY id LIMIT $1", 1};
static const struct pg_statement marcar_sql = {
    "outbox_marcar",
    "UPDATE eventos SET publicado_em = now() WHERE id = ANY($1::bigint[]) AND publicado_em IS NULL",
    1};
static const struct pg_statement backlog_sql = {
    "outbox_backlog",
    "SELECT count(*), coalesce(extract(epoch FROM now() - min(criado_em)), 0)"
    " FROM eventos WHERE publicado_em IS NULL", 0};
/* clang-format on */

int pg_outbox_ler(struct pg_session *s, int limite, struct outbox_lote *out)
{
	char lim[16];
	const char *p[] = {lim};
	int rc;

	memset(out, 0, sizeof *out);
	snprintf(lim, sizeof lim, "%d", limite);
	if ((rc = pg_session_exec(s, &ler_sql, p, &out->r)) != 0)
		return rc;
	out->n = (size_t)PQntuples(out->r);
	if (out->n == 0)
		return 0;
	out->itens = heap_calloc(out->n, sizeof *out->itens);
	if (!out->itens) {
		outbox_lote_cleanup(out);
		return APP_ENOMEM;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct evento_publicavel *e = &out->itens[i];
		int row = (int)i;
		e->id = PQgetvalue(out->r, row, 0);
		e->uuid = PQgetvalue(out->r, row, 1);
		e->tipo = PQgetvalue(out->r, row, 2);
		e->correlation_id = PQgetvalue(out->r, row, 3);
		e->criado_em = strtoll(PQgetvalue(out->r, row, 4), NULL, 10);
		e->corpo = PQgetvalue(out->r, row, 5);
		e->corpo_len = (size_t)PQgetlength(out->r, row, 5);
	}
	return 0;
}

int pg_outbox_marcar(struct pg_session *s, const struct outbox_lote *lote)
{
	size_t cap = 2 + lote->n * 21, len = 0;
	char *ids = heap_alloc(cap);
	int rc;

	if (!ids)
		return APP_ENOMEM;
	ids[len++] = '{';
	for (size_t i = 0; i < lote->n; i++)
		len +=
		    (size_t)snprintf(ids + len, cap - len, "%s%s", i ? "," : "", lote->itens[i].id);
	snprintf(ids + len, cap - len, "}");
	const char *p[] = {ids};
	rc = pg_query_run(s, &marcar_sql, p);
	heap_free(ids);
	return rc;
}

void outbox_lote_cleanup(struct outbox_lote *lote)
{
	heap_free(lote->itens);
	PQclear(lote->r);
	memset(lote, 0, sizeof *lote);
}

int pg_outbox_backlog(struct pg_session *s, long *pendentes, double *idade_s)
{
	PGresult *r;
	int rc = pg_session_exec(s, &backlog_sql, NULL, &r);

	if (rc != 0)
		return rc;
	*pendentes = pg_long(r, 0, 0);
	*idade_s = strtod(PQgetvalue(r, 0, 1), NULL);
	PQclear(r);
	return 0;
}
