/*
 * Port: the service catalogue (application layer). Implemented by
 * infrastructure/postgres/pg_servico_repo.c. Every function returns 0 or a negative code of
 * domain/errors.h; APP_EUNAVAILABLE when the store cannot be reached.
 */
#ifndef OFICINA_APPLICATION_PORTS_SERVICO_REPO_H
#define OFICINA_APPLICATION_PORTS_SERVICO_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/pagina.h"
#include "domain/servico.h"

struct servico_filtro {
	const char *nome_parte; /* part of the name, any case, or NULL */
};

struct servico_repo_ops {
	/*
	 * Fills *out (inactive services too: check out->ativo); for_update locks the row until the
	 * transaction ends. APP_ENOTFOUND.
	 */
	int (*find_by_uuid)(void *self, const struct uuid *id, bool for_update,
	                    struct servico *out);
	/* Inserts s and sets its uuid and timestamps. */
	int (*insert)(void *self, struct servico *s);
	/* Stores every field of s and refreshes atualizado_em. APP_ENOTFOUND. */
	int (*update)(void *self, struct servico *s);
	/* One page of services matching f, oldest first (see cliente_repo_ops.list). */
	int (*list)(void *self, const struct servico_filtro *f, const struct pagina *page,
	            struct servico *out, size_t *n, long *total);
};

struct servico_repo {
	const struct servico_repo_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int servico_repo_find_by_uuid(const struct servico_repo *port, const struct uuid *id,
                                            bool for_update, struct servico *out)
{
	return port->ops->find_by_uuid(port->self, id, for_update, out);
}

static inline int servico_repo_insert(const struct servico_repo *port, struct servico *s)
{
	return port->ops->insert(port->self, s);
}

static inline int servico_repo_update(const struct servico_repo *port, struct servico *s)
{
	return port->ops->update(port->self, s);
}

static inline int servico_repo_list(const struct servico_repo *port, const struct servico_filtro *f,
                                    const struct pagina *page, struct servico *out, size_t *n,
                                    long *total)
{
	return port->ops->list(port->self, f, page, out, n, total);
}

#endif
