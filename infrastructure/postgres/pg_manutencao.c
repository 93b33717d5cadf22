/* Retention (infrastructure layer; pg_manutencao.h). */
#include "infrastructure/postgres/pg_manutencao.h"

#include <stdio.h>
#include <stdlib.h>

#include "application/ports/idempotency_store.h"

#define LOTE "5000"

/* Unpublished events are never deleted, however old: the relay still owes them to the broker. */
/* clang-format off */
static const struct pg_statement eventos_sql = {
    "manutencao_eventos",
    "DELETE FROM eventos WHERE id IN (SELECT id FROM eventos WHERE publicado_em IS NOT NULL"
    " AND publicado_em < now() - make_interval(days => $1::int) LIMIT " LOTE ")", 1};
static const struct pg_statement mensagens_sql = {
    "manutencao_mensagens",
    "DELETE FROM mensagens_processadas WHERE (consumidor, message_id) IN (SELECT consumidor,"
    " message_id FROM mensagens_processadas WHERE processado_em < now() -"
    " make_interval(days => $1::int) LIMIT " LOTE ")", 1};
static const struct pg_statement idempotency_sql = {
    "manutencao_idempotency",
    "DELETE FROM idempotency_keys WHERE (escopo, chave) IN (SELECT escopo, chave"
    " FROM idempotency_keys WHERE criado_em < now() - interval '"
    PG_STR(IDEMPOTENCY_TTL_SECONDS) " seconds' LIMIT " LOTE ")", 0};
/* A count whose window has ended is one the next attempt would start again: nothing is lost. */
static const struct pg_statement login_tentativas_sql = {
    "manutencao_login_tentativas",
    "DELETE FROM login_cliente_tentativas WHERE cpf_hash IN (SELECT cpf_hash"
    " FROM login_cliente_tentativas WHERE janela_fim < now() LIMIT " LOTE ")", 0};
/* clang-format on */

/* Runs st until it deletes nothing; adds the rows deleted to *total. */
static int em_lotes(struct pg_session *s, const struct pg_statement *st, const char *const *p,
                    long *total)
{
	for (;;) {
		PGresult *r;
		int rc = pg_session_exec(s, st, p, &r);
		if (rc != 0)
			return rc;
		long n = strtol(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		*total += n;
		if (n == 0)
			return 0;
	}
}

int pg_manutencao_executar(struct pg_session *s, int dias, struct manutencao_resultado *out)
{
	char d[16];
	const char *p[] = {d};
	int rc;

	snprintf(d, sizeof d, "%d", dias);
	*out = (struct manutencao_resultado){0};
	if ((rc = em_lotes(s, &eventos_sql, p, &out->eventos)) != 0 ||
	    (rc = em_lotes(s, &mensagens_sql, p, &out->mensagens_processadas)) != 0)
		return rc;
	if ((rc = em_lotes(s, &idempotency_sql, NULL, &out->idempotency_keys)) != 0)
		return rc;
	return em_lotes(s, &login_tentativas_sql, NULL, &out->login_tentativas);
}
