/* The allocation hook (domain layer). */
#include "domain/heap.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static atomic_bool armed;
static atomic_ulong fail_at, attempts;

/* Whether this allocation is the one a test asked to fail. */
static bool fails(void)
{
	if (!atomic_load_explicit(&armed, memory_order_relaxed))
		return false;
	return atomic_fetch_add(&attempts, 1) + 1 == atomic_load(&fail_at);
}

void *heap_alloc(size_t n)
{
	return fails() ? NULL : malloc(n);
}

void *heap_calloc(size_t count, size_t size)
{
	return fails() ? NULL : calloc(count, size);
}

void *heap_realloc(void *p, size_t n)
{
	return fails() ? NULL : realloc(p, n);
}

char *heap_strdup(const char *s)
{
	return fails() ? NULL : strdup(s);
}

char *heap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : strndup(s, n);
}

void heap_free(void *p)
{
	free(p);
}

void heap_fail_at(unsigned long nth)
{
	atomic_store(&attempts, 0);
	atomic_store(&fail_at, nth);
	atomic_store(&armed, nth != 0);
}

unsigned long heap_attempts(void)
{
	return atomic_load(&attempts);
}
