/*
 * Port: parts and supplies (application layer). Implemented by
 * infrastructure/postgres/pg_peca_repo.c. The balance (quantidade_estoque) is written only by the
 * stock ledger (application/ports/estoque_repo.h): insert starts a part at zero and update never
 * touches it. Every function returns 0 or a negative code of domain/errors.h; APP_EUNAVAILABLE
 * when the store cannot be reached.
 */
#ifndef OFICINA_APPLICATION_PORTS_PECA_REPO_H
#define OFICINA_APPLICATION_PORTS_PECA_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/pagina.h"
#include "domain/peca.h"

struct peca_filtro {
	int abaixo_do_minimo;   /* -1 any; 1 quantidade_estoque < estoque_minimo; 0 the others */
	int tipo;               /* -1 any, else an enum tipo_peca */
	const char *nome_parte; /* part of the name, any case, or NULL */
};

struct peca_repo_ops {
	/*
	 * Fills *out with the part and its current balance (inactive parts too: check out->ativo);
	 * for_update locks the row until the transaction ends (a movement in the same transaction
	 * still works). APP_ENOTFOUND.
	 */
	int (*find_by_uuid)(void *self, const struct uuid *id, bool for_update, struct peca *out);
	/*
	 * Inserts p with a balance of zero whatever p->quantidade_estoque says, and sets its uuid,
	 * timestamps and quantidade_estoque (0). APP_ECONFLICT for a codigo in use (any case).
	 */
	int (*insert)(void *self, struct peca *p);
	/*
	 * Stores every field of p but the balance and refreshes atualizado_em;
	 * p->quantidade_estoque is reloaded. APP_ENOTFOUND, APP_ECONFLICT (codigo).
	 */
	int (*update)(void *self, struct peca *p);
	/* One page of parts matching f, oldest first (see cliente_repo_ops.list). */
	int (*list)(void *self, const struct peca_filtro *f, const struct pagina *page,
	            struct peca *out, size_t *n, long *total);
};

struct peca_repo {
	const struct peca_repo_ops *ops; /* static const table */
	void *self;                      /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int peca_repo_find_by_uuid(const struct peca_repo *port, const struct uuid *id,
                                         bool for_update, struct peca *out)
{
	return port->ops->find_by_uuid(port->self, id, for_update, out);
}

static inline int peca_repo_insert(const struct peca_repo *port, struct peca *p)
{
	return port->ops->insert(port->self, p);
}

static inline int peca_repo_update(const struct peca_repo *port, struct peca *p)
{
	return port->ops->update(port->self, p);
}

static inline int peca_repo_list(const struct peca_repo *port, const struct peca_filtro *f,
                                 const struct pagina *page, struct peca *out, size_t *n,
                                 long *total)
{
	return port->ops->list(port->self, f, page, out, n, total);
}

#endif
