/*
 * In-memory customers (tests/fakes): a complete second implementation of the cliente_repo port,
 * beside infrastructure/postgres/pg_cliente_repo.c, for the application layer's unit tests. It
 * keeps the same rules as the clientes table: unique documento (APP_ECONFLICT), identifiers and
 * timestamps set on insert, atualizado_em refreshed on update, lists oldest first with the
 * documento and part-of-the-name filters.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_CLIENTE_REPO_H
#define OFICINA_TESTS_FAKES_MEM_CLIENTE_REPO_H

#include <time.h>

#include "application/ports/cliente_repo.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_table.h"
#include "tests/fakes/mem_transaction.h"

#define MEM_CLIENTE_UUID_KIND 1 /* first group of the identifiers it hands out */

struct mem_cliente_repo {
	struct mem_table rows;      /* struct cliente, oldest first */
	struct mem_transaction *tx; /* the transaction it takes part in, or NULL */
	time_t (*agora)(void);      /* clock for the timestamps */
	unsigned long serial;       /* last identifier handed out (not undone by rollback) */
	struct fake_fault fault;    /* arms a failing call (any operation) */
	long calls;                 /* calls of any operation */
	long sessoes_encerradas;    /* calls of encerrar_sessoes that found the account */
	long locks;                 /* find_by_uuid calls with for_update */
	long writes_outside_tx;     /* insert/update while tx is set but not open */
	char ordem_aberta_de[37];   /* uuid of a customer who has an open order, or "" */
};

/*
 * Starts an empty repository that enlists in tx (may be NULL: then every write is final) and
 * stamps rows with agora. Release it with mem_cliente_repo_cleanup.
 */
void mem_cliente_repo_init(struct mem_cliente_repo *m, struct mem_transaction *tx,
                           time_t (*agora)(void));

/* Frees the rows. Accepts NULL. */
void mem_cliente_repo_cleanup(struct mem_cliente_repo *m);

/* Points port at m; m must outlive the port. */
void mem_cliente_repo_port(struct mem_cliente_repo *m, struct cliente_repo *port);

/* The stored row with this uuid text, or NULL; for assertions (do not keep it across writes). */
const struct cliente *mem_cliente_repo_get(const struct mem_cliente_repo *m, const char *uuid);

#endif
