/* Staff users in PostgreSQL: the usuario_repo port (infrastructure layer). */
#include <stdio.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_repos.h"

#define COLS                                                                                       \
	"uuid, nome, email, senha_hash, perfil, ativo, " PG_RFC3339("criado_em") ", " PG_RFC3339(  \
	    "atualizado_em")

static const struct pg_statement find_sql = {"usuario_find",
                                             "SELECT " COLS " FROM usuarios WHERE uuid = $1", 1};
static const struct pg_statement find_lock_sql = {
    "usuario_find_lock", "SELECT " COLS " FROM usuarios WHERE uuid = $1 FOR UPDATE", 1};
static const struct pg_statement find_email_sql = {
    "usuario_find_email", "SELECT " COLS " FROM usuarios WHERE lower(email) = lower($1)", 1};
static const struct pg_statement insert_sql = {
    "usuario_insert",
    "INSERT INTO usuarios (nome, email, senha_hash, perfil, ativo) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING " COLS,
    5};
static const struct pg_statement update_sql = {
    "usuario_update",
    "UPDATE usuarios SET nome = $2, email = $3, senha_hash = $4, perfil = $5, ativo = $6, "
    "atualizado_em = now() WHERE uuid = $1 RETURNING " COLS,
    6};
static const struct pg_statement list_sql = {"usuario_list",
                                             "SELECT " COLS
                                             ", (SELECT count(*) FROM usuarios) FROM usuarios "
                                             "ORDER BY criado_em, uuid LIMIT $1 OFFSET $2",
                                             2};
static const struct pg_statement count_sql = {"usuario_count", "SELECT count(*) FROM usuarios", 0};

static void row_to_usuario(const PGresult *r, int row, struct usuario *u)
{
	char perfil[16];
	pg_copy(u->uuid.str, sizeof u->uuid.str, r, row, 0);
	pg_copy(u->nome, sizeof u->nome, r, row, 1);
	pg_copy(u->email, sizeof u->email, r, row, 2);
	pg_copy(u->senha_hash, sizeof u->senha_hash, r, row, 3);
	pg_copy(perfil, sizeof perfil, r, row, 4);
	u->perfil = perfil_parse(perfil);
	u->ativo = pg_bool(r, row, 5);
	pg_copy(u->criado_em, sizeof u->criado_em, r, row, 6);
	pg_copy(u->atualizado_em, sizeof u->atualizado_em, r, row, 7);
}

static int one_row(struct pg_session *s, const struct pg_statement *st, const char *const *p,
                   struct usuario *u)
{
	PGresult *r;
	int rc = pg_session_exec(s, st, p, &r);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 1)
		row_to_usuario(r, 0, u);
	else
		rc = APP_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct usuario *out)
{
	const char *p[] = {id->str};
	return one_row(self, for_update ? &find_lock_sql : &find_sql, p, out);
}

static int find_by_email(void *self, const char *email, struct usuario *out)
{
	const char *p[] = {email};
	return one_row(self, &find_email_sql, p, out);
}

static int insert(void *self, struct usuario *u)
{
	const char *p[] = {u->nome, u->email, u->senha_hash, perfil_nome(u->perfil),
	                   u->ativo ? "true" : "false"};
	return one_row(self, &insert_sql, p, u);
}

static int update(void *self, struct usuario *u)
{
	const char *p[] = {u->uuid.str,
	                   u->nome,
	                   u->email,
	                   u->senha_hash,
	                   perfil_nome(u->perfil),
	                   u->ativo ? "true" : "false"};
	return one_row(self, &update_sql, p, u);
}

static int list(void *self, const struct pagina *page, struct usuario *out, size_t *n, long *total)
{
	char limit[24], offset[24];
	PGresult *r;
	int rc;

	snprintf(limit, sizeof limit, "%ld", page->por_pagina);
	snprintf(offset, sizeof offset, "%ld", pagina_offset(page));
	const char *p[] = {limit, offset};

	*n = 0;
	*total = 0;
	if ((rc = pg_session_exec(self, &list_sql, p, &r)) != 0)
		return rc;
	for (int i = 0; i < PQntuples(r) && i < page->por_pagina; i++)
		row_to_usuario(r, i, &out[(*n)++]);
	*total = *n ? pg_long(r, 0, 8) : 0;
	PQclear(r);
	if (*n == 0 && pagina_offset(page) > 0) {
		if ((rc = pg_session_exec(self, &count_sql, NULL, &r)) != 0)
			return rc;
		*total = pg_long(r, 0, 0);
		PQclear(r);
	}
	return 0;
}

static const struct usuario_repo_ops ops = {
    .find_by_uuid = find_by_uuid,
    .find_by_email = find_by_email,
    .insert = insert,
    .update = update,
    .list = list,
};

void pg_usuario_repo_init(struct usuario_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
