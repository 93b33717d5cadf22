/*
 * In-memory unit of work (tests/fakes): the transaction port for the in-memory repositories and
 * outbox. Each of them enlists as a member; begin asks every member to take a snapshot of its
 * state, commit drops the snapshots and rollback restores them, so one transaction covers every
 * store and a rollback really undoes what the command did. Calls are counted for assertions.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_TRANSACTION_H
#define OFICINA_TESTS_FAKES_MEM_TRANSACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/transaction.h"
#include "tests/fakes/fake_fault.h"

#define MEM_TX_MEMBERS_MAX 16

/* A store that takes part in transactions. */
struct mem_tx_member {
	int (*snapshot)(void *self); /* remember the state: 0 or APP_ENOMEM */
	void (*restore)(void *self); /* go back to the snapshot and drop it */
	void (*release)(void *self); /* drop the snapshot, keep the state */
	void *self;                  /* the store */
};

struct mem_transaction {
	struct mem_tx_member members[MEM_TX_MEMBERS_MAX]; /* enlisted stores */
	size_t n_members;                                 /* members used */
	bool open;                                        /* between begin and commit/rollback */
	int begins;                                       /* calls to begin */
	int commits;                                      /* calls to commit */
	unsigned long committed;                          /* commits that succeeded */
	int rollbacks;                                    /* calls to rollback */
	int undone;                     /* transactions whose changes were thrown away */
	struct fake_fault begin_fault;  /* arms a failing begin */
	struct fake_fault commit_fault; /* arms a failing commit (the changes are undone) */
	int serves;                     /* calls to serve */
	bool retryable;                 /* what retryable answers (a test sets it) */
};

/* Empties tx: no members, nothing open, counters at zero. */
void mem_transaction_init(struct mem_transaction *tx);

/* Zeroes the counters and disarms the faults, keeping the members (a test's clean start). */
void mem_transaction_reset_counters(struct mem_transaction *tx);

/* Adds a store; at most MEM_TX_MEMBERS_MAX (more is a programmer mistake and asserts). */
void mem_transaction_enlist(struct mem_transaction *tx, const struct mem_tx_member *m);

/*
 * Points port at tx. begin answers APP_EINTERNAL when a transaction is already open (commands
 * never nest), commit answers APP_EINTERNAL when none is; a failing commit undoes the changes and
 * ends the transaction, as PostgreSQL does. tx must outlive the port.
 */
void mem_transaction_port(struct mem_transaction *tx, struct transaction *port);

#endif
