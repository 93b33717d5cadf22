/*
 * A growable array of fixed-size rows with a snapshot (tests/fakes): the storage under the
 * in-memory repositories. Rows keep their insertion order, which is the "oldest first" order of
 * the list queries. The snapshot functions have the shape of struct mem_tx_member, so a table
 * takes part in a struct mem_transaction directly.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_TABLE_H
#define OFICINA_TESTS_FAKES_MEM_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/uuid.h"

struct mem_table {
	unsigned char *rows; /* n rows of row_size bytes, malloc'd */
	size_t n;            /* rows used */
	size_t cap;          /* rows allocated */
	size_t row_size;     /* bytes per row */
	unsigned char *snap; /* copy of the rows at the snapshot, malloc'd */
	size_t snap_n;       /* rows in the snapshot */
	bool has_snap;       /* a snapshot is held */
};

/* An empty table of rows of row_size bytes; release it with mem_table_cleanup. */
void mem_table_init(struct mem_table *t, size_t row_size);

/* Frees the rows and any snapshot; t is empty afterwards. Accepts NULL. */
void mem_table_cleanup(struct mem_table *t);

/* Row i (i < t->n), writable in place. */
void *mem_table_at(const struct mem_table *t, size_t i);

/* Appends a copy of row. 0 or APP_ENOMEM. */
int mem_table_append(struct mem_table *t, const void *row);

/*
 * Writes a deterministic identifier that looks like a UUID v4: kind in the first group (one per
 * table, so identifiers of different entities never coincide) and the serial in the last, e.g.
 * kind 1, serial 7: "00000001-0000-4000-8000-000000000007".
 */
void mem_uuid_make(unsigned kind, unsigned long serial, struct uuid *out);

/* struct mem_tx_member callbacks; self is a struct mem_table. */
int mem_table_snapshot(void *self);
void mem_table_restore(void *self);
void mem_table_release(void *self);

struct mem_transaction;

/* Makes t take part in tx (snapshot on begin, restore on rollback); tx NULL does nothing. */
void mem_table_enlist(struct mem_table *t, struct mem_transaction *tx);

#endif
