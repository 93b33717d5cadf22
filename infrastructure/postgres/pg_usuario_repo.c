/* Staff users in PostgreSQL: the usuario_repo port (infrastructure layer). */
#include <stdio.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* SQL reads best one clause per line, and clang-format cannot keep it so. */
/* clang-format off */
#define COLS                                                                   \
	"uuid, nome, email, senha_hash, perfil, ativo, "                       \
	PG_RFC3339("criado_em") ", " PG_RFC3339("atualizado_em")
/* clang-format on */

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
/* atualizado_em stays: only an edit of the user moves it, and a rehash at login is not one. */
static const struct pg_statement update_senha_hash_sql = {
    "usuario_update_senha_hash", "UPDATE usuarios SET senha_hash = $2 WHERE uuid = $1", 2};
static const struct pg_statement list_sql = {"usuario_list",
                                             "SELECT " COLS
                                             ", (SELECT count(*) FROM usuarios) FROM usuarios "
                                             "ORDER BY criado_em, uuid LIMIT $1 OFFSET $2",
                                             2};
static const struct pg_statement count_sql = {"usuario_count", "SELECT count(*) FROM usuarios", 0};
static const struct pg_statement lock_admins_sql = {
    "usuario_lock_admins",
    "SELECT count(*) FROM (SELECT 1 FROM usuarios WHERE perfil = 'admin' AND ativo "
    "ORDER BY uuid FOR UPDATE) AS admins",
    0};

static void row_to_usuario(const PGresult *r, int row, void *out)
{
	struct usuario *u = out;
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

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct usuario *out)
{
	const char *p[] = {id->str};
	return pg_query_one(self, for_update ? &find_lock_sql : &find_sql, p, row_to_usuario, out);
}

static int find_by_email(void *self, const char *email, struct usuario *out)
{
	const char *p[] = {email};
	return pg_query_one(self, &find_email_sql, p, row_to_usuario, out);
}

/* The user's columns as insert_sql's $1..$5 (update_sql's $2..$6). */
static void columns(const struct usuario *u, const char *p[5])
{
	p[0] = u->nome;
	p[1] = u->email;
	p[2] = u->senha_hash;
	p[3] = perfil_nome(u->perfil);
	p[4] = pg_bool_text(u->ativo);
}

static int insert(void *self, struct usuario *u)
{
	const char *p[5];
	columns(u, p);
	return pg_query_one(self, &insert_sql, p, row_to_usuario, u);
}

static int update(void *self, struct usuario *u)
{
	const char *p[6] = {u->uuid.str};
	columns(u, p + 1);
	return pg_query_one(self, &update_sql, p, row_to_usuario, u);
}

static int update_senha_hash(void *self, const struct uuid *id, const char *senha_hash)
{
	const char *p[] = {id->str, senha_hash};
	return pg_query_change_one(self, &update_senha_hash_sql, p);
}

static int list(void *self, const struct pagina *page, struct usuario *out, size_t *n, long *total)
{
	return pg_query_page(self, &list_sql, &count_sql, NULL, 0, page, row_to_usuario, out,
	                     sizeof *out, n, total);
}

static int lock_active_admins(void *self, long *count)
{
	return pg_query_one(self, &lock_admins_sql, NULL, pg_row_long, count);
}

/* The current whole second, as tokens' iat: a token issued in that very second survives. */
static const struct pg_statement encerrar_sql = {
    "usuario_encerrar_sessoes",
    "UPDATE usuarios SET sessoes_desde = date_trunc('second', now()) WHERE uuid = $1", 1};

static int encerrar_sessoes(void *self, const struct uuid *id)
{
	const char *p[] = {id->str};
	return pg_query_change_one(self, &encerrar_sql, p);
}

static const struct usuario_repo_ops ops = {
    .encerrar_sessoes = encerrar_sessoes,
    .find_by_uuid = find_by_uuid,
    .find_by_email = find_by_email,
    .insert = insert,
    .update = update,
    .update_senha_hash = update_senha_hash,
    .list = list,
    .lock_active_admins = lock_active_admins,
};

void pg_usuario_repo_init(struct usuario_repo *repo, struct pg_session *s)
{
	repo->ops = &ops;
	repo->self = s;
}
