/*
 * Port: where service orders are kept, the command side (application layer, SPEC §5). Every
 * function runs in the caller's transaction (app->tx). Implemented by
 * infrastructure/postgres/pg_ordem_repo.c and tests/fakes/mem_ordem_repo.c.
 * Every function returns 0 or a negative code of domain/errors.h; APP_EUNAVAILABLE when the
 * store cannot be reached.
 */
#ifndef OFICINA_APPLICATION_PORTS_ORDEM_REPO_H
#define OFICINA_APPLICATION_PORTS_ORDEM_REPO_H

#include "domain/ordem.h"

struct ordem_repo_ops {
	/*
	 * Inserts o in state RECEBIDA with o->cliente_uuid, o->veiculo_uuid and o->descricao; sets
	 * o->uuid, o->numero ("OS-YYYY-NNNNNN", the year in UTC and the next value of a sequence)
	 * and the timestamps.
	 */
	int (*insert)(void *self, struct ordem *o);
	/* Fills *out and locks the order's row until the transaction ends. APP_ENOTFOUND. */
	int (*find_for_update)(void *self, const struct uuid *id, struct ordem *out);
	/* Sets the state and refreshes atualizada_em. APP_ENOTFOUND. */
	int (*set_status)(void *self, const struct uuid *id, enum ordem_status status);
	/* Stores the budget with orcamento_gerado_em = now. APP_ENOTFOUND. */
	int (*save_orcamento)(void *self, const struct uuid *id, const struct orcamento *orc);
	/* Records the decision on the budget with orcamento_decidido_em = now. APP_ENOTFOUND. */
	int (*save_decisao)(void *self, const struct uuid *id, enum orcamento_decisao d);
	/*
	 * Adds quantidade of catalogue entry ref_uuid (a service or a part, by tipo) to the order,
	 * copying its name and price; when the order already has a line of ref_uuid, its quantity
	 * grows instead (the price of the line stays). *item_out gets the line's uuid.
	 * APP_ENOTFOUND when the catalogue entry does not exist or is inactive; APP_EINVALID when
	 * the line would exceed ORDEM_ITEM_QUANTIDADE_MAX (nothing changes then).
	 */
	int (*add_item)(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
	                const struct uuid *ref_uuid, int quantidade, struct uuid *item_out);
	/* Removes line item of the order. APP_ENOTFOUND when the order has no such line. */
	int (*remove_item)(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
	                   const struct uuid *item);
	/*
	 * The order's lines of tipo, oldest first, into *out (malloc'd; release with
	 * ordem_itens_cleanup). For parts, each item's estoque is the part's current balance.
	 * APP_ENOMEM; on error *out is empty.
	 */
	int (*list_itens)(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
	                  struct ordem_itens *out);
	/*
	 * Appends a history row: the state the order entered, now, who (por, may be NULL), their
	 * role (perfil, may be NULL) and the request's correlation_id (may be NULL).
	 */
	int (*append_historico)(void *self, const struct uuid *ordem, enum ordem_status status,
	                        const char *por, const char *perfil, const char *correlation_id);
};

struct ordem_repo {
	const struct ordem_repo_ops *ops; /* static const table */
	void *self;                       /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int ordem_repo_insert(const struct ordem_repo *port, struct ordem *o)
{
	return port->ops->insert(port->self, o);
}

static inline int ordem_repo_find_for_update(const struct ordem_repo *port, const struct uuid *id,
                                             struct ordem *out)
{
	return port->ops->find_for_update(port->self, id, out);
}

static inline int ordem_repo_set_status(const struct ordem_repo *port, const struct uuid *id,
                                        enum ordem_status status)
{
	return port->ops->set_status(port->self, id, status);
}

static inline int ordem_repo_save_orcamento(const struct ordem_repo *port, const struct uuid *id,
                                            const struct orcamento *orc)
{
	return port->ops->save_orcamento(port->self, id, orc);
}

static inline int ordem_repo_save_decisao(const struct ordem_repo *port, const struct uuid *id,
                                          enum orcamento_decisao d)
{
	return port->ops->save_decisao(port->self, id, d);
}

static inline int ordem_repo_add_item(const struct ordem_repo *port, const struct uuid *ordem,
                                      enum ordem_item_tipo tipo, const struct uuid *ref_uuid,
                                      int quantidade, struct uuid *item_out)
{
	return port->ops->add_item(port->self, ordem, tipo, ref_uuid, quantidade, item_out);
}

static inline int ordem_repo_remove_item(const struct ordem_repo *port, const struct uuid *ordem,
                                         enum ordem_item_tipo tipo, const struct uuid *item)
{
	return port->ops->remove_item(port->self, ordem, tipo, item);
}

static inline int ordem_repo_list_itens(const struct ordem_repo *port, const struct uuid *ordem,
                                        enum ordem_item_tipo tipo, struct ordem_itens *out)
{
	return port->ops->list_itens(port->self, ordem, tipo, out);
}

static inline int ordem_repo_append_historico(const struct ordem_repo *port,
                                              const struct uuid *ordem, enum ordem_status status,
                                              const char *por, const char *perfil,
                                              const char *correlation_id)
{
	return port->ops->append_historico(port->self, ordem, status, por, perfil, correlation_id);
}

#endif
