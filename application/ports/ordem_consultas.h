/*
 * Port: the read model of service orders (application layer, CQRS query side, SPEC §5 Reads).
 * Answers are shaped for the screen, read with SQL made for them: the open queue in its order, the
 * detail with customer, vehicle, items, budget and history in a fixed number of round trips
 * (never one per item), the short status a customer's app polls, and the history.
 *
 * Ownership: every function takes dono, the uuid of the customer the caller is (a "cliente"
 * token), or NULL for staff. With dono set, another customer's order answers APP_ENOTFOUND, as
 * if it did not exist, and lists only hold the customer's own orders.
 *
 * Implemented by infrastructure/postgres/pg_ordem_consultas.c and tests/fakes/mem_ordem_repo.c.
 * Every function returns 0 or a negative code of domain/errors.h.
 */
#ifndef OFICINA_APPLICATION_PORTS_ORDEM_CONSULTAS_H
#define OFICINA_APPLICATION_PORTS_ORDEM_CONSULTAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "application/ports/pagina.h"
#include "domain/documento.h"
#include "domain/ordem.h"
#include "domain/placa.h"
#include "domain/veiculo.h"

/* Filters of GET /api/ordens. */
struct ordem_filtro {
	unsigned status_mask;            /* bit (1u << state) per state; 0: the open queue */
	const struct uuid *cliente_uuid; /* or NULL */
	const char *placa;               /* normalised plate, or NULL */
	const struct uuid
	    *dono; /* set by listar_ordens from the caller (app_caller_dono), or NULL */
};

/* One order of a list: what the queue shows. */
struct ordem_resumo {
	struct uuid uuid;
	char numero[ORDEM_NUMERO_BYTES];
	enum ordem_status status;
	struct uuid cliente_uuid;
	char cliente_nome[NOME_BYTES];
	struct uuid veiculo_uuid;
	char placa[PLACA_MAX];
	bool tem_orcamento;  /* valor_total is set */
	int64_t valor_total; /* centavos */
	char criada_em[TIMESTAMP_BYTES];
	char atualizada_em[TIMESTAMP_BYTES];
};

/* The short answer of GET /api/ordens/{uuid}/status. */
struct ordem_status_atual {
	struct uuid uuid;
	char numero[ORDEM_NUMERO_BYTES];
	enum ordem_status status;
	char atualizada_em[TIMESTAMP_BYTES];
};

/* An order with everything GET /api/ordens/{uuid} shows; release with ordem_detalhe_cleanup. */
struct ordem_detalhe {
	struct ordem ordem;            /* the order and its budget */
	char cliente_nome[NOME_BYTES]; /* cliente {uuid (ordem.cliente_uuid), nome,
	                                          documento} */
	char cliente_documento[DOCUMENTO_MAX];
	char placa[PLACA_MAX]; /* veiculo {uuid, placa, marca, modelo, ano} */
	char marca[VEICULO_TEXTO_BYTES];
	char modelo[VEICULO_TEXTO_BYTES];
	int ano;
	struct ordem_itens servicos;            /* malloc'd */
	struct ordem_itens pecas;               /* malloc'd */
	struct ordem_historico_item *historico; /* n_historico rows, oldest first, malloc'd */
	size_t n_historico;
};

/* A malloc'd history; release with ordem_historico_lista_cleanup. */
struct ordem_historico_lista {
	struct ordem_historico_item *itens;
	size_t n;
};

struct ordem_consultas_ops {
	/*
	 * One page of orders matching f into out[0..page->por_pagina); *n rows written, *total
	 * matches over all pages. Without status filter: the open queue, EM_EXECUCAO,
	 * AGUARDANDO_APROVACAO, EM_DIAGNOSTICO, RECEBIDA, oldest first within a state. With it:
	 * exactly those states, in the same state order (terminal ones after), oldest first.
	 */
	int (*list)(void *self, const struct ordem_filtro *f, const struct pagina *page,
	            struct ordem_resumo *out, size_t *n, long *total);
	/* The whole order into *out (on 0, release with ordem_detalhe_cleanup). APP_ENOTFOUND. */
	int (*find_detalhe)(void *self, const struct uuid *id, const struct uuid *dono,
	                    struct ordem_detalhe *out);
	/* The order's state. APP_ENOTFOUND. */
	int (*find_status)(void *self, const struct uuid *id, const struct uuid *dono,
	                   struct ordem_status_atual *out);
	/* The order's history, oldest first (on 0, release it). APP_ENOTFOUND. */
	int (*list_historico)(void *self, const struct uuid *id, const struct uuid *dono,
	                      struct ordem_historico_lista *out);
};

struct ordem_consultas {
	const struct ordem_consultas_ops *ops; /* static const table */
	void *self;                            /* adapter state */
};

/* Frees what d holds (items, history); d is empty afterwards. Accepts NULL. */
static inline void ordem_detalhe_cleanup(struct ordem_detalhe *d)
{
	if (!d)
		return;
	ordem_itens_cleanup(&d->servicos);
	ordem_itens_cleanup(&d->pecas);
	free(d->historico);
	d->historico = NULL;
	d->n_historico = 0;
}

/* Frees l's rows. Accepts NULL. */
static inline void ordem_historico_lista_cleanup(struct ordem_historico_lista *l)
{
	if (!l)
		return;
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
}

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int ordem_consultas_list(const struct ordem_consultas *port,
                                       const struct ordem_filtro *f, const struct pagina *page,
                                       struct ordem_resumo *out, size_t *n, long *total)
{
	return port->ops->list(port->self, f, page, out, n, total);
}

static inline int ordem_consultas_find_detalhe(const struct ordem_consultas *port,
                                               const struct uuid *id, const struct uuid *dono,
                                               struct ordem_detalhe *out)
{
	return port->ops->find_detalhe(port->self, id, dono, out);
}

static inline int ordem_consultas_find_status(const struct ordem_consultas *port,
                                              const struct uuid *id, const struct uuid *dono,
                                              struct ordem_status_atual *out)
{
	return port->ops->find_status(port->self, id, dono, out);
}

static inline int ordem_consultas_list_historico(const struct ordem_consultas *port,
                                                 const struct uuid *id, const struct uuid *dono,
                                                 struct ordem_historico_lista *out)
{
	return port->ops->list_historico(port->self, id, dono, out);
}

#endif
