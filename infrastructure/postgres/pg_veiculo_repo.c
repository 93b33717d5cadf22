/* Vehicles in PostgreSQL: the veiculo_repo port (infrastructure layer). */
#include <stdio.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_ordem_rows.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* SQL reads best one clause per line, and clang-format cannot keep it so. */
/* clang-format off */
#define COLS                                                                   \
	"uuid, cliente_uuid, placa, marca, modelo, ano, cor, ativo, "          \
	PG_RFC3339("criado_em") ", " PG_RFC3339("atualizado_em")
/* clang-format on */
#define FILTER "WHERE ($1::text IS NULL OR placa = $1) AND ($2::uuid IS NULL OR cliente_uuid = $2) "

static const struct pg_statement find_sql = {"veiculo_find",
                                             "SELECT " COLS " FROM veiculos WHERE uuid = $1", 1};
static const struct pg_statement find_lock_sql = {
    "veiculo_find_lock", "SELECT " COLS " FROM veiculos WHERE uuid = $1 FOR UPDATE", 1};
static const struct pg_statement insert_sql = {
    "veiculo_insert",
    "INSERT INTO veiculos (cliente_uuid, placa, marca, modelo, ano, cor, ativo) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " COLS,
    7};
static const struct pg_statement update_sql = {
    "veiculo_update",
    "UPDATE veiculos SET cliente_uuid = $2, placa = $3, marca = $4, modelo = $5, ano = $6, "
    "cor = $7, ativo = $8, atualizado_em = now() WHERE uuid = $1 RETURNING " COLS,
    8};
static const struct pg_statement list_sql = {
    "veiculo_list",
    "SELECT " COLS ", (SELECT count(*) FROM veiculos " FILTER ") FROM veiculos " FILTER
    "ORDER BY criado_em, uuid LIMIT $3 OFFSET $4",
    4};
static const struct pg_statement ordem_aberta_sql = {
    "veiculo_ordem_aberta",
    "SELECT EXISTS (SELECT 1 FROM ordens WHERE veiculo_uuid = $1 AND " PG_ORDEM_EM_ABERTO ")", 1};
static const struct pg_statement count_sql = {"veiculo_count",
                                              "SELECT count(*) FROM veiculos " FILTER, 2};

static void row_to_veiculo(const PGresult *r, int row, void *out)
{
	struct veiculo *v = out;
	pg_copy(v->uuid.str, sizeof v->uuid.str, r, row, 0);
	pg_copy(v->cliente_uuid.str, sizeof v->cliente_uuid.str, r, row, 1);
	pg_copy(v->placa, sizeof v->placa, r, row, 2);
	pg_copy(v->marca, sizeof v->marca, r, row, 3);
	pg_copy(v->modelo, sizeof v->modelo, r, row, 4);
	v->ano = (int)pg_long(r, row, 5);
	pg_copy(v->cor, sizeof v->cor, r, row, 6);
	v->ativo = pg_bool(r, row, 7);
	pg_copy(v->criado_em, sizeof v->criado_em, r, row, 8);
	pg_copy(v->atualizado_em, sizeof v->atualizado_em, r, row, 9);
}

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct veiculo *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, for_update ? &find_lock_sql : &find_sql, p, row_to_veiculo, out);
}

static int has_ordem_aberta(void *self, const struct uuid *id, bool *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, &ordem_aberta_sql, p, pg_row_bool, out);
}

/* The vehicle's columns as insert_sql's $1..$7 (update_sql's $2..$8); ano is their storage. */
static void columns(const struct veiculo *v, char ano[16], const char *p[7])
{
	snprintf(ano, 16, "%d", v->ano);
	p[0] = v->cliente_uuid.str;
	p[1] = v->placa;
	p[2] = v->marca;
	p[3] = v->modelo;
	p[4] = ano;
	p[5] = pg_text_or_null(v->cor);
	p[6] = pg_bool_text(v->ativo);
}

static int insert(void *self, struct veiculo *v)
{
	char ano[16];
	const char *p[7];
	columns(v, ano, p);
	return pg_query_one(self, &insert_sql, p, row_to_veiculo, v);
}

static int update(void *self, struct veiculo *v)
{
	char ano[16];
	const char *p[8] = {v->uuid.str};
	columns(v, ano, p + 1);
	return pg_query_one(self, &update_sql, p, row_to_veiculo, v);
}

static int list(void *self, const struct veiculo_filtro *f, const struct pagina *page,
                struct veiculo *out, size_t *n, long *total)
{
	const char *filtros[] = {f->placa, f->cliente_uuid ? f->cliente_uuid->str : NULL};
	return pg_query_page(self, &list_sql, &count_sql, filtros, 2, page, row_to_veiculo, out,
	                     sizeof *out, n, total);
}

static const struct veiculo_repo_ops ops = {
    .find_by_uuid = find_by_uuid,
    .insert = insert,
    .update = update,
    .has_ordem_aberta = has_ordem_aberta,
    .list = list,
};

void pg_veiculo_repo_init(struct veiculo_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
