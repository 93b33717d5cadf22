/*
 * The notifier's side of PostgreSQL (infrastructure layer): the record of handled messages
 * (idempotency: a message delivered twice is handled once) and what an e-mail about an order
 * needs that its event does not carry (the customer's address: personal data stays out of the
 * broker; the vehicle and the items of the budget).
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_NOTIFICACOES_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_NOTIFICACOES_H

#include <stdbool.h>

#include "infrastructure/postgres/pg_session.h"

/*
 * In the open transaction: records message_id as handled by consumidor. *nova is false when it
 * was already (then do nothing). Two deliveries at once: the second waits for the first's
 * transaction, then sees it. 0 or an APP_E* code.
 */
int pg_notificacao_registrar(struct pg_session *s, const char *consumidor, const char *message_id,
                             bool *nova);

/* Sets the outcome of the message recorded in this transaction. */
int pg_notificacao_resultado(struct pg_session *s, const char *consumidor, const char *message_id,
                             const char *resultado);

/*
 * The order's customer, vehicle and budget items. *out is a one-row result (PQclear it):
 * columns NOTIF_COL_*; APP_ENOTFOUND for an unknown order.
 */
enum {
	NOTIF_COL_NOME = 0,
	NOTIF_COL_EMAIL,   /* "" when the customer has none */
	NOTIF_COL_VEICULO, /* "ABC1D23 — Fiat Uno 2015" */
	NOTIF_COL_ITENS,   /* JSON array of {nome, quantidade, valor_centavos} (unit value) */
	NOTIF_COL_TOTAL_CENTAVOS,
};
int pg_notificacao_dados(struct pg_session *s, const char *ordem_uuid, PGresult **out);

#endif
