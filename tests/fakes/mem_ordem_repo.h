/*
 * In-memory service orders (tests/fakes): complete second implementations of the ordem_repo port
 * (the command side) and of the ordem_consultas port (the read model), beside
 * infrastructure/postgres/pg_ordem_repo.c and pg_ordem_consultas.c, for the application layer's
 * unit tests. They keep the rules of the ordens, ordem_servicos, ordem_pecas and ordem_historico
 * tables:
 *   - abrir numbers the order "OS-YYYY-NNNNNN" from a counter (a sequence: a rollback does not
 *     give a number back) and the year of the clock in UTC, at least six digits;
 *   - add_item copies the name and price of an active catalogue entry from the mem_catalogo
 *     stores (APP_ENOTFOUND for an unknown or inactive one), and the same entry again grows its
 *     line while the line stays within ORDEM_ITEM_QUANTIDADE_MAX (APP_EINVALID otherwise, nothing
 *     changes); lines are listed oldest first, parts with the part's current balance;
 *   - congelar_orcamento clears any decision, as the UPDATE does; every change refreshes
 *     atualizada_em; history rows keep who, role and correlation id.
 * The three tables enlist in a struct mem_transaction as ONE member (the transaction has few
 * slots), so a rollback undoes orders, items and history together.
 *
 * Wire it next to struct fake_app and struct mem_catalogo:
 *   mem_ordem_repo_init(&o, &f.tx, &cat, &f.clientes, &f.veiculos, fake_clock_now);
 *   mem_ordem_repo_ports(&o, &f.app);
 */
#ifndef OFICINA_TESTS_FAKES_MEM_ORDEM_REPO_H
#define OFICINA_TESTS_FAKES_MEM_ORDEM_REPO_H

#include <stddef.h>
#include <time.h>

#include "application/app.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_catalogo.h"
#include "tests/fakes/mem_cliente_repo.h"
#include "tests/fakes/mem_table.h"
#include "tests/fakes/mem_transaction.h"
#include "tests/fakes/mem_veiculo_repo.h"

#define MEM_ORDEM_UUID_KIND      20 /* first group of the identifiers handed out */
#define MEM_ORDEM_ITEM_UUID_KIND 21
#define MEM_ORDEM_TEXTO_BYTES    64 /* perfil and correlation_id kept per history row */

/* A line of an order (a row of ordem_servicos or ordem_pecas). */
struct mem_ordem_item {
	struct uuid ordem_uuid;    /* the order */
	enum ordem_item_tipo tipo; /* which table */
	struct ordem_item item;    /* the line; item.estoque is not stored (-1) */
};

/* A row of ordem_historico. */
struct mem_ordem_historico {
	struct uuid ordem_uuid;                     /* the order */
	enum ordem_status status;                   /* the state it entered */
	char em[TIMESTAMP_BYTES];                   /* when, by the clock */
	char por[ORDEM_POR_BYTES];                  /* who, "" for NULL */
	char perfil[MEM_ORDEM_TEXTO_BYTES];         /* their role, "" for NULL */
	char correlation_id[MEM_ORDEM_TEXTO_BYTES]; /* of the request, "" for NULL */
};

struct mem_ordem_repo {
	struct mem_table ordens;                 /* struct ordem, oldest first */
	struct mem_table itens;                  /* struct mem_ordem_item, oldest first */
	struct mem_table historico;              /* struct mem_ordem_historico, oldest first */
	struct mem_transaction *tx;              /* the transaction they take part in, or NULL */
	const struct mem_catalogo *catalogo;     /* names, prices and balances of the items */
	const struct mem_cliente_repo *clientes; /* the read model's customer columns, or NULL */
	const struct mem_veiculo_repo *veiculos; /* the read model's vehicle columns, or NULL */
	time_t (*agora)(void);                   /* clock for the timestamps and the year */
	unsigned long serial;                    /* last identifier handed out (not undone) */
	unsigned long numero_seq;                /* ordens_numero_seq: last value (not undone) */
	struct fake_fault fault; /* arms a failing call (any operation of the two ports) */
	long calls;              /* calls of any operation */
	long locks;              /* find_for_update calls */
	long writes_outside_tx;  /* writes while tx is set but not open */
};

/*
 * Starts empty tables that enlist in tx (may be NULL) and read items from catalogo (required);
 * clientes and veiculos (may be NULL) fill the customer and vehicle columns of the read model.
 * Release with mem_ordem_repo_cleanup.
 */
void mem_ordem_repo_init(struct mem_ordem_repo *m, struct mem_transaction *tx,
                         const struct mem_catalogo *catalogo,
                         const struct mem_cliente_repo *clientes,
                         const struct mem_veiculo_repo *veiculos, time_t (*agora)(void));

/* Frees every row. Accepts NULL. */
void mem_ordem_repo_cleanup(struct mem_ordem_repo *m);

/* Points app->ordens and app->ordens_leitura at m; m must outlive them. */
void mem_ordem_repo_ports(struct mem_ordem_repo *m, struct app *app);

/* The stored order with this uuid text, or NULL; for assertions (do not keep it across writes). */
const struct ordem *mem_ordem_repo_get(const struct mem_ordem_repo *m, const char *uuid);

/* Lines of tipo of order uuid stored. */
size_t mem_ordem_repo_n_itens(const struct mem_ordem_repo *m, const char *uuid,
                              enum ordem_item_tipo tipo);

/* The line of tipo of order uuid for catalogue entry ref, or NULL; for assertions. */
const struct ordem_item *mem_ordem_repo_item(const struct mem_ordem_repo *m, const char *uuid,
                                             enum ordem_item_tipo tipo, const char *ref);

/* History rows of order uuid. */
size_t mem_ordem_repo_n_historico(const struct mem_ordem_repo *m, const char *uuid);

/* The i-th history row of order uuid (oldest first), or NULL; for assertions. */
const struct mem_ordem_historico *mem_ordem_repo_historico(const struct mem_ordem_repo *m,
                                                           const char *uuid, size_t i);

#endif
