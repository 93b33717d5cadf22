/*
 * The shapes every PostgreSQL repository uses (infrastructure layer): one row into an entity, one
 * page of a list with the total of matches, and a change of exactly one row. The repositories
 * supply the statements and a function that maps a row into their entity.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_QUERY_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_QUERY_H

#include <stddef.h>

#include "application/ports/pagina.h"
#include "infrastructure/postgres/pg_session.h"

/* Copies row `row` of r into the entity at out. */
typedef void (*pg_row_mapper)(const PGresult *r, int row, void *out);

/* Mappers of a row's first column: into the bool, or the long, at out. */
void pg_row_bool(const PGresult *r, int row, void *out);
void pg_row_long(const PGresult *r, int row, void *out);

/*
 * Runs st, which answers at most one row, and maps that row into out. Returns 0, APP_ENOTFOUND
 * when there is no row, or a code of pg_session_exec.
 */
int pg_query_one(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                 pg_row_mapper map, void *out);

/* Runs st, whose answer nobody reads (an INSERT, an UPDATE of any number of rows). 0 or a code
 * of pg_session_exec. */
int pg_query_run(struct pg_session *s, const struct pg_statement *st, const char *const *params);

/*
 * Runs st, a statement that changes exactly one row (UPDATE ... WHERE uuid = ...). Returns 0,
 * APP_ENOTFOUND when it changed none, or a code of pg_session_exec.
 */
int pg_query_change_one(struct pg_session *s, const struct pg_statement *st,
                        const char *const *params);

/*
 * One page of a list. list takes the nfilters filter parameters, then LIMIT and OFFSET, and
 * answers the total of matches as its last column; count takes the filter parameters only and
 * answers that total (needed when the page is past the end and has no row to carry it). At most
 * page->por_pagina rows are mapped into items, an array of entities of item_size bytes; *n gets
 * how many and *total the matches of the whole list. 0 or a code of pg_session_exec.
 */
int pg_query_page(struct pg_session *s, const struct pg_statement *list,
                  const struct pg_statement *count, const char *const *filters, int nfilters,
                  const struct pagina *page, pg_row_mapper map, void *items, size_t item_size,
                  size_t *n, long *total);

#endif
