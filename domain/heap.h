/*
 * Every allocation of the server's own code goes through here (domain layer: the lowest, so every
 * layer may use it; libc only). One place that tests can make fail: heap_fail_at(n) makes the nth
 * allocation from then on return NULL, as libuv's test-loop-oom.c does through
 * uv_replace_allocator, so that each failure path runs and is checked for leaks under the
 * sanitizers. jansson allocates through it too: the server passes heap_alloc and heap_free to
 * json_set_alloc_funcs when it starts (presentation/http/server.c).
 *
 * Unarmed, an allocation costs one relaxed load of a flag that no thread writes: no shared
 * counter on the request path.
 */
#ifndef OFICINA_DOMAIN_HEAP_H
#define OFICINA_DOMAIN_HEAP_H

#include <stddef.h>

void *heap_alloc(size_t n);
void *heap_calloc(size_t count, size_t size);
void *heap_realloc(void *p, size_t n);
char *heap_strdup(const char *s);
char *heap_strndup(const char *s, size_t n);
void heap_free(void *p);

/*
 * For tests: the nth allocation from now fails (1: the next one), and every one after it
 * succeeds again; 0 disarms. Not meant for concurrent use: tests arm it around one call.
 */
void heap_fail_at(unsigned long nth);

/* For tests: allocations attempted since the last heap_fail_at (counted only while armed). */
unsigned long heap_attempts(void);

#endif
