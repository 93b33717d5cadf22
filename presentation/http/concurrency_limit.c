/* An adaptive limit on the jobs running at once (presentation layer); see concurrency_limit.h. */
#include "presentation/http/concurrency_limit.h"

#include <errno.h>
#include <time.h>

#include "domain/errors.h"
#include "domain/monotonic.h"

#define RATIO_ONE 1024            /* fixed point: now / best == 1 */
#define RATIO_CAP (8 * RATIO_ONE) /* one outlier weighs at most this */
#define EPOCH_NS  5000000000LL    /* the best times are the minimum of two such epochs */
/*
 * The band of now / best where the limit holds: below it the limit grows, above it it shrinks.
 * Measured with make bench on 2 cores: a database 0.5 ms away each way keeps the ratio near 2.2
 * up to 16 running workers (while throughput grows with them), and 3.5 at 32; on loopback it is
 * about 3 already at 2 to 4 workers, and each worker more only adds latency.
 */
#define GROW_BELOW   (2.0 * RATIO_ONE)
#define SHRINK_ABOVE (2.6 * RATIO_ONE)
/* With jobs waiting for a slot it holds only in the band's upper half (concurrency_limit.h). */
#define GROW_QUEUED_BELOW ((GROW_BELOW + SHRINK_ABOVE) / 2)

int climit_init(struct concurrency_limit *cl, unsigned min, unsigned initial, unsigned max)
{
	if (min < 1 || initial < min || max < initial)
		return APP_EINVALID;
	cl->min = min;
	cl->max = max;
	cl->settling = false;
	atomic_init(&cl->limit, initial);
	atomic_init(&cl->owed, 0);
	atomic_init(&cl->returning, 0);
	atomic_init(&cl->window_n, 0);
	atomic_init(&cl->window_ratio, 0);
	atomic_init(&cl->window_queued, 0);
	atomic_flag_clear(&cl->deciding);
	atomic_init(&cl->epoch_end_ns, monotonic_ns() + EPOCH_NS);
	for (unsigned i = 0; i < CLIMIT_CLASSES; i++) {
		atomic_init(&cl->best_now_ns[i], 0);
		atomic_init(&cl->best_last_ns[i], 0);
	}
	if (sem_init(&cl->slots, 0, initial) != 0)
		return APP_EINVALID;
	if (sem_init(&cl->returns, 0, 0) != 0) {
		sem_destroy(&cl->slots);
		return APP_EINVALID;
	}
	return 0;
}

void climit_cleanup(struct concurrency_limit *cl)
{
	sem_destroy(&cl->slots);
	sem_destroy(&cl->returns);
}

void climit_acquire(struct concurrency_limit *cl)
{
	while (sem_wait(&cl->slots) != 0 && errno == EINTR)
		;
}

/* Takes one back from `returning`; false when it is 0 (every returner was handed a slot). */
static bool retract_return(struct concurrency_limit *cl)
{
	unsigned r = atomic_load(&cl->returning);
	while (r > 0)
		if (atomic_compare_exchange_weak(&cl->returning, &r, r - 1))
			return true;
	return false;
}

/*
 * Slots handed to returners are fungible: `returning` counts returners not yet handed one, and
 * `returns` holds the slots handed and not yet taken. A returner that finds a free slot after it
 * announced itself retracts; if it cannot (a releaser already handed a slot for it), it takes
 * that one too and gives one back, so the accounts stay exact.
 */
void climit_return(struct concurrency_limit *cl, void (*nudge)(void *arg), void *arg)
{
	if (sem_trywait(&cl->slots) == 0)
		return;
	atomic_fetch_add(&cl->returning, 1);
	if (sem_trywait(&cl->slots) == 0) { /* one was freed meanwhile */
		if (retract_return(cl))
			return;
		while (sem_wait(&cl->returns) != 0 && errno == EINTR)
			;
		climit_release(cl); /* the second slot */
		return;
	}
	if (nudge)
		nudge(arg);
	while (sem_wait(&cl->returns) != 0 && errno == EINTR)
		;
}

bool climit_yield_due(struct concurrency_limit *cl)
{
	return atomic_load_explicit(&cl->returning, memory_order_relaxed) > 0 ||
	       atomic_load_explicit(&cl->owed, memory_order_relaxed) > 0;
}

/* A free slot goes to a returning caller if one waits, else to whoever acquires next. */
static void hand_over(struct concurrency_limit *cl)
{
	unsigned returning = atomic_load(&cl->returning);
	while (returning > 0)
		if (atomic_compare_exchange_weak(&cl->returning, &returning, returning - 1)) {
			sem_post(&cl->returns);
			return;
		}
	sem_post(&cl->slots);
}

