/* Customers in PostgreSQL: the cliente_repo port (infrastructure layer). */
#include <stdio.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_ordem_rows.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* SQL reads best one clause per line, and clang-format cannot keep it so. */
/* clang-format off */
#define COLS                                                                   \
	"uuid, nome, documento, tipo_documento, email, telefone, ativo, "      \
	PG_RFC3339("criado_em") ", " PG_RFC3339("atualizado_em")
/* clang-format on */

static const struct pg_statement find_sql = {"cliente_find",
                                             "SELECT " COLS " FROM clientes WHERE uuid = $1", 1};
static const struct pg_statement find_lock_sql = {
    "cliente_find_lock", "SELECT " COLS " FROM clientes WHERE uuid = $1 FOR UPDATE", 1};
static const struct pg_statement find_documento_sql = {
    "cliente_find_documento", "SELECT " COLS " FROM clientes WHERE documento = $1", 1};
static const struct pg_statement insert_sql = {
    "cliente_insert",
    "INSERT INTO clientes (nome, documento, tipo_documento, email, telefone, ativo) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " COLS,
    6};
static const struct pg_statement update_sql = {
    "cliente_update",
    "UPDATE clientes SET nome = $2, documento = $3, tipo_documento = $4, email = $5, "
    "telefone = $6, ativo = $7, atualizado_em = now() WHERE uuid = $1 RETURNING " COLS,
    7};
#define FILTRO                                                                                     \
	"WHERE ($1::text IS NULL OR documento = $1) "                                              \
	"AND ($2::text IS NULL OR lower(nome) LIKE '%' || lower($2) || '%') "
/*
 * The total comes from one count over the same filter (an InitPlan run once), so only the rows of
 * the page are formatted; a window count would format every match. An empty page past the end
 * needs count_sql for the total.
 */
static const struct pg_statement list_sql = {
    "cliente_list",
    "SELECT " COLS ", (SELECT count(*) FROM clientes " FILTRO ") FROM clientes " FILTRO
    "ORDER BY criado_em, uuid LIMIT $3 OFFSET $4",
    4};
static const struct pg_statement count_sql = {"cliente_count",
                                              "SELECT count(*) FROM clientes " FILTRO, 2};

static const struct pg_statement ordem_aberta_sql = {
    "cliente_ordem_aberta",
    "SELECT EXISTS (SELECT 1 FROM ordens WHERE cliente_uuid = $1 AND " PG_ORDEM_EM_ABERTO ")", 1};

static void row_to_cliente(const PGresult *r, int row, void *out)
{
	struct cliente *c = out;
	char tipo[8];
	pg_copy(c->uuid.str, sizeof c->uuid.str, r, row, 0);
	pg_copy(c->nome, sizeof c->nome, r, row, 1);
	pg_copy(c->documento, sizeof c->documento, r, row, 2);
	pg_copy(tipo, sizeof tipo, r, row, 3);
	c->tipo_documento = tipo[1] == 'P' ? TIPO_DOCUMENTO_CPF : TIPO_DOCUMENTO_CNPJ;
	pg_copy(c->email, sizeof c->email, r, row, 4);
	pg_copy(c->telefone, sizeof c->telefone, r, row, 5);
	c->ativo = pg_bool(r, row, 6);
	pg_copy(c->criado_em, sizeof c->criado_em, r, row, 7);
	pg_copy(c->atualizado_em, sizeof c->atualizado_em, r, row, 8);
}

/* Runs a statement expected to return at most one row into *c. */
static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct cliente *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, for_update ? &find_lock_sql : &find_sql, p, row_to_cliente, out);
}

static int find_by_documento(void *self, const char *documento, struct cliente *out)
{
	const char *p[] = {documento};
	return pg_query_one(self, &find_documento_sql, p, row_to_cliente, out);
}

static int has_ordem_aberta(void *self, const struct uuid *id, bool *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, &ordem_aberta_sql, p, pg_row_bool, out);
}

/* The customer's columns as insert_sql's $1..$6 (update_sql's $2..$7). */
static void columns(const struct cliente *c, const char *p[6])
{
	p[0] = c->nome;
	p[1] = c->documento;
	p[2] = tipo_documento_nome(c->tipo_documento);
	p[3] = pg_text_or_null(c->email);
	p[4] = pg_text_or_null(c->telefone);
	p[5] = pg_bool_text(c->ativo);
}

static int insert(void *self, struct cliente *c)
{
	const char *p[6];
	columns(c, p);
	return pg_query_one(self, &insert_sql, p, row_to_cliente, c);
}

static int update(void *self, struct cliente *c)
{
	const char *p[7] = {c->uuid.str};
	columns(c, p + 1);
	return pg_query_one(self, &update_sql, p, row_to_cliente, c);
}

static int list(void *self, const struct cliente_filtro *f, const struct pagina *page,
                struct cliente *out, size_t *n, long *total)
{
	char like[512];
	const char *nome = pg_like_escape(f->nome_parte, like, sizeof like);
	const char *filtros[] = {f->documento, nome};
	return pg_query_page(self, &list_sql, &count_sql, filtros, 2, page, row_to_cliente, out,
	                     sizeof *out, n, total);
}

/* The current whole second, as tokens' iat: a token issued in that very second survives. */
static const struct pg_statement encerrar_sql = {
    "cliente_encerrar_sessoes",
    "UPDATE clientes SET sessoes_desde = date_trunc('second', now()) WHERE uuid = $1", 1};

static int encerrar_sessoes(void *self, const struct uuid *id)
{
	const char *p[] = {id->str};
	return pg_query_change_one(self, &encerrar_sql, p);
}

static const struct cliente_repo_ops ops = {
    .encerrar_sessoes = encerrar_sessoes,
    .has_ordem_aberta = has_ordem_aberta,
    .find_by_uuid = find_by_uuid,
    .find_by_documento = find_by_documento,
    .insert = insert,
    .update = update,
    .list = list,
};

void pg_cliente_repo_init(struct cliente_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
