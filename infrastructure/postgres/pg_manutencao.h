/*
 * Retention (infrastructure layer): what `oficina manutencao` deletes. Each delete runs in
 * batches of its own short transactions, so a large backlog never holds locks for long nor
 * bloats one transaction.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_MANUTENCAO_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_MANUTENCAO_H

#include "infrastructure/postgres/pg_session.h"

struct manutencao_resultado {
	long eventos;               /* published events older than the retention */
	long mensagens_processadas; /* the notifier's idempotency records as old */
	long idempotency_keys;      /* expired Idempotency-Key answers */
	long login_tentativas;      /* customers' login counts whose window has ended */
};

/*
 * Deletes what is past its retention (dias for events and processed messages; the login counts
 * as soon as their window has ended: such a row means nothing any more). 0 or APP_E*.
 */
int pg_manutencao_executar(struct pg_session *s, int dias, struct manutencao_resultado *out);

#endif
