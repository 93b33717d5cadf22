/*
 * Port: the reports' read models (application layer, SPEC §5 Reads). Both reports are computed
 * by the store from the status history in one query each; the query handlers
 * (application/queries/consultas_relatorios.c) validate the period before calling them.
 * Implemented by infrastructure/postgres/pg_relatorios.c.
 *
 * A period is two calendar dates, both included, read as whole days in UTC (the timestamps of the
 * API are UTC): [de 00:00Z, ate + 1 day 00:00Z).
 */
#ifndef OFICINA_APPLICATION_PORTS_RELATORIOS_H
#define OFICINA_APPLICATION_PORTS_RELATORIOS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/ordem_status.h"

#define DATA_BYTES       11  /* "YYYY-MM-DD" and NUL */
#define PERIODO_DIAS_MAX 366 /* longest period of a report, in days (both ends included) */

struct periodo {
	char de[DATA_BYTES];  /* first day, valid calendar date */
	char ate[DATA_BYTES]; /* last day, not before de */
	int dias;             /* days in the period, 1..PERIODO_DIAS_MAX */
};

/* A mean in hours, rounded to two decimals by the store; absent when no order counted. */
struct horas {
	bool definido; /* false: null (no order) */
	double valor;  /* hours, two decimals */
};

/*
 * The states an order waits in before it is finished are the first ETAPAS of enum ordem_status,
 * RECEBIDA to EM_EXECUCAO: por_status[s] is the mean time spent in state s.
 */
#define ETAPAS ORDEM_FINALIZADA

struct relatorio_tempo_medio {
	long ordens_consideradas;        /* orders that reached FINALIZADA in the period */
	struct horas execucao;           /* EM_EXECUCAO -> FINALIZADA */
	struct horas total;              /* creation -> FINALIZADA */
	struct horas por_status[ETAPAS]; /* mean time spent in each state */
};

struct volume_dia {
	char dia[DATA_BYTES]; /* the day */
	long abertas;         /* orders created that day */
	long finalizadas;     /* orders that reached FINALIZADA that day */
	long entregues;       /* orders that reached ENTREGUE that day */
};

struct relatorios_ops {
	/* Fills *out for the orders finished in p. 0, APP_EUNAVAILABLE, APP_EINTERNAL. */
	int (*tempo_medio)(void *self, const struct periodo *p, struct relatorio_tempo_medio *out);
	/*
	 * Writes one row per day of p, in order, zeros included, into out[0..max) and sets *n.
	 * max must be at least p->dias. 0, APP_EUNAVAILABLE, APP_EINTERNAL.
	 */
	int (*volume_diario)(void *self, const struct periodo *p, struct volume_dia *out,
	                     size_t max, size_t *n);
};

struct relatorios {
	const struct relatorios_ops *ops; /* static const table */
	void *self;                       /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int relatorios_tempo_medio(const struct relatorios *port, const struct periodo *p,
                                         struct relatorio_tempo_medio *out)
{
	return port->ops->tempo_medio(port->self, p, out);
}

static inline int relatorios_volume_diario(const struct relatorios *port, const struct periodo *p,
                                           struct volume_dia *out, size_t max, size_t *n)
{
	return port->ops->volume_diario(port->self, p, out, max, n);
}

#endif
