/* The service catalogue in PostgreSQL: the servico_repo port (infrastructure layer). */
#include <inttypes.h>
#include <stdio.h>

#include "application/ports/servico_repo.h"
#include "domain/errors.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* SQL reads best one clause per line, and clang-format cannot keep it so. */
/* clang-format off */
#define COLS                                                                   \
	"uuid, nome, descricao, valor_centavos, tempo_estimado_minutos, ativo, " \
	PG_RFC3339("criado_em") ", " PG_RFC3339("atualizado_em")
/* clang-format on */

static const struct pg_statement find_sql = {"servico_find",
                                             "SELECT " COLS " FROM servicos WHERE uuid = $1", 1};
static const struct pg_statement find_lock_sql = {
    "servico_find_lock", "SELECT " COLS " FROM servicos WHERE uuid = $1 FOR UPDATE", 1};
static const struct pg_statement insert_sql = {
    "servico_insert",
    "INSERT INTO servicos (nome, descricao, valor_centavos, tempo_estimado_minutos, ativo) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING " COLS,
    5};
static const struct pg_statement update_sql = {
    "servico_update",
    "UPDATE servicos SET nome = $2, descricao = $3, valor_centavos = $4, "
    "tempo_estimado_minutos = $5, ativo = $6, atualizado_em = now() WHERE uuid = $1 "
    "RETURNING " COLS,
    6};
#define FILTRO "WHERE ($1::text IS NULL OR lower(nome) LIKE '%' || lower($1) || '%') "
/*
 * The total comes from one count over the same filter (an InitPlan run once), so only the rows of
 * the page are formatted; a window count would format every match. An empty page past the end
 * needs count_sql for the total.
 */
static const struct pg_statement list_sql = {
    "servico_list",
    "SELECT " COLS ", (SELECT count(*) FROM servicos " FILTRO ") FROM servicos " FILTRO
    "ORDER BY criado_em, uuid LIMIT $2 OFFSET $3",
    3};
static const struct pg_statement count_sql = {"servico_count",
                                              "SELECT count(*) FROM servicos " FILTRO, 1};

static void row_to_servico(const PGresult *r, int row, void *out)
{
	struct servico *s = out;
	pg_copy(s->uuid.str, sizeof s->uuid.str, r, row, 0);
	pg_copy(s->nome, sizeof s->nome, r, row, 1);
	pg_copy(s->descricao, sizeof s->descricao, r, row, 2);
	s->valor_centavos = (int64_t)pg_long(r, row, 3);
	s->tempo_estimado_minutos = (int)pg_long(r, row, 4); /* 0 for NULL */
	s->ativo = pg_bool(r, row, 5);
	pg_copy(s->criado_em, sizeof s->criado_em, r, row, 6);
	pg_copy(s->atualizado_em, sizeof s->atualizado_em, r, row, 7);
}

/* Runs a statement expected to return at most one row into *s. */
static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct servico *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, for_update ? &find_lock_sql : &find_sql, p, row_to_servico, out);
}

/* The text of the service's numbers, which its parameters point into. */
struct texto_servico {
	char valor[24];
	char tempo[16];
};

/* The service's columns as insert_sql's $1..$5 (update_sql's $2..$6). */
static void columns(const struct servico *s, struct texto_servico *t, const char *p[5])
{
	snprintf(t->valor, sizeof t->valor, "%" PRId64, s->valor_centavos);
	snprintf(t->tempo, sizeof t->tempo, "%d", s->tempo_estimado_minutos);
	p[0] = s->nome;
	p[1] = pg_text_or_null(s->descricao);
	p[2] = t->valor;
	p[3] = s->tempo_estimado_minutos > 0 ? t->tempo : NULL;
	p[4] = pg_bool_text(s->ativo);
}

static int insert(void *self, struct servico *s)
{
	struct texto_servico t;
	const char *p[5];
	columns(s, &t, p);
	return pg_query_one(self, &insert_sql, p, row_to_servico, s);
}

static int update(void *self, struct servico *s)
{
	struct texto_servico t;
	const char *p[6] = {s->uuid.str};
	columns(s, &t, p + 1);
	return pg_query_one(self, &update_sql, p, row_to_servico, s);
}

static int list(void *self, const struct servico_filtro *f, const struct pagina *page,
                struct servico *out, size_t *n, long *total)
{
	char like[512];
	const char *nome = pg_like_escape(f->nome_parte, like, sizeof like);
	const char *filtros[] = {nome};
	return pg_query_page(self, &list_sql, &count_sql, filtros, 1, page, row_to_servico, out,
	                     sizeof *out, n, total);
}

static const struct servico_repo_ops ops = {
    .find_by_uuid = find_by_uuid,
    .insert = insert,
    .update = update,
    .list = list,
};

void pg_servico_repo_init(struct servico_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
