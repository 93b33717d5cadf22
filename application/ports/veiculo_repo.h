/*
 * Port: where vehicles are kept (application layer). Implemented by
 * infrastructure/postgres/pg_veiculo_repo.c and tests/fakes/mem_veiculo_repo.c.
 * Every function returns 0 or a negative code of domain/errors.h.
 */
#ifndef OFICINA_APPLICATION_PORTS_VEICULO_REPO_H
#define OFICINA_APPLICATION_PORTS_VEICULO_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/pagina.h"
#include "domain/veiculo.h"

struct veiculo_filtro {
	const char *placa;               /* normalised plate, or NULL */
	const struct uuid *cliente_uuid; /* owner, or NULL */
};

struct veiculo_repo_ops {
	/* Fills *out; for_update locks the row until the transaction ends. APP_ENOTFOUND. */
	int (*find_by_uuid)(void *self, const struct uuid *id, bool for_update,
	                    struct veiculo *out);
	/* Inserts v and sets its uuid and timestamps. APP_ECONFLICT for a plate in use. */
	int (*insert)(void *self, struct veiculo *v);
	/* Stores every field of v and refreshes atualizado_em. APP_ENOTFOUND, APP_ECONFLICT. */
	int (*update)(void *self, struct veiculo *v);
	/* Sets *out: whether the vehicle has an order not yet FINALIZADA, ENTREGUE or CANCELADA. */
	int (*has_ordem_aberta)(void *self, const struct uuid *id, bool *out);
	/* One page of vehicles matching f, oldest first (see cliente_repo_ops.list). */
	int (*list)(void *self, const struct veiculo_filtro *f, const struct pagina *page,
	            struct veiculo *out, size_t *n, long *total);
};

struct veiculo_repo {
	const struct veiculo_repo_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int veiculo_repo_find_by_uuid(const struct veiculo_repo *port, const struct uuid *id,
                                            bool for_update, struct veiculo *out)
{
	return port->ops->find_by_uuid(port->self, id, for_update, out);
}

static inline int veiculo_repo_insert(const struct veiculo_repo *port, struct veiculo *v)
{
	return port->ops->insert(port->self, v);
}

static inline int veiculo_repo_update(const struct veiculo_repo *port, struct veiculo *v)
{
	return port->ops->update(port->self, v);
}

static inline int veiculo_repo_has_ordem_aberta(const struct veiculo_repo *port,
                                                const struct uuid *id, bool *out)
{
	return port->ops->has_ordem_aberta(port->self, id, out);
}

static inline int veiculo_repo_list(const struct veiculo_repo *port, const struct veiculo_filtro *f,
                                    const struct pagina *page, struct veiculo *out, size_t *n,
                                    long *total)
{
	return port->ops->list(port->self, f, page, out, n, total);
}

#endif
