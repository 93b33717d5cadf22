/* A growable array of fixed-size rows with a snapshot (tests/fakes). */
#include "tests/fakes/mem_table.h"

#include "tests/fakes/mem_transaction.h"

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
