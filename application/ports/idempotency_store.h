/*
 * Port: where the answers of requests sent with an Idempotency-Key are kept (application layer,
 * SPEC §5 Idempotency). A key belongs to a scope (who asks, method and path) and lives
 * IDEMPOTENCY_TTL_SECONDS; an older row is ignored and replaced.
 *
 * The protocol that gives one effect for concurrent duplicates:
 *   claim     — before doing anything, in its own short transaction (INSERT ... ON CONFLICT):
 *               exactly one of many simultaneous callers gets IDEMPOTENCY_CLAIMED;
 *   complete  — the one who claimed stores the answer;
 *   release   — or gives the key up (the answer was a 5xx), so that a retry runs again;
 *   find      — a duplicate that found the key in progress polls until the answer is there.
 * The adapter hashes the body itself (SHA-256), so that the caller needs no crypto library.
 * Implemented by infrastructure/postgres/pg_idempotency_store.c.
 */
#ifndef OFICINA_APPLICATION_PORTS_IDEMPOTENCY_STORE_H
#define OFICINA_APPLICATION_PORTS_IDEMPOTENCY_STORE_H

#include <stddef.h>
#include <stdlib.h>

#define IDEMPOTENCY_KEY_MAX       255   /* bytes of a key, printable ASCII */
#define IDEMPOTENCY_TTL_SECONDS   86400 /* a key lives 24 hours */
#define IDEMPOTENCY_LEASE_SECONDS 60    /* a claim in progress older than this was abandoned */
#define IDEMPOTENCY_LOCATION_MAX  512   /* room for a stored Location, NUL included */

enum idempotency_state {
	IDEMPOTENCY_CLAIMED = 1,     /* the caller holds the key: run, then complete or release */
	IDEMPOTENCY_IN_PROGRESS = 2, /* another request with the same body holds it */
	IDEMPOTENCY_DONE = 3,     /* answered before, with the same body: the answer is in *ans */
	IDEMPOTENCY_MISMATCH = 4, /* the key was used with another body */
};

/* A stored answer. Caller-owned; release with idempotency_answer_cleanup. */
struct idempotency_answer {
	int status;                              /* HTTP status of the first answer */
	char *body;                              /* its body (malloc'd), or NULL for none */
	char location[IDEMPOTENCY_LOCATION_MAX]; /* its Location header, or "" */
};

struct idempotency_store_ops {
	/*
	 * Claims key chave in escopo for a request with this body (len bytes; body may be NULL
	 * when len is 0) and sets *state. A row older than IDEMPOTENCY_TTL_SECONDS, or a claim
	 * still in progress after IDEMPOTENCY_LEASE_SECONDS, is taken over (CLAIMED). On DONE *ans
	 * holds the stored answer; otherwise ans->body is NULL. 0, APP_EUNAVAILABLE, APP_ENOMEM,
	 * APP_EINTERNAL.
	 */
	int (*claim)(void *self, const char *escopo, const char *chave, const void *body,
	             size_t len, enum idempotency_state *state, struct idempotency_answer *ans);
	/*
	 * Like claim without claiming: *state is IN_PROGRESS, DONE or MISMATCH for a live key, and
	 * APP_ENOTFOUND is answered when there is none (expired, released or never claimed).
	 */
	int (*find)(void *self, const char *escopo, const char *chave, const void *body, size_t len,
	            enum idempotency_state *state, struct idempotency_answer *ans);
	/*
	 * Stores the answer of a claimed key (body and location may be NULL). APP_ENOTFOUND when
	 * the claim is no longer held (it was taken over); APP_EUNAVAILABLE.
	 */
	int (*complete)(void *self, const char *escopo, const char *chave, int status,
	                const char *body, const char *location);
	/* Gives a claimed key up (deletes the claim in progress). 0 also when it was not held. */
	int (*release)(void *self, const char *escopo, const char *chave);
};

struct idempotency_store {
	const struct idempotency_store_ops *ops; /* static const table; NULL: no store */
	void *self;                              /* adapter state */
};

/* Frees ans->body and empties *ans. Accepts NULL. */
static inline void idempotency_answer_cleanup(struct idempotency_answer *ans)
{
	if (!ans)
		return;
	free(ans->body);
	ans->body = NULL;
	ans->status = 0;
	ans->location[0] = '\0';
}

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int idempotency_store_claim(const struct idempotency_store *port, const char *escopo,
                                          const char *chave, const void *body, size_t len,
                                          enum idempotency_state *state,
                                          struct idempotency_answer *ans)
{
	return port->ops->claim(port->self, escopo, chave, body, len, state, ans);
}

static inline int idempotency_store_find(const struct idempotency_store *port, const char *escopo,
                                         const char *chave, const void *body, size_t len,
                                         enum idempotency_state *state,
                                         struct idempotency_answer *ans)
{
	return port->ops->find(port->self, escopo, chave, body, len, state, ans);
}

static inline int idempotency_store_complete(const struct idempotency_store *port,
                                             const char *escopo, const char *chave, int status,
                                             const char *body, const char *location)
{
	return port->ops->complete(port->self, escopo, chave, status, body, location);
}

static inline int idempotency_store_release(const struct idempotency_store *port,
                                            const char *escopo, const char *chave)
{
	return port->ops->release(port->self, escopo, chave);
}

#endif
