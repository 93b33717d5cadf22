/*
 * Argon2id password hashing with libsodium, and the memory-weighted gate in front of it
 * (infrastructure layer). The dummy hash used when there is no user to compare against is
 * computed once, on first need, under pthread_once.
 */
#include "infrastructure/auth/password.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "domain/errors.h"
#include "domain/monotonic.h"

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "PASSWORD_HASH_MAX too small");
_Static_assert(PASSWORD_OPSLIMIT >= crypto_pwhash_OPSLIMIT_MIN, "PASSWORD_OPSLIMIT too small");
_Static_assert(PASSWORD_MEMLIMIT >= crypto_pwhash_MEMLIMIT_MIN, "PASSWORD_MEMLIMIT too small");
_Static_assert(PASSWORD_MEMLIMIT % 1024 == 0, "Argon2 counts memory in KiB");

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES]; /* written once under dummy_once, then read-only */

/*
 * One caller queued in password_gate_acquire. It lives on that caller's stack and is linked into
 * the gate's queue only while the caller is inside password_gate_acquire.
 */
struct password_gate_waiter {
	unsigned units;                    /* what it needs */
	struct password_gate_waiter *next; /* the one queued after it */
};

/* ---- the gate ---------------------------------------------------------------------------- */

int password_gate_init(struct password_gate *g, unsigned concurrency, int wait_ms)
{
	pthread_condattr_t attr;
	int rc = APP_ENOMEM;

	memset(g, 0, sizeof *g);
	if (concurrency == 0 || concurrency > PASSWORD_GATE_CONCURRENCY_MAX || wait_ms < 0)
		return APP_EINVALID;
	if (pthread_condattr_init(&attr) != 0)
		return APP_ENOMEM;
	/* Deadlines are monotonic, so a wall-clock step can neither stretch nor cut a wait. */
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0)
		goto out_attr;
	if (pthread_mutex_init(&g->mu, NULL) != 0)
		goto out_attr;
	if (pthread_cond_init(&g->cv, &attr) != 0) {
		pthread_mutex_destroy(&g->mu);
		goto out_attr;
	}
	g->concurrency = concurrency;
	g->free_units = concurrency;
	g->max_waiting = 2 * concurrency;
	g->wait_ms = wait_ms;
	rc = 0;
out_attr:
	pthread_condattr_destroy(&attr);
	return rc;
}

void password_gate_cleanup(struct password_gate *g)
{
	if (!g || g->concurrency == 0)
		return;
	assert(g->head == NULL && g->free_units == g->concurrency);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	g->concurrency = 0;
}

static unsigned clamp_units(const struct password_gate *g, unsigned units)
{
	if (units < 1)
		return 1;
	return units > g->concurrency ? g->concurrency : units;
}

static bool passed(const struct timespec *deadline)
{
	return monotonic_ns() >= monotonic_to_ns(deadline);
}

/* Unlinks w from g's queue, wherever it is (a waiter that gives up may be anywhere). */
static void queue_remove(struct password_gate *g, struct password_gate_waiter *w)
{
	struct password_gate_waiter **p = &g->head, *prev = NULL;

	while (*p && *p != w) {
		prev = *p;
		p = &(*p)->next;
	}
	assert(*p == w);
	*p = w->next;
	if (g->tail == w)
		g->tail = prev;
	g->waiting--;
}

/*
 * Strict FIFO: only the oldest waiter may take units, and a newcomer goes straight in only when
 * nobody waits. So a waiter that needs 4 units holds back 1-unit callers that arrive after it,
 * even while a unit is free; otherwise a steady stream of small verifications could keep 4 units
 * from ever being free at once, and a user with a legacy hash could never log in. The cost is
 * that a free unit may idle while the head waits for more; with at most 2 x concurrency waiters
 * and runs of a fraction of a second, that is short.
 *
 * Every change wakes every waiter (broadcast) and each checks whether it is now the head with
 * enough units. The queue is at most 2 x concurrency long, so the spurious wake-ups are cheap,
 * and one condition variable is simpler than one per waiter.
 */
int password_gate_acquire(struct password_gate *g, unsigned units)
{
	struct password_gate_waiter me = {.units = clamp_units(g, units), .next = NULL};
	struct timespec deadline;
	int rc = 0;

	pthread_mutex_lock(&g->mu);
	if (g->head == NULL && g->free_units >= me.units) {
		g->free_units -= me.units;
		goto out;
	}
	/* No wait allowed, or enough callers wait already: answer now rather than pile up. */
	if (g->wait_ms == 0 || g->waiting >= g->max_waiting) {
		rc = APP_EBUSY;
		goto out;
	}
	deadline = monotonic_in_ms(g->wait_ms);
	if (g->tail)
		g->tail->next = &me;
	else
		g->head = &me;
	g->tail = &me;
	g->waiting++;
	for (;;) {
		int w;

		if (g->head == &me && g->free_units >= me.units) {
			queue_remove(g, &me);
			g->free_units -= me.units;
			/* The next waiter may fit in what is left. */
			if (g->head && g->free_units > 0)
				pthread_cond_broadcast(&g->cv);
			break;
		}
		w = pthread_cond_timedwait(&g->cv, &g->mu, &deadline);
		/* The condition is checked again first: units that came at the deadline count. */
		if ((w == ETIMEDOUT || passed(&deadline)) &&
		    !(g->head == &me && g->free_units >= me.units)) {
			queue_remove(g, &me);
			/* Whoever was behind may now be the head, and may fit. */
			if (g->head)
				pthread_cond_broadcast(&g->cv);
			rc = APP_EBUSY;
			break;
		}
	}
out:
	pthread_mutex_unlock(&g->mu);
	return rc;
}

