/*
 * In-memory vehicles (tests/fakes): a complete second implementation of the veiculo_repo port,
 * beside infrastructure/postgres/pg_veiculo_repo.c. Same rules as the veiculos table: unique
 * normalised placa (APP_ECONFLICT), the owner must exist when a customer repository is attached
 * (the foreign key: APP_EINVALID, as pg_session maps 23503), identifiers and timestamps set on
 * insert, lists oldest first with the placa and cliente_uuid filters.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_VEICULO_REPO_H
#define OFICINA_TESTS_FAKES_MEM_VEICULO_REPO_H

#include <time.h>

#include "application/ports/veiculo_repo.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_cliente_repo.h"
#include "tests/fakes/mem_table.h"
#include "tests/fakes/mem_transaction.h"

#define MEM_VEICULO_UUID_KIND 2 /* first group of the identifiers it hands out */

struct mem_veiculo_repo {
	struct mem_table rows;                   /* struct veiculo, oldest first */
	struct mem_transaction *tx;              /* the transaction it takes part in, or NULL */
	const struct mem_cliente_repo *clientes; /* for the foreign key, or NULL */
	time_t (*agora)(void);                   /* clock for the timestamps */
	unsigned long serial;                    /* last identifier handed out */
	struct fake_fault fault;                 /* arms a failing call (any operation) */
	long calls;                              /* calls of any operation */
	long locks;                              /* find_by_uuid calls with for_update */
	long writes_outside_tx;                  /* insert/update while tx is set but not open */
	char ordem_aberta_de[37];                /* uuid of a vehicle with an open order, or "" */
};

/*
 * Starts an empty repository that enlists in tx (may be NULL), checks owners against clientes
 * (may be NULL: no foreign key) and stamps rows with agora. Release it with
 * mem_veiculo_repo_cleanup.
 */
void mem_veiculo_repo_init(struct mem_veiculo_repo *m, struct mem_transaction *tx,
                           const struct mem_cliente_repo *clientes, time_t (*agora)(void));

/* Frees the rows. Accepts NULL. */
void mem_veiculo_repo_cleanup(struct mem_veiculo_repo *m);

/* Points port at m; m must outlive the port. */
void mem_veiculo_repo_port(struct mem_veiculo_repo *m, struct veiculo_repo *port);

/* The stored row with this uuid text, or NULL; for assertions. */
const struct veiculo *mem_veiculo_repo_get(const struct mem_veiculo_repo *m, const char *uuid);

#endif
