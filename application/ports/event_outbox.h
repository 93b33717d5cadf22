/*
 * Port: the transactional outbox of business events (application layer, SPEC §6). An event is
 * appended inside the transaction of the change it describes; the adapter writes it to the
 * eventos table and logs it as one JSON line once the transaction commits.
 */
#ifndef OFICINA_APPLICATION_PORTS_EVENT_OUTBOX_H
#define OFICINA_APPLICATION_PORTS_EVENT_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#define EVENTO_CAMPOS_MAX 12

/* One field of an event's data: a string, or a number when is_number is set. */
struct evento_campo {
	const char *chave;
	const char *valor; /* text of the value; NULL is JSON null */
	bool is_number;    /* valor is a JSON number literal */
};

struct evento {
	const char *tipo;           /* e.g. "cliente.criado" */
	const char *agregado_uuid;  /* the entity the event is about */
	const char *correlation_id; /* of the request that caused it, or NULL */
	size_t n;                   /* campos used */
	struct evento_campo campos[EVENTO_CAMPOS_MAX];
};

struct event_outbox_ops {
	/* Appends ev to the current transaction. 0, APP_EUNAVAILABLE, APP_EINTERNAL. */
	int (*append)(void *self, const struct evento *ev);
};

struct event_outbox {
	const struct event_outbox_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int event_outbox_append(const struct event_outbox *port, const struct evento *ev)
{
	return port->ops->append(port->self, ev);
}

#endif
