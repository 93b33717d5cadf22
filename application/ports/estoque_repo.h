/*
 * Port: the stock ledger (application layer, SPEC §5). Every change of a part's balance is a
 * movement row written in the caller's transaction together with the new balance; the balance never
 * goes below zero, also when many requests race for the same part (the adapter uses a conditional
 * UPDATE, which locks the part's row until the transaction ends).
 * Implemented by infrastructure/postgres/pg_estoque_repo.c and tests/fakes/mem_catalogo.c.
 */
#ifndef OFICINA_APPLICATION_PORTS_ESTOQUE_REPO_H
#define OFICINA_APPLICATION_PORTS_ESTOQUE_REPO_H

#include <stddef.h>

#include "application/ports/pagina.h"
#include "domain/campos.h"
#include "domain/peca.h"
#include "domain/uuid.h"

#define MOTIVO_BYTES (MOTIVO_MAX * 4 + 1) /* MOTIVO_MAX code points of UTF-8 */

struct movimento {
	struct uuid uuid;                /* set by the adapter */
	struct uuid peca_uuid;           /* the part */
	int quantidade;                  /* non-zero; negative for a withdrawal */
	char motivo[MOTIVO_BYTES];       /* why */
	int saldo;                       /* the balance after this movement */
	struct uuid ordem_uuid;          /* the order that caused it; str "" for none */
	char criado_em[TIMESTAMP_BYTES]; /* set by the adapter */
};

struct estoque_repo_ops {
	/*
	 * Applies m->quantidade to part m->peca_uuid and records the movement; fills m->uuid,
	 * m->saldo and m->criado_em, and *estoque_minimo with the part's minimum (to tell whether
	 * the movement crossed it). correlation_id may be NULL. APP_ENOTFOUND for an unknown part,
	 * APP_ECONFLICT when the balance would go below zero (or, for an entry, above INT_MAX;
	 * nothing is changed then: the transaction stays usable), APP_EUNAVAILABLE.
	 */
	int (*apply_movimento)(void *self, struct movimento *m, const char *correlation_id,
	                       int *estoque_minimo);
	/* Movement id of part peca_uuid into *out. APP_ENOTFOUND (also for another part's). */
	int (*find_by_uuid)(void *self, const struct uuid *peca_uuid, const struct uuid *id,
	                    struct movimento *out);
	/* One page of a part's movements, newest first (see cliente_repo_ops.list). */
	int (*list)(void *self, const struct uuid *peca_uuid, const struct pagina *page,
	            struct movimento *out, size_t *n, long *total);
};

struct estoque_repo {
	const struct estoque_repo_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int estoque_repo_apply_movimento(const struct estoque_repo *port, struct movimento *m,
                                               const char *correlation_id, int *estoque_minimo)
{
	return port->ops->apply_movimento(port->self, m, correlation_id, estoque_minimo);
}

static inline int estoque_repo_find_by_uuid(const struct estoque_repo *port,
                                            const struct uuid *peca_uuid, const struct uuid *id,
                                            struct movimento *out)
{
	return port->ops->find_by_uuid(port->self, peca_uuid, id, out);
}

static inline int estoque_repo_list(const struct estoque_repo *port, const struct uuid *peca_uuid,
                                    const struct pagina *page, struct movimento *out, size_t *n,
                                    long *total)
{
	return port->ops->list(port->self, peca_uuid, page, out, n, total);
}

#endif
