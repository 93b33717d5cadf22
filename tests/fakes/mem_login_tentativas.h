/*
 * In-memory login attempts per CPF (tests/fakes): a complete second implementation of the
 * login_tentativas port, beside infrastructure/postgres/pg_login_tentativas.c, with the same
 * window rules on the clock it is given. Like the PostgreSQL adapter it takes part in no
 * transaction: an attempt stays counted whatever is rolled back. It keeps the digits (the real
 * store keeps a hash): tests look rows up by CPF.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_LOGIN_TENTATIVAS_H
#define OFICINA_TESTS_FAKES_MEM_LOGIN_TENTATIVAS_H

#include <time.h>

#include "application/ports/login_tentativas.h"
#include "tests/fakes/fake_fault.h"
#include "tests/fakes/mem_table.h"

struct mem_login_tentativas {
	struct mem_table rows;   /* one row per CPF with a window, as in the table */
	time_t (*agora)(void);   /* the clock of the windows */
	struct fake_fault fault; /* arms a failing call (record or clear) */
	long records;            /* record calls */
	long clears;             /* clear calls */
};

/* Starts an empty store on clock agora. Release it with mem_login_tentativas_cleanup. */
void mem_login_tentativas_init(struct mem_login_tentativas *m, time_t (*agora)(void));

/* Frees the rows. Accepts NULL. */
void mem_login_tentativas_cleanup(struct mem_login_tentativas *m);

/* Points port at m; m must outlive the port. */
void mem_login_tentativas_port(struct mem_login_tentativas *m, struct login_tentativas *port);

/* The attempts counted for cpf (11 digits) in its window still open, or 0; for assertions. */
long mem_login_tentativas_count(const struct mem_login_tentativas *m, const char *cpf);

#endif
