/*
 * Password hashing with Argon2id (infrastructure layer): the libsodium adapter behind
 * application/ports/password_hasher.h, and the gate that bounds how much memory the hashes of
 * one process may take at once. New hashes are crypto_pwhash_str strings with the parameters
 * below; older hashes (other parameters) still verify, with their own parameters, and
 * needs_rehash reports them. Verification against a missing hash costs as much as against a
 * current one, so that an unknown e-mail cannot be told from a wrong password by timing.
 */
#ifndef OFICINA_INFRASTRUCTURE_AUTH_PASSWORD_H
#define OFICINA_INFRASTRUCTURE_AUTH_PASSWORD_H

#include <pthread.h>
#include <stddef.h>

#include "application/ports/password_hasher.h"

/*
 * Argon2id parameters of new hashes: OWASP's Password Storage Cheat Sheet recommends, for
 * Argon2id, at least m=19456 KiB (19 MiB), t=2, p=1. libsodium's crypto_pwhash_str always uses
 * one lane (p=1). The previous parameters (libsodium's INTERACTIVE: 64 MiB) made two concurrent
 * logins take more memory than the pod is allowed.
 */
#define PASSWORD_OPSLIMIT     2ULL                       /* t: passes over the memory */
#define PASSWORD_MEMLIMIT     ((size_t)19 * 1024 * 1024) /* m in bytes: 19456 KiB */
#define PASSWORD_MEMLIMIT_KIB (PASSWORD_MEMLIMIT / 1024) /* m as the encoded string spells it */

#define PASSWORD_GATE_WAIT_MS_DEFAULT 2000 /* a sensible wait_ms for password_gate_init */
#define PASSWORD_GATE_CONCURRENCY_MAX 256U /* more units than any pod could give memory for */

struct password_gate_waiter; /* a caller queued in password_gate_acquire (on its stack) */

/*
 * Bounds the Argon2id runs of a process by the memory they take. The gate has `concurrency`
 * units; one unit is the memory of one hash with PASSWORD_MEMLIMIT, and a run takes
 * ceil(its m / PASSWORD_MEMLIMIT) units, at least 1 and at most all of them. So the memory of
 * the runs in flight stays below max(concurrency x 19 MiB, the largest single hash). A caller
 * waits at most wait_ms for its units, and at most 2 x concurrency callers wait at once; past
 * either bound it is told APP_EBUSY. Callers are served first come, first served. Caller-owned
 * storage: password_gate_init / password_gate_cleanup; it must not move once initialised.
 */
struct password_gate {
	pthread_mutex_t mu;                /* guards every field below */
	pthread_cond_t cv;                 /* signalled when units come back or the queue moves */
	unsigned concurrency;              /* units in all */
	unsigned free_units;               /* units nobody holds */
	unsigned waiting;                  /* callers in the queue */
	unsigned max_waiting;              /* 2 x concurrency */
	int wait_ms;                       /* longest wait for units */
	struct password_gate_waiter *head; /* oldest waiter: the only one that may take units */
	struct password_gate_waiter *tail; /* newest waiter */
};

/*
 * Prepares g with `concurrency` units (the process's PASSWORD_HASH_CONCURRENCY) and a wait of at
 * most wait_ms milliseconds (0: never wait). 0; APP_EINVALID when concurrency is 0 or above
 * PASSWORD_GATE_CONCURRENCY_MAX or wait_ms is negative; APP_ENOMEM when the mutex or the
 * condition variable cannot be created. Release with password_gate_cleanup.
 */
int password_gate_init(struct password_gate *g, unsigned concurrency, int wait_ms);

/* Destroys what password_gate_init created. Nobody may hold or wait for units. Accepts NULL. */
void password_gate_cleanup(struct password_gate *g);

/*
 * Takes `units` units of g (clamped to [1, concurrency]), waiting behind earlier callers for at
 * most g's wait_ms. 0, or APP_EBUSY when the wait ran out or too many callers already wait.
 * The hasher calls this; it is exported for tests and for callers with their own Argon2 runs.
 */
int password_gate_acquire(struct password_gate *g, unsigned units);

/* Gives back what password_gate_acquire took; pass the same `units`. */
void password_gate_release(struct password_gate *g, unsigned units);

/*
 * The units a verification of the encoded hash takes in g: ceil(its m= / PASSWORD_MEMLIMIT_KIB)
 * clamped to [1, concurrency]. NULL (the dummy hash) and a malformed string take 1.
 */
unsigned password_gate_units_for(const struct password_gate *g, const char *hash);

/* A snapshot of g, for metrics and tests: units held now and callers waiting. */
void password_gate_stats(struct password_gate *g, unsigned *in_use, unsigned *waiting);

/*
 * Fills *h with the Argon2id port; self is gate, which may be NULL for no gate (a CLI that
 * hashes one password in its own process). gate, when given, must outlive *h. Calls
 * sodium_init(), which is idempotent and thread-safe. The port's functions:
 *   hash:         0; APP_EINVALID when senha is NULL; APP_ENOMEM when Argon2id cannot get its
 *                 memory; APP_EINTERNAL when libsodium cannot initialise; APP_EBUSY from the gate.
 *   verify:       0 when senha matches hash, APP_EBUSY from the gate, else APP_EUNAUTHORIZED
 *                 (also for a NULL or malformed hash and a NULL senha). hash == NULL verifies
 *                 against a dummy hash with the current parameters, computed once.
 *   needs_rehash: true when hash was not made with PASSWORD_OPSLIMIT and PASSWORD_MEMLIMIT
 *                 (or is not an Argon2id string); false for NULL.
 */
void password_hasher_init(struct password_hasher *h, struct password_gate *gate);

#endif
