/*
 * Port: where customers are kept (application layer). Implemented by
 * infrastructure/postgres/pg_cliente_repo.c and, for unit tests, tests/fakes/mem_cliente_repo.c.
 * Every function returns 0 or a negative code of domain/errors.h; APP_EUNAVAILABLE when the
 * store cannot be reached.
 */
#ifndef OFICINA_APPLICATION_PORTS_CLIENTE_REPO_H
#define OFICINA_APPLICATION_PORTS_CLIENTE_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/pagina.h"
#include "domain/cliente.h"

struct cliente_filtro {
	const char *documento;  /* digits only, or NULL */
	const char *nome_parte; /* part of the name, any case, or NULL */
};

struct cliente_repo_ops {
	/* Fills *out; for_update locks the row until the transaction ends. APP_ENOTFOUND. */
	int (*find_by_uuid)(void *self, const struct uuid *id, bool for_update,
	                    struct cliente *out);
	/* By documento (digits only), active or not; fills *out. APP_ENOTFOUND. */
	int (*find_by_documento)(void *self, const char *documento, struct cliente *out);
	/* Whether customer id has an order that is not finished, delivered or cancelled. */
	int (*has_ordem_aberta)(void *self, const struct uuid *id, bool *out);
	/* Inserts c and sets its uuid and timestamps. APP_ECONFLICT for a documento in use. */
	int (*insert)(void *self, struct cliente *c);
	/* Stores every field of c and refreshes atualizado_em. APP_ENOTFOUND, APP_ECONFLICT. */
	int (*update)(void *self, struct cliente *c);
	/*
	 * One page of customers matching f, oldest first, into out[0..page->por_pagina); *n gets
	 * the rows written and *total the number of matches of the whole list.
	 */
	int (*list)(void *self, const struct cliente_filtro *f, const struct pagina *page,
	            struct cliente *out, size_t *n, long *total);
	/*
	 * Ends every session of account id (logout): its tokens issued before the current second
	 * are refused from the session registry's next refresh. APP_ENOTFOUND.
	 */
	int (*encerrar_sessoes)(void *self, const struct uuid *id);
};

struct cliente_repo {
	const struct cliente_repo_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int cliente_repo_find_by_uuid(const struct cliente_repo *port, const struct uuid *id,
                                            bool for_update, struct cliente *out)
{
	return port->ops->find_by_uuid(port->self, id, for_update, out);
}

static inline int cliente_repo_find_by_documento(const struct cliente_repo *port,
                                                 const char *documento, struct cliente *out)
{
	return port->ops->find_by_documento(port->self, documento, out);
}

static inline int cliente_repo_has_ordem_aberta(const struct cliente_repo *port,
                                                const struct uuid *id, bool *out)
{
	return port->ops->has_ordem_aberta(port->self, id, out);
}

static inline int cliente_repo_insert(const struct cliente_repo *port, struct cliente *c)
{
	return port->ops->insert(port->self, c);
}

static inline int cliente_repo_update(const struct cliente_repo *port, struct cliente *c)
{
	return port->ops->update(port->self, c);
}

static inline int cliente_repo_list(const struct cliente_repo *port, const struct cliente_filtro *f,
                                    const struct pagina *page, struct cliente *out, size_t *n,
                                    long *total)
{
	return port->ops->list(port->self, f, page, out, n, total);
}

static inline int cliente_repo_encerrar_sessoes(const struct cliente_repo *port,
                                                const struct uuid *id)
{
	return port->ops->encerrar_sessoes(port->self, id);
}

#endif
