/* One row, or one page with its total, read through a repository's mapper (infrastructure). */
#include "infrastructure/postgres/pg_query.h"

#include <stdio.h>
#include <string.h>

#include "domain/errors.h"

#define FILTERS_MAX 8

void pg_row_bool(const PGresult *r, int row, void *out)
{
	*(bool *)out = pg_bool(r, row, 0);
}

void pg_row_long(const PGresult *r, int row, void *out)
{
	*(long *)out = pg_long(r, row, 0);
}

int pg_query_one(struct pg_session *s, const struct pg_statement *st, const char *const *params,
                 pg_row_mapper map, void *out)
{
	PGresult *r;
	int rc = pg_session_exec(s, st, params, &r);
	if (rc != 0)
		return rc;
	if (PQntuples(r) == 1)
		map(r, 0, out);
	else
		rc = APP_ENOTFOUND;
	PQclear(r);
	return rc;
}

int pg_query_run(struct pg_session *s, const struct pg_statement *st, const char *const *params)
{
	PGresult *r;
	int rc = pg_session_exec(s, st, params, &r);

	if (rc == 0)
		PQclear(r);
	return rc;
}

int pg_query_change_one(struct pg_session *s, const struct pg_statement *st,
                        const char *const *params)
{
	PGresult *r;
	int rc = pg_session_exec(s, st, params, &r);
	if (rc != 0)
		return rc;
	if (strcmp(PQcmdTuples(r), "1") != 0)
		rc = APP_ENOTFOUND;
	PQclear(r);
	return rc;
}

int pg_query_page(struct pg_session *s, const struct pg_statement *list,
                  const struct pg_statement *count, const char *const *filters, int nfilters,
                  const struct pagina *page, pg_row_mapper map, void *items, size_t item_size,
                  size_t *n, long *total)
{
	const char *p[FILTERS_MAX + 2];
	char limit[24], offset[24];
	PGresult *r;
	int rc;

	*n = 0;
	*total = 0;
	if (nfilters < 0 || nfilters > FILTERS_MAX)
		return APP_EINTERNAL;
	for (int i = 0; i < nfilters; i++)
		p[i] = filters[i];
	snprintf(limit, sizeof limit, "%ld", page->por_pagina);
	snprintf(offset, sizeof offset, "%ld", pagina_offset(page));
	p[nfilters] = limit;
	p[nfilters + 1] = offset;

	if ((rc = pg_session_exec(s, list, p, &r)) != 0)
		return rc;
	for (int i = 0; i < PQntuples(r) && i < page->por_pagina; i++)
		map(r, i, (char *)items + (*n)++ * item_size);
	*total = *n ? pg_long(r, 0, PQnfields(r) - 1) : 0;
	PQclear(r);
	if (*n == 0 && pagina_offset(page) > 0) {
		if ((rc = pg_session_exec(s, count, p, &r)) != 0)
			return rc;
		*total = pg_long(r, 0, 0);
		PQclear(r);
	}
	return 0;
}
