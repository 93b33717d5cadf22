/*
 * In-memory staff users (tests/fakes): a complete second implementation of the usuario_repo port,
 * beside infrastructure/postgres/pg_usuario_repo.c. Same rules as the usuarios table: e-mail
 * unique whatever its case (the lower(email) unique index: APP_ECONFLICT), lookup by e-mail in any
 * case, identifiers and timestamps set on insert, lists oldest first.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_USUARIO_REPO_H
#define OFICINA_TESTS_FAKES_MEM_USUARIO_REPO_H

#include <time.h>

#include "application/ports/usuario_repo.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_table.h"
#include "tests/fakes/mem_transaction.h"

#define MEM_USUARIO_UUID_KIND 3 /* first group of the identifiers it hands out */

struct mem_usuario_repo {
	struct mem_table rows;      /* struct usuario, oldest first */
	struct mem_transaction *tx; /* the transaction it takes part in, or NULL */
	time_t (*agora)(void);      /* clock for the timestamps */
	unsigned long serial;       /* last identifier handed out */
	struct fake_fault fault;    /* arms a failing call (any operation) */
	long calls;                 /* calls of any operation */
	long sessoes_encerradas;    /* calls of encerrar_sessoes that found the account */
	long locks;                 /* find_by_uuid calls with for_update */
	long writes_outside_tx;     /* insert/update while tx is set but not open */
	long senha_hash_updates;    /* calls of update_senha_hash (one statement, no tx needed) */
};

/* Starts an empty repository (see mem_cliente_repo_init). Release with mem_usuario_repo_cleanup. */
void mem_usuario_repo_init(struct mem_usuario_repo *m, struct mem_transaction *tx,
                           time_t (*agora)(void));

/* Frees the rows. Accepts NULL. */
void mem_usuario_repo_cleanup(struct mem_usuario_repo *m);

/* Points port at m; m must outlive the port. */
void mem_usuario_repo_port(struct mem_usuario_repo *m, struct usuario_repo *port);

/* The stored row with this uuid text, or NULL; for assertions. */
const struct usuario *mem_usuario_repo_get(const struct mem_usuario_repo *m, const char *uuid);

#endif
