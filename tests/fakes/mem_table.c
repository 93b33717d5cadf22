/* A growable array of fixed-size rows with a snapshot (tests/fakes). */
#include "tests/fakes/mem_table.h"

#include "tests/fakes/mem_transaction.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"

void mem_table_init(struct mem_table *t, size_t row_size)
{
	memset(t, 0, sizeof *t);
	t->row_size = row_size;
}

void mem_table_release(void *self)
{
	struct mem_table *t = self;

	free(t->snap);
	t->snap = NULL;
	t->snap_n = 0;
	t->has_snap = false;
}

void mem_table_cleanup(struct mem_table *t)
{
	if (!t)
		return;
	mem_table_release(t);
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
	t->cap = 0;
}

void *mem_table_at(const struct mem_table *t, size_t i)
{
	return t->rows + i * t->row_size;
}

int mem_table_append(struct mem_table *t, const void *row)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		unsigned char *rows = realloc(t->rows, cap * t->row_size);
		if (!rows)
			return APP_ENOMEM;
		t->rows = rows;
		t->cap = cap;
	}
	memcpy(t->rows + t->n * t->row_size, row, t->row_size);
	t->n++;
	return 0;
}

void *mem_table_find_uuid(const struct mem_table *t, size_t key, const char *uuid)
{
	for (size_t i = 0; i < t->n; i++) {
		unsigned char *row = mem_table_at(t, i);
		const struct uuid *u = (const struct uuid *)(row + key);
		if (strcmp(u->str, uuid) == 0)
			return row;
	}
	return NULL;
}

int mem_table_read_uuid(const struct mem_table *t, size_t key, const char *uuid, void *out)
{
	const void *row = mem_table_find_uuid(t, key, uuid);

	if (!row)
		return APP_ENOTFOUND;
	memcpy(out, row, t->row_size);
	return 0;
}

bool mem_page_take(const struct pagina *page, size_t n, long *total)
{
	bool on_page = *total >= pagina_offset(page) && (long)n < page->por_pagina;

	(*total)++;
	return on_page;
}

void mem_table_page(const struct mem_table *t, mem_row_match match, const void *arg,
                    bool newest_first, const struct pagina *page, void *out, size_t *n, long *total)
{
	*n = 0;
	*total = 0;
	for (size_t k = 0; k < t->n; k++) {
		const void *row = mem_table_at(t, newest_first ? t->n - 1 - k : k);
		if (match && !match(row, arg))
			continue;
		if (mem_page_take(page, *n, total))
			memcpy((unsigned char *)out + (*n)++ * t->row_size, row, t->row_size);
	}
}

bool mem_contains_nocase(const char *texto, const char *parte)
{
	size_t n = strlen(parte);

	for (const char *p = texto;; p++) {
		size_t i = 0;
		while (i < n && p[i] &&
		       tolower((unsigned char)p[i]) == tolower((unsigned char)parte[i]))
			i++;
		if (i == n)
			return true;
		if (!*p)
			return false;
	}
}

int mem_table_snapshot(void *self)
{
	struct mem_table *t = self;

	mem_table_release(t);
	if (t->n > 0) {
		if (!(t->snap = malloc(t->n * t->row_size)))
			return APP_ENOMEM;
		memcpy(t->snap, t->rows, t->n * t->row_size);
	}
	t->snap_n = t->n;
	t->has_snap = true;
	return 0;
}

void mem_table_restore(void *self)
{
	struct mem_table *t = self;

	if (!t->has_snap)
		return;
	/* The rows array is at least as large as it was at the snapshot: it only grows. */
	if (t->snap_n > 0)
		memcpy(t->rows, t->snap, t->snap_n * t->row_size);
	t->n = t->snap_n;
	mem_table_release(t);
}

void mem_uuid_make(unsigned kind, unsigned long serial, struct uuid *out)
{
	snprintf(out->str, sizeof out->str, "%08x-0000-4000-8000-%012lx", kind & 0xffffffffu,
	         serial & 0xffffffffffffUL);
}

void mem_table_enlist(struct mem_table *t, struct mem_transaction *tx)
{
	if (tx) {
		struct mem_tx_member member = {mem_table_snapshot, mem_table_restore,
		                               mem_table_release, t};
		mem_transaction_enlist(tx, &member);
	}
}
