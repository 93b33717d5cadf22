/* The notifier's side of PostgreSQL (infrastructure layer; pg_notificacoes.h). */
#include "infrastructure/postgres/pg_notificacoes.h"
#include "infrastructure/postgres/pg_query.h"

#include "domain/errors.h"

/* clang-format off */
static const struct pg_statement registrar_sql = {
    "notificacao_registrar",
    "INSERT INTO mensagens_processadas (consumidor, message_id, resultado)"
    " VALUES ($1, $2, 'processando') ON CONFLICT DO NOTHING", 2};
static const struct pg_statement resultado_sql = {
    "notificacao_resultado",
    "UPDATE mensagens_processadas SET resultado = $3 WHERE consumidor = $1 AND message_id = $2",
    3};
static const struct pg_statement dados_sql = {
    "notificacao_dados",
    "SELECT c.nome, coalesce(c.email, ''),"
    " v.placa || ' — ' || v.marca || ' ' || v.modelo || ' ' || v.ano,"
    " (SELECT coalesce(json_agg(json_build_object('nome', i.nome, 'quantidade', i.quantidade,"
    "     'valor_centavos', i.valor_unitario_centavos) ORDER BY i.tipo, i.criado_em), '[]')"
    "   FROM (SELECT 1 AS tipo, nome, quantidade, valor_unitario_centavos, criado_em"
    "           FROM ordem_servicos WHERE ordem_uuid = o.uuid"
    "         UNION ALL SELECT 2, nome, quantidade, valor_unitario_centavos, criado_em"
    "           FROM ordem_pecas WHERE ordem_uuid = o.uuid) i)::text,"
    " coalesce(o.valor_total_centavos, 0)"
    " FROM ordens o JOIN clientes c ON c.uuid = o.cliente_uuid"
    " JOIN veiculos v ON v.uuid = o.veiculo_uuid WHERE o.uuid = $1", 1};
/* clang-format on */

int pg_notificacao_registrar(struct pg_session *s, const char *consumidor, const char *message_id,
                             bool *nova)
{
	const char *p[] = {consumidor, message_id};
	int rc = pg_query_change_one(s, &registrar_sql, p); /* none when it was already there */

	*nova = rc == 0;
	return rc == APP_ENOTFOUND ? 0 : rc;
}

int pg_notificacao_resultado(struct pg_session *s, const char *consumidor, const char *message_id,
                             const char *resultado)
{
	const char *p[] = {consumidor, message_id, resultado};
	return pg_query_run(s, &resultado_sql, p);
}

int pg_notificacao_dados(struct pg_session *s, const char *ordem_uuid, PGresult **out)
{
	const char *p[] = {ordem_uuid};
	int rc = pg_session_exec(s, &dados_sql, p, out);

	if (rc == 0 && PQntuples(*out) != 1) {
		PQclear(*out);
		*out = NULL;
		return APP_ENOTFOUND;
	}
	return rc;
}
