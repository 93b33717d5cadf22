/*
 * The customers' login attempts in PostgreSQL: the login_tentativas port (infrastructure layer).
 * Each call is one statement outside any transaction, so that an attempt counts at once for every
 * pod and is not undone by anything that fails after it. The CPF travels as a bound parameter and
 * is stored as its SHA-256 (sha256(), PostgreSQL 11+), never as digits.
 */
#include <stdio.h>
#include <string.h>

#include "domain/errors.h"
#include "infrastructure/postgres/pg_query.h"
#include "infrastructure/postgres/pg_repos.h"

/* A CPF's key in login_cliente_tentativas. */
#define CPF_HASH "sha256(convert_to($1, 'UTF8'))"

/*
 * One statement counts an attempt: a new CPF gets a window of $2 seconds; a CPF whose window has
 * ended starts a new one; otherwise the count goes up (capped far above any limit, so that a
 * flood on a locked CPF never overflows it). Concurrent attempts serialise on the primary key,
 * each getting a count of its own. The seconds left are rounded up, so a window still open never
 * answers 0.
 */
/* clang-format off */
static const struct pg_statement record_sql = {
    "login_tentativas_record",
    "INSERT INTO login_cliente_tentativas AS t (cpf_hash, tentativas, janela_fim) "
    "VALUES (" CPF_HASH ", 1, now() + $2::int * interval '1 second') "
    "ON CONFLICT (cpf_hash) DO UPDATE SET "
    "tentativas = CASE WHEN t.janela_fim <= now() THEN 1 "
    "                  ELSE least(t.tentativas + 1, 1000000000) END, "
    "janela_fim = CASE WHEN t.janela_fim <= now() THEN EXCLUDED.janela_fim "
    "                  ELSE t.janela_fim END "
    "RETURNING tentativas, greatest(1, ceil(extract(epoch FROM janela_fim - now())))::bigint",
    2};
static const struct pg_statement clear_sql = {
    "login_tentativas_clear",
    "DELETE FROM login_cliente_tentativas WHERE cpf_hash = " CPF_HASH, 1};
/* clang-format on */

static void row_to_tentativa(const PGresult *r, int row, void *out)
{
	struct login_tentativa *t = out;
	t->tentativas = pg_long(r, row, 0);
	t->restante_s = pg_long(r, row, 1);
}

static int record(void *self, const char *cpf, long janela_s, struct login_tentativa *out)
{
	char janela[24];
	const char *p[] = {cpf, janela};
	int rc;

	snprintf(janela, sizeof janela, "%ld", janela_s);
	rc = pg_query_one(self, &record_sql, p, row_to_tentativa, out);
	if (rc == APP_ENOTFOUND) /* an upsert with RETURNING answers its row */
		rc = APP_EINTERNAL;
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

static int clear(void *self, const char *cpf)
{
	const char *p[] = {cpf};
	return pg_query_run(self, &clear_sql, p);
}

static const struct login_tentativas_ops ops = {
    .record = record,
    .clear = clear,
};

void pg_login_tentativas_init(struct login_tentativas *port, struct pg_session *s)
{
	port->ops = &ops;
	port->self = s;
}
