/* In-memory transactional outbox for unit tests (tests/fakes). */
#include "tests/fakes/mem_event_outbox.h"

#include <stdlib.h>
#include <string.h>

static void evento_free(struct mem_evento *e)
{
	free(e->tipo);
	free(e->agregado_uuid);
	free(e->correlation_id);
	for (size_t i = 0; i < e->n; i++) {
		free(e->campos[i].chave);
		free(e->campos[i].valor);
	}
	memset(e, 0, sizeof *e);
}

/* Drops the events from index keep on. */
static void truncate_to(struct mem_event_outbox *o, size_t keep)
{
	while (o->n > keep)
		evento_free(&o->itens[--o->n]);
}

/* Events are only ever appended, so a snapshot is just the count. */
static int snapshot(void *self)
{
	struct mem_event_outbox *o = self;

	o->snap_n = o->n;
	o->has_snap = true;
	return 0;
}

static void restore(void *self)
{
	struct mem_event_outbox *o = self;

	if (o->has_snap)
		truncate_to(o, o->snap_n);
	o->has_snap = false;
}

static void release(void *self)
{
	struct mem_event_outbox *o = self;

	o->has_snap = false;
}

void mem_event_outbox_init(struct mem_event_outbox *o, struct mem_transaction *tx)
{
	memset(o, 0, sizeof *o);
	o->tx = tx;
	if (tx) {
		struct mem_tx_member member = {snapshot, restore, release, o};
		mem_transaction_enlist(tx, &member);
	}
}

void mem_event_outbox_cleanup(struct mem_event_outbox *o)
{
	if (!o)
		return;
	truncate_to(o, 0);
	free(o->itens);
	o->itens = NULL;
	o->cap = 0;
	o->has_snap = false;
}

/* strdup that keeps NULL; *ok is cleared when a copy could not be made. */
static char *dup_or_null(const char *s, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*ok = false;
	return d;
}

static int append(void *self, const struct evento *ev)
{
	struct mem_event_outbox *o = self;
	struct mem_evento e = {0};
	bool ok = true;
	int rc;

	o->calls++;
	if ((rc = fake_fault_hit(&o->fault)) != 0)
		return rc;
	if (o->tx && !o->tx->open)
		o->writes_outside_tx++;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		struct mem_evento *itens = realloc(o->itens, cap * sizeof *itens);
		if (!itens)
			return APP_EINTERNAL;
		o->itens = itens;
		o->cap = cap;
	}
	e.tipo = dup_or_null(ev->tipo, &ok);
	e.agregado_uuid = dup_or_null(ev->agregado_uuid, &ok);
	e.correlation_id = dup_or_null(ev->correlation_id, &ok);
	for (size_t i = 0; i < ev->n && i < EVENTO_CAMPOS_MAX; i++) {
		e.campos[i].chave = dup_or_null(ev->campos[i].chave, &ok);
		e.campos[i].valor = dup_or_null(ev->campos[i].valor, &ok);
		e.campos[i].is_number = ev->campos[i].is_number;
		e.n = i + 1;
	}
	if (!ok) {
		evento_free(&e);
		return APP_EINTERNAL;
	}
	o->itens[o->n++] = e;
	return 0;
}

static const struct event_outbox_ops ops = {
    .append = append,
};

void mem_event_outbox_port(struct mem_event_outbox *o, struct event_outbox *port)
{
	port->ops = &ops;
	port->self = o;
}

static bool do_tipo(const struct mem_evento *e, const char *tipo)
{
	return !tipo || (e->tipo && strcmp(e->tipo, tipo) == 0);
}

size_t mem_event_outbox_count(const struct mem_event_outbox *o, const char *tipo)
{
	size_t count = 0;

	for (size_t i = 0; i < o->n; i++)
		if (do_tipo(&o->itens[i], tipo))
			count++;
	return count;
}

const struct mem_evento *mem_event_outbox_last(const struct mem_event_outbox *o, const char *tipo)
{
	for (size_t i = o->n; i-- > 0;)
		if (do_tipo(&o->itens[i], tipo))
			return &o->itens[i];
	return NULL;
}

const struct mem_evento_campo *mem_evento_campo(const struct mem_evento *ev, const char *chave)
{
	for (size_t i = 0; i < ev->n; i++)
		if (ev->campos[i].chave && strcmp(ev->campos[i].chave, chave) == 0)
			return &ev->campos[i];
	return NULL;
}
