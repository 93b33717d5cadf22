/*
 * The stock ledger in PostgreSQL: the estoque_repo port (infrastructure layer).
 *
 * A movement is one statement: a conditional UPDATE of the part's balance (which takes the row
 * lock, so concurrent movements of one part queue up and each re-checks the condition on the
 * balance the previous one committed) feeding the INSERT of the movement row with the new
 * balance. When the condition fails no row is written and the transaction stays usable; a second
 * query then tells an unknown part from a short balance. The arithmetic is done in bigint so that
 * an entry past INT_MAX is refused as a conflict instead of failing with an overflow.
 */
#include <stdio.h>

#include "application/ports/estoque_repo.h"
#include "domain/errors.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* SQL reads best one clause per line, and clang-format cannot keep it so. */
/* clang-format off */
#define COLS                                                                   \
	"m.uuid, m.peca_uuid, m.quantidade, m.motivo, m.saldo, m.ordem_uuid, " \
	PG_RFC3339("m.criado_em")
/* clang-format on */

static const struct pg_statement movimentar_sql = {
    "estoque_movimentar",
    "WITH u AS (UPDATE pecas SET quantidade_estoque = quantidade_estoque + $2::integer "
    "WHERE uuid = $1 AND quantidade_estoque::bigint + $2::bigint BETWEEN 0 AND 2147483647 "
    "RETURNING uuid, quantidade_estoque, estoque_minimo), "
    "i AS (INSERT INTO movimentos_estoque "
    "(peca_uuid, quantidade, motivo, saldo, ordem_uuid, correlation_id) "
    "SELECT u.uuid, $2::integer, $3, u.quantidade_estoque, $4::uuid, $5 FROM u "
    "RETURNING uuid, saldo, criado_em) "
    "SELECT i.uuid, i.saldo, " PG_RFC3339("i.criado_em") ", u.estoque_minimo FROM i, u",
    5};
static const struct pg_statement existe_sql = {"estoque_peca_existe",
                                               "SELECT 1 FROM pecas WHERE uuid = $1", 1};
static const struct pg_statement find_sql = {
    "estoque_find",
    "SELECT " COLS " FROM movimentos_estoque m WHERE m.peca_uuid = $1 AND m.uuid = $2", 2};
static const struct pg_statement list_sql = {
    "estoque_list",
    "SELECT " COLS ", (SELECT count(*) FROM movimentos_estoque WHERE peca_uuid = $1) "
    "FROM movimentos_estoque m WHERE m.peca_uuid = $1 "
    "ORDER BY m.criado_em DESC, m.uuid DESC LIMIT $2 OFFSET $3",
    3};
static const struct pg_statement count_sql = {
    "estoque_count", "SELECT count(*) FROM movimentos_estoque WHERE peca_uuid = $1", 1};

static void row_to_movimento(const PGresult *r, int row, void *out)
{
	struct movimento *m = out;
	pg_copy(m->uuid.str, sizeof m->uuid.str, r, row, 0);
	pg_copy(m->peca_uuid.str, sizeof m->peca_uuid.str, r, row, 1);
	m->quantidade = (int)pg_long(r, row, 2);
	pg_copy(m->motivo, sizeof m->motivo, r, row, 3);
	m->saldo = (int)pg_long(r, row, 4);
	pg_copy(m->ordem_uuid.str, sizeof m->ordem_uuid.str, r, row, 5);
	pg_copy(m->criado_em, sizeof m->criado_em, r, row, 6);
}

static int apply_movimento(void *self, struct movimento *m, const char *correlation_id,
                           int *estoque_minimo)
{
	char quantidade[16];
	PGresult *r;
	int rc;

	snprintf(quantidade, sizeof quantidade, "%d", m->quantidade);
	const char *p[] = {m->peca_uuid.str, quantidade, m->motivo,
	                   pg_text_or_null(m->ordem_uuid.str), correlation_id};
	if ((rc = pg_session_exec(self, &movimentar_sql, p, &r)) != 0)
		return rc;
	if (PQntuples(r) == 1) {
		pg_copy(m->uuid.str, sizeof m->uuid.str, r, 0, 0);
		m->saldo = (int)pg_long(r, 0, 1);
		pg_copy(m->criado_em, sizeof m->criado_em, r, 0, 2);
		*estoque_minimo = (int)pg_long(r, 0, 3);
		PQclear(r);
		return 0;
	}
	PQclear(r);
	if ((rc = pg_session_exec(self, &existe_sql, p, &r)) != 0)
		return rc;
	rc = PQntuples(r) == 1 ? APP_ECONFLICT : APP_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int find_by_uuid(void *self, const struct uuid *peca_uuid, const struct uuid *id,
                        struct movimento *out)
{
	const char *p[] = {peca_uuid->str, id->str};
	return pg_query_one(self, &find_sql, p, row_to_movimento, out);
}

static int list(void *self, const struct uuid *peca_uuid, const struct pagina *page,
                struct movimento *out, size_t *n, long *total)
{
	const char *filtros[] = {peca_uuid->str};
	return pg_query_page(self, &list_sql, &count_sql, filtros, 1, page, row_to_movimento, out,
	                     sizeof *out, n, total);
}

static const struct estoque_repo_ops ops = {
    .apply_movimento = apply_movimento,
    .find_by_uuid = find_by_uuid,
    .list = list,
};

void pg_estoque_repo_init(struct estoque_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
