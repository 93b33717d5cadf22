/*
 * In-memory catalogue, parts and stock ledger (tests/fakes): complete second implementations of
 * the servico_repo, peca_repo and estoque_repo ports, beside infrastructure/postgres/
 * pg_servico_repo.c, pg_peca_repo.c and pg_estoque_repo.c, for the application layer's unit
 * tests. They keep the rules of the tables: a part's code is unique in any case (APP_ECONFLICT),
 * a new part starts at a balance of zero and update never changes the balance, a movement changes
 * it only when the result stays within 0..INT_MAX (else APP_ECONFLICT and nothing changes) and is
 * recorded as a row with the new balance; lists are oldest first (movements newest first).
 * The three stores enlist in one struct mem_transaction, so a rollback undoes all of them.
 *
 * Wire them next to struct fake_app with mem_catalogo_init(&c, &f.tx, fake_clock_now) and
 * mem_catalogo_ports(&c, &f.app) (they take three of the transaction's MEM_TX_MEMBERS_MAX slots).
 */
#ifndef OFICINA_TESTS_FAKES_MEM_CATALOGO_H
#define OFICINA_TESTS_FAKES_MEM_CATALOGO_H

#include <time.h>

#include "application/app.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_table.h"
#include "tests/fakes/mem_transaction.h"

#define MEM_SERVICO_UUID_KIND   16 /* first group of the identifiers handed out */
#define MEM_PECA_UUID_KIND      17
#define MEM_MOVIMENTO_UUID_KIND 18

struct mem_catalogo {
	struct mem_table servicos;   /* struct servico, oldest first */
	struct mem_table pecas;      /* struct peca, oldest first; holds the balances */
	struct mem_table movimentos; /* struct movimento, oldest first */
	struct mem_transaction *tx;  /* the transaction they take part in, or NULL */
	time_t (*agora)(void);       /* clock for the timestamps */
	unsigned long serial;        /* last identifier handed out (not undone by rollback) */
	struct fake_fault fault;     /* arms a failing call (any operation of the three ports) */
	long calls;                  /* calls of any operation */
	long locks;                  /* find_by_uuid calls with for_update */
	long writes_outside_tx;      /* writes while tx is set but not open */
};

/* Starts empty stores that enlist in tx (may be NULL). Release with mem_catalogo_cleanup. */
void mem_catalogo_init(struct mem_catalogo *c, struct mem_transaction *tx, time_t (*agora)(void));

/* Frees every row. Accepts NULL. */
void mem_catalogo_cleanup(struct mem_catalogo *c);

/* Points app->servicos, app->pecas and app->estoque at c; c must outlive them. */
void mem_catalogo_ports(struct mem_catalogo *c, struct app *app);

/* The stored part with this uuid text, or NULL; for assertions. */
const struct peca *mem_catalogo_peca(const struct mem_catalogo *c, const char *uuid);

/* Number of movements of part uuid, and their sum into *soma (may be NULL). */
size_t mem_catalogo_movimentos(const struct mem_catalogo *c, const char *uuid, long *soma);

#endif
