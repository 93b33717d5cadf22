/*
 * In-memory transactional outbox (tests/fakes): the event_outbox port for unit tests, beside
 * infrastructure/postgres/pg_event_outbox.c. Each appended event is copied (every string
 * duplicated), so tests can inspect it after the command's locals are gone; events appended in a
 * transaction that is rolled back disappear, as rows of the eventos table would.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_EVENT_OUTBOX_H
#define OFICINA_TESTS_FAKES_MEM_EVENT_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/event_outbox.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_transaction.h"

/* A field of a recorded event; the strings are owned by the outbox. */
struct mem_evento_campo {
	char *chave;   /* field name */
	char *valor;   /* text of the value, or NULL for JSON null */
	int is_number; /* valor is a JSON number literal */
};

/* A recorded event; the strings are owned by the outbox. */
struct mem_evento {
	char *tipo;           /* e.g. "cliente.criado" */
	char *agregado_uuid;  /* or NULL */
	char *correlation_id; /* or NULL */
	size_t n;             /* campos used */
	struct mem_evento_campo campos[EVENTO_CAMPOS_MAX];
};

struct mem_event_outbox {
	struct mem_evento *itens;   /* n events, oldest first, malloc'd */
	size_t n;                   /* events recorded */
	size_t cap;                 /* events allocated */
	size_t snap_n;              /* events at the start of the open transaction */
	bool has_snap;              /* a transaction is open */
	struct mem_transaction *tx; /* the transaction it takes part in, or NULL */
	struct fake_fault fault;    /* arms a failing append */
	long calls;                 /* calls of append */
	long writes_outside_tx;     /* appends while tx is set but not open */
};

/* Starts an empty outbox that enlists in tx (may be NULL). Release with mem_event_outbox_cleanup.
 */
void mem_event_outbox_init(struct mem_event_outbox *o, struct mem_transaction *tx);

/* Frees every recorded event. Accepts NULL. */
void mem_event_outbox_cleanup(struct mem_event_outbox *o);

/* Points port at o; o must outlive the port. append answers APP_EINTERNAL when out of memory. */
void mem_event_outbox_port(struct mem_event_outbox *o, struct event_outbox *port);

/* Events of type tipo recorded (every event when tipo is NULL). */
size_t mem_event_outbox_count(const struct mem_event_outbox *o, const char *tipo);

/* The newest event of type tipo (of any type when tipo is NULL), or NULL. Owned by o. */
const struct mem_evento *mem_event_outbox_last(const struct mem_event_outbox *o, const char *tipo);

/* The field named chave of ev, or NULL when ev has none. Owned by the outbox. */
const struct mem_evento_campo *mem_evento_campo(const struct mem_evento *ev, const char *chave);

#endif
