/*
 * Per-client request limit (presentation layer): at most N requests per client address in each
 * minute (fixed window). The table is split into shards, each with its own small lock, so there
 * is no global lock on the request path; an address hashes to one shard.
 */
#ifndef OFICINA_PRESENTATION_HTTP_RATE_LIMIT_H
#define OFICINA_PRESENTATION_HTTP_RATE_LIMIT_H

#include <stdbool.h>

struct rate_limit;

/* A limiter of per_minute requests per address; NULL when per_minute <= 0 (no limit). */
struct rate_limit *rate_limit_new(long per_minute);

/* Frees the limiter. Accepts NULL. */
void rate_limit_free(struct rate_limit *rl);

/*
 * Counts a request from client (its address as text); true when it is allowed. When refused,
 * *retry_after gets the seconds until the window ends. A NULL limiter allows everything.
 */
bool rate_limit_take(struct rate_limit *rl, const char *client, int *retry_after);

#endif