void climit_release(struct concurrency_limit *cl)
{
	unsigned owed = atomic_load(&cl->owed);
	while (owed > 0)
		if (atomic_compare_exchange_weak(&cl->owed, &owed, owed - 1))
			return; /* the limit went down: this slot is gone */
	hand_over(cl);
}

static void grow(struct concurrency_limit *cl)
{
	unsigned owed = atomic_load(&cl->owed);
	atomic_fetch_add(&cl->limit, 1);
	while (owed > 0)
		if (atomic_compare_exchange_weak(&cl->owed, &owed, owed - 1))
			return; /* a slot still owed back: keep it instead */
	hand_over(cl);
}

static void shrink(struct concurrency_limit *cl)
{
	atomic_fetch_sub(&cl->limit, 1);
	if (sem_trywait(&cl->slots) == 0)
		return;                 /* a free slot: gone at once */
	atomic_fetch_add(&cl->owed, 1); /* all held: the next release swallows one */
}

/* Slots in use now: the limit minus the free ones and those owed back. */
static unsigned in_use(struct concurrency_limit *cl)
{
	int free_slots = 0;
	sem_getvalue(&cl->slots, &free_slots);
	long used = (long)atomic_load(&cl->limit) + (long)atomic_load(&cl->owed) - free_slots;
	return used > 0 ? (unsigned)used : 0;
}

/* At the end of an epoch, its best times become the previous epoch's and a new one starts. */
static void next_epoch(struct concurrency_limit *cl)
{
	int64_t end = atomic_load(&cl->epoch_end_ns), now = monotonic_ns();
	if (now < end)
		return;
	atomic_store(&cl->epoch_end_ns, now + EPOCH_NS);
	for (unsigned i = 0; i < CLIMIT_CLASSES; i++)
		atomic_store(&cl->best_last_ns[i], atomic_exchange(&cl->best_now_ns[i], 0));
}

/*
 * Folds the window into the limit: one step up or down per window, and after a step the next
 * window is ignored (it mixes the old and the new load). It grows only while at least half of it
 * is in use: an idle server learns nothing about contention and must not drift to its maximum
 * meanwhile. In the band's lower half it grows too when jobs queued through most of the window
 * (see concurrency_limit.h). Only the sampler holding `deciding` runs this.
 */
static void decide(struct concurrency_limit *cl)
{
	unsigned long n = atomic_exchange(&cl->window_n, 0);
	unsigned long sum = atomic_exchange(&cl->window_ratio, 0);
	unsigned long queued = atomic_exchange(&cl->window_queued, 0);
	unsigned limit = atomic_load(&cl->limit);

	next_epoch(cl);
	if (n == 0)
		return;
	if (cl->settling) {
		cl->settling = false;
		return;
	}
	unsigned long ratio = sum / n;
	bool demand_beyond = queued * 2 > n;
	bool grows = ratio < GROW_BELOW || (demand_beyond && ratio < GROW_QUEUED_BELOW);
	if (grows && limit < cl->max && in_use(cl) * 2 >= limit) {
		grow(cl);
		cl->settling = true;
	} else if (ratio > SHRINK_ABOVE && limit > cl->min) {
		shrink(cl);
		cl->settling = true;
	}
}

/* Lowers *best to t when t is better (or *best is unset). */
static void lower(_Atomic uint64_t *best, uint64_t t)
{
	uint64_t b = atomic_load(best);
	while ((b == 0 || t < b) && !atomic_compare_exchange_weak(best, &b, t))
		;
}

void climit_sample(struct concurrency_limit *cl, unsigned class, int64_t service_ns, bool queued)
{
	uint64_t t = service_ns > 0 ? (uint64_t)service_ns : 1;
	unsigned c = class < CLIMIT_CLASSES ? class : CLIMIT_CLASSES - 1;

	if (cl->min == cl->max)
		return;
	lower(&cl->best_now_ns[c], t);
	uint64_t best = atomic_load(&cl->best_now_ns[c]), last = atomic_load(&cl->best_last_ns[c]);
	if (last && last < best)
		best = last;
	if (best == 0 || best > t)
		best = t;
	unsigned long ratio = (unsigned long)(t * RATIO_ONE / best);
	atomic_fetch_add(&cl->window_ratio, ratio < RATIO_CAP ? ratio : RATIO_CAP);
	if (queued)
		atomic_fetch_add(&cl->window_queued, 1);
	if (atomic_fetch_add(&cl->window_n, 1) + 1 >= CLIMIT_WINDOW &&
	    !atomic_flag_test_and_set(&cl->deciding)) {
		decide(cl);
		atomic_flag_clear(&cl->deciding);
	}
}

void climit_unblock(struct concurrency_limit *cl, unsigned n)
{
	while (n-- > 0) {
		sem_post(&cl->slots);
		sem_post(&cl->returns);
	}
}

unsigned climit_current(struct concurrency_limit *cl)
{
	return atomic_load(&cl->limit);
}
