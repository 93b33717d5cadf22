/* Sharded fixed-window request counter per client address (presentation layer). */
#include "presentation/http/rate_limit.h"
#include "domain/heap.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SHARDS          64
#define SLOTS_PER_SHARD 256 /* open addressing; a full shard recycles stale windows */

struct slot {
	uint64_t key; /* hash of the address; 0 = empty */
	long window;  /* minute number of the count */
	long count;   /* requests in that minute */
};

struct shard {
	pthread_mutex_t lock;
	struct slot slots[SLOTS_PER_SHARD];
};

struct rate_limit {
	long per_minute;
	struct shard shards[SHARDS];
};

struct rate_limit *rate_limit_new(long per_minute)
{
	if (per_minute <= 0)
		return NULL;
	struct rate_limit *rl = heap_calloc(1, sizeof *rl);
	if (!rl)
		return NULL;
	rl->per_minute = per_minute;
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_init(&rl->shards[i].lock, NULL);
	return rl;
}

void rate_limit_free(struct rate_limit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_destroy(&rl->shards[i].lock);
	heap_free(rl);
}

/* FNV-1a of the client's address text. */
static uint64_t address_key(const char *client)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)(client ? client : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ? h : 1;
}

bool rate_limit_take(struct rate_limit *rl, const char *client, int *retry_after)
{
	if (!rl)
		return true;
	time_t now = time(NULL);
	long window = (long)(now / 60);
	uint64_t key = address_key(client);
	struct shard *sh = &rl->shards[key % SHARDS];
	struct slot *slot = NULL;
	bool allowed;

	pthread_mutex_lock(&sh->lock);
	for (size_t i = 0; i < SLOTS_PER_SHARD; i++) {
		struct slot *s = &sh->slots[(key / SHARDS + i) % SLOTS_PER_SHARD];
		if (s->key == key || s->key == 0 || s->window != window) {
			slot = s; /* ours, a free one, or a stale one to reuse */
			if (s->key == key || s->key == 0)
				break;
		}
	}
	if (!slot) {
		/* Every slot is live in this minute: count the newcomer against a shared slot. */
		slot = &sh->slots[key % SLOTS_PER_SHARD];
	}
	if (slot->key != key || slot->window != window) {
		slot->key = key;
		slot->window = window;
		slot->count = 0;
	}
	allowed = ++slot->count <= rl->per_minute;
	pthread_mutex_unlock(&sh->lock);
	if (!allowed && retry_after)
		*retry_after = (int)(60 - now % 60);
	return allowed;
}
