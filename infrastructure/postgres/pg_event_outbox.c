/*
 * The transactional outbox in PostgreSQL (infrastructure layer): events are inserted in the
 * caller's transaction (pg_transaction.c) and logged as JSON lines only once it commits.
 */
#include <jansson.h>
#include <stdlib.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "infrastructure/log/log.h"
#include "infrastructure/postgres/pg_repos.h"

static const struct pg_statement insert_sql = {
    "evento_insert",
    "INSERT INTO eventos (tipo, agregado_uuid, dados, correlation_id) VALUES ($1, $2, $3, $4)", 4};

static json_t *evento_dados(const struct evento *ev)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < ev->n; i++) {
		const struct evento_campo *c = &ev->campos[i];
		json_t *v;
		if (!c->valor)
			v = json_null();
		else if (c->is_number)
			v = json_loads(c->valor, JSON_DECODE_ANY, NULL);
		else
			v = json_string(c->valor);
		json_object_set_new(o, c->chave, v ? v : json_null());
	}
	return o;
}

static int append(void *self, const struct evento *ev)
{
	struct pg_session *s = self;
	PGresult *r;
	int rc = APP_ENOMEM;
	json_t *dados = evento_dados(ev);
	char *texto = dados ? json_dumps(dados, JSON_COMPACT) : NULL;

	if (texto) {
		const char *p[] = {ev->tipo, ev->agregado_uuid, texto, ev->correlation_id};
		rc = pg_session_exec(s, &insert_sql, p, &r);
		if (rc == 0) {
			PQclear(r);
			pg_session_defer_log(s,
			                     log_event_line(ev->tipo, ev->correlation_id, dados));
		}
	}
	heap_free(texto);
	json_decref(dados);
	return rc;
}

static const struct event_outbox_ops outbox_ops = {.append = append};

void pg_event_outbox_init(struct event_outbox *outbox, struct pg_session *s)
{
	outbox->ops = &outbox_ops;
	outbox->self = s;
}
