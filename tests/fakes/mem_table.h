/*
 * A growable array of fixed-size rows with a snapshot (tests/fakes): the storage under the
 * in-memory repositories. Rows keep their insertion order, which is the "oldest first" order of
 * the list queries. The snapshot functions have the shape of struct mem_tx_member, so a table
 * takes part in a struct mem_transaction directly. The find and page helpers are the WHERE uuid =
 * $1 and the LIMIT/OFFSET with a total of every repository's queries, written once.
 */
#ifndef OFICINA_TESTS_FAKES_MEM_TABLE_H
#define OFICINA_TESTS_FAKES_MEM_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/pagina.h"
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
 * The row whose struct uuid at byte offset key (offsetof(row type, its uuid member)) holds the text
 * uuid, or NULL; writable in place. Identifiers are never reused, so at most one row has it.
 */
void *mem_table_find_uuid(const struct mem_table *t, size_t key, const char *uuid);

/* Copies the row of mem_table_find_uuid into out (t->row_size bytes). 0 or APP_ENOTFOUND. */
int mem_table_read_uuid(const struct mem_table *t, size_t key, const char *uuid, void *out);

/* Whether row passes a list's filter; arg is the filter as the list was given it (may be NULL). */
typedef bool (*mem_row_match)(const void *row, const void *arg);

/*
 * One more row passing a list's filter: counts it into *total and answers whether it falls on
 * page, where n rows already are (OFFSET and LIMIT, one row at a time). For a list that visits
 * its rows in its own order or copies something else than the row.
 */
bool mem_page_take(const struct pagina *page, size_t n, long *total);

/*
 * One page of the rows of t that pass match with arg (every row when match is NULL), oldest first
 * or, with newest_first, newest first: copies of them into out (room for page->por_pagina rows of
 * t->row_size bytes), *n of them, and in *total every row that passes.
 */
void mem_table_page(const struct mem_table *t, mem_row_match match, const void *arg,
                    bool newest_first, const struct pagina *page, void *out, size_t *n,
                    long *total);

/* Case-insensitive (ASCII) substring test, like lower(nome) LIKE '%' || lower(parte) || '%'. */
bool mem_contains_nocase(const char *texto, const char *parte);

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
