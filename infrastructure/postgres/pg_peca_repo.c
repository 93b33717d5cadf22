/*
 * Parts and supplies in PostgreSQL: the peca_repo port (infrastructure layer). The balance column
 * is written only by pg_estoque_repo.c: insert leaves it at its default of zero and update never
 * names it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "application/ports/peca_repo.h"
#include "domain/errors.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

#define COLS                                                                                       \
	"uuid, nome, codigo, tipo, valor_centavos, quantidade_estoque, estoque_minimo, "           \
	"ativo, " PG_RFC3339("criado_em") ", " PG_RFC3339("atualizado_em")
#define FILTRO                                                                                     \
	"WHERE ($1::boolean IS NULL OR (quantidade_estoque < estoque_minimo) = $1) "               \
	"AND ($2::text IS NULL OR tipo = $2) "                                                     \
	"AND ($3::text IS NULL OR lower(nome) LIKE '%' || lower($3) || '%') "

static const struct pg_statement find_sql = {"peca_find",
                                             "SELECT " COLS " FROM pecas WHERE uuid = $1", 1};
static const struct pg_statement find_lock_sql = {
    "peca_find_lock", "SELECT " COLS " FROM pecas WHERE uuid = $1 FOR UPDATE", 1};
static const struct pg_statement insert_sql = {
    "peca_insert",
    "INSERT INTO pecas (nome, codigo, tipo, valor_centavos, estoque_minimo, ativo) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " COLS,
    6};
static const struct pg_statement update_sql = {
    "peca_update",
    "UPDATE pecas SET nome = $2, codigo = $3, tipo = $4, valor_centavos = $5, "
    "estoque_minimo = $6, ativo = $7, atualizado_em = now() WHERE uuid = $1 RETURNING " COLS,
    7};
/*
 * The total comes from one count over the same filter (an InitPlan run once), so only the rows of
 * the page are formatted; a window count would format every match. An empty page past the end
 * needs count_sql for the total.
 */
static const struct pg_statement list_sql = {"peca_list",
                                             "SELECT " COLS ", (SELECT count(*) FROM pecas " FILTRO
                                             ") FROM pecas " FILTRO
                                             "ORDER BY criado_em, uuid LIMIT $4 OFFSET $5",
                                             5};
static const struct pg_statement count_sql = {"peca_count", "SELECT count(*) FROM pecas " FILTRO,
                                              3};

static void row_to_peca(const PGresult *r, int row, void *out)
{
	struct peca *p = out;
	char tipo[16];

	pg_copy(p->uuid.str, sizeof p->uuid.str, r, row, 0);
	pg_copy(p->nome, sizeof p->nome, r, row, 1);
	pg_copy(p->codigo, sizeof p->codigo, r, row, 2);
	pg_copy(tipo, sizeof tipo, r, row, 3);
	p->tipo = tipo[0] == 'I' ? TIPO_PECA_INSUMO : TIPO_PECA_PECA;
	p->valor_centavos = (int64_t)pg_long(r, row, 4);
	p->quantidade_estoque = (int)pg_long(r, row, 5);
	p->estoque_minimo = (int)pg_long(r, row, 6);
	p->ativo = pg_bool(r, row, 7);
	pg_copy(p->criado_em, sizeof p->criado_em, r, row, 8);
	pg_copy(p->atualizado_em, sizeof p->atualizado_em, r, row, 9);
}

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct peca *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, for_update ? &find_lock_sql : &find_sql, p, row_to_peca, out);
}

/* The text of the part's numbers, which its parameters point into. */
struct texto_peca {
	char valor[24];
	char minimo[16];
};

/* The part's columns as insert_sql's $1..$6 (update_sql's $2..$7). */
static void columns(const struct peca *p, struct texto_peca *t, const char *prm[6])
{
	snprintf(t->valor, sizeof t->valor, "%" PRId64, p->valor_centavos);
	snprintf(t->minimo, sizeof t->minimo, "%d", p->estoque_minimo);
	prm[0] = p->nome;
	prm[1] = pg_text_or_null(p->codigo);
	prm[2] = tipo_peca_nome(p->tipo);
	prm[3] = t->valor;
	prm[4] = t->minimo;
	prm[5] = pg_bool_text(p->ativo);
}

static int insert(void *self, struct peca *p)
{
	struct texto_peca t;
	const char *prm[6];
	columns(p, &t, prm);
	return pg_query_one(self, &insert_sql, prm, row_to_peca, p);
}

static int update(void *self, struct peca *p)
{
	struct texto_peca t;
	const char *prm[7] = {p->uuid.str};
	columns(p, &t, prm + 1);
	return pg_query_one(self, &update_sql, prm, row_to_peca, p);
}

static int list(void *self, const struct peca_filtro *f, const struct pagina *page,
                struct peca *out, size_t *n, long *total)
{
	char like[512];
	const char *nome = pg_like_escape(f->nome_parte, like, sizeof like);
	const char *abaixo = f->abaixo_do_minimo < 0 ? NULL : pg_bool_text(f->abaixo_do_minimo);
	const char *tipo = f->tipo < 0 ? NULL : tipo_peca_nome((enum tipo_peca)f->tipo);
	const char *filtros[] = {abaixo, tipo, nome};
	return pg_query_page(self, &list_sql, &count_sql, filtros, 3, page, row_to_peca, out,
	                     sizeof *out, n, total);
}

static const struct peca_repo_ops ops = {
    .find_by_uuid = find_by_uuid,
    .insert = insert,
    .update = update,
    .list = list,
};

void pg_peca_repo_init(struct peca_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