void password_gate_release(struct password_gate *g, unsigned units)
{
	pthread_mutex_lock(&g->mu);
	g->free_units += clamp_units(g, units);
	assert(g->free_units <= g->concurrency);
	if (g->head)
		pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

void password_gate_stats(struct password_gate *g, unsigned *in_use, unsigned *waiting)
{
	pthread_mutex_lock(&g->mu);
	*in_use = g->concurrency - g->free_units;
	*waiting = g->waiting;
	pthread_mutex_unlock(&g->mu);
}

/*
 * m= of an encoded Argon2 hash ("$argon2id$v=19$m=65536,t=2,p=1$salt$digest"), in KiB, or 0
 * when the string is not one. Salt and digest are unpadded base64, which has no '$' or '=', so
 * "$m=" can only be the parameter.
 */
static unsigned long encoded_m_kib(const char *hash)
{
	const char *p;
	unsigned long m = 0;

	if (!hash || strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES ||
	    strncmp(hash, "$argon2", 7) != 0 || !(p = strstr(hash, "$m=")))
		return 0;
	p += 3;
	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		m = m * 10 + (unsigned long)(*p - '0');
		if (m > 0xffffffffUL) /* Argon2 keeps m in 32 bits */
			return 0;
	}
	return *p == ',' ? m : 0;
}

unsigned password_gate_units_for(const struct password_gate *g, const char *hash)
{
	unsigned long m = encoded_m_kib(hash);
	unsigned long units = (m + PASSWORD_MEMLIMIT_KIB - 1) / PASSWORD_MEMLIMIT_KIB;

	/* A malformed hash fails verification before Argon2 allocates anything: 1 unit is ample. */
	if (units < 1)
		return 1;
	return units > g->concurrency ? g->concurrency : (unsigned)units;
}

/* ---- the hasher -------------------------------------------------------------------------- */

/* sodium_init is idempotent and thread-safe; after the first call it only takes a short lock. */
static int sodium_ready(void)
{
	return sodium_init() >= 0;
}

static void dummy_init(void)
{
	unsigned char pw[32];

	/* A password nobody knows, so the dummy can never match. */
	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof(pw), PASSWORD_OPSLIMIT,
	                      PASSWORD_MEMLIMIT) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

static int argon_hash(void *self, const char *senha, char out[PASSWORD_HASH_MAX])
{
	struct password_gate *gate = self;
	int rc = 0;

	out[0] = '\0';
	if (senha == NULL)
		return APP_EINVALID;
	if (!sodium_ready())
		return APP_EINTERNAL;
	if (gate && (rc = password_gate_acquire(gate, 1)) != 0)
		return rc;
	/* crypto_pwhash_str fails only when it cannot allocate PASSWORD_MEMLIMIT bytes. */
	if (crypto_pwhash_str(out, senha, strlen(senha), PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) !=
	    0) {
		out[0] = '\0';
		rc = APP_ENOMEM;
	}
	if (gate)
		password_gate_release(gate, 1);
	return rc;
}

static int argon_verify(void *self, const char *hash, const char *senha)
{
	struct password_gate *gate = self;
	const char *against = hash;
	unsigned units = 0;
	int rc;

	if (!sodium_ready())
		return APP_EUNAUTHORIZED;
	/*
	 * The gate comes first, whatever the hash: a saturated process answers APP_EBUSY to every
	 * login alike, so that the answer says nothing about the account. The units are also taken
	 * before the dummy is computed: its first computation is itself an Argon2 run, on the
	 * thread of whoever needs it first.
	 */
	if (gate) {
		units = password_gate_units_for(gate, hash);
		if ((rc = password_gate_acquire(gate, units)) != 0)
			return rc;
	}
	if (hash == NULL) {
		pthread_once(&dummy_once, dummy_init);
		against = dummy_hash;
	}
	if (senha == NULL)
		senha = "";
	/* An encoded hash always fits in crypto_pwhash_STRBYTES; anything longer is not one. */
	if (against[0] == '\0' ||
	    strnlen(against, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES ||
	    crypto_pwhash_str_verify(against, senha, strlen(senha)) != 0 || hash == NULL)
		rc = APP_EUNAUTHORIZED;
	else
		rc = 0;
	if (gate)
		password_gate_release(gate, units);
	return rc;
}

static bool argon_needs_rehash(void *self, const char *hash)
{
	(void)self;
	if (hash == NULL)
		return false;
	/* Longer than any encoded hash: not one, and libsodium would not look past STRBYTES. */
	if (strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return true;
	/* 1: other parameters or another algorithm (argon2i); -1: not an encoded hash at all. */
	return crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0;
}

static const struct password_hasher_ops argon_ops = {
    .hash = argon_hash,
    .verify = argon_verify,
    .needs_rehash = argon_needs_rehash,
};

void password_hasher_init(struct password_hasher *h, struct password_gate *gate)
{
	/* The server also calls sodium_init at start; a failure here is seen again by hash/verify.
	 */
	(void)sodium_ready();
	h->ops = &argon_ops;
	h->self = gate;
}
