/*
 * An adaptive limit on how many jobs run at once (presentation layer), in the spirit of TCP Vegas
 * as used by Netflix's concurrency-limits and Envoy's adaptive concurrency filter.
 *
 * Why: a worker waiting on a database 1 ms away costs nothing, so many should wait at once; but
 * when the database is near (or the CPU is the bottleneck) every extra running worker only adds
 * threads competing for the same cores, and latency grows for everyone — the I/O threads
 * included. The right number depends on the deployment, so it is measured: each job's service
 * time is compared with the best time seen for its class (its route). Averaged over a window,
 * that ratio says how much of the time went to waiting for a shared resource rather than to
 * work: below a band the limit grows by one, above it it shrinks by one, inside it it holds —
 * unless jobs were waiting in the queue for most of the window: then demand is beyond the limit,
 * and it holds only in the band's upper half, growing through the lower one. Without that, a
 * limit pushed down by a burst held wherever it landed in the band: through a database 1 ms away
 * the bench saw it sit at 8 running jobs for a whole run, 4 000 req/s and a p99 of 81 ms, where 25
 * (as much inside the band) served 9 100 req/s at 17 ms; the queue in front of the slots, which
 * the ratio does not see, held the difference.
 *
 * A class's best time is the minimum over the current and the previous epoch of 5 s (a windowed
 * minimum, as BBR keeps its minimum RTT): it never drifts up under steady load, and a lasting
 * change — a database moved further away — is learned within two epochs. A limit with
 * min == max is fixed and never measured.
 *
 * Acquire/release are semaphores; sampling is a few atomics, and one sampler at a time (a
 * try-lock, never waited on) folds a window of samples into the limit.
 */
#ifndef OFICINA_PRESENTATION_HTTP_CONCURRENCY_LIMIT_H
#define OFICINA_PRESENTATION_HTTP_CONCURRENCY_LIMIT_H

#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define CLIMIT_CLASSES 128 /* sample classes (routes); more share the last */
#define CLIMIT_WINDOW  256 /* samples folded into one decision */

struct concurrency_limit {
	unsigned min, max;          /* bounds of the limit */
	atomic_uint limit;          /* how many may run now */
	sem_t slots;                /* free slots */
	sem_t returns;              /* slots handed to parked callers resuming (they go first) */
	atomic_uint owed;           /* slots to swallow after a decrease */
	atomic_uint returning;      /* parked callers waiting to run again */
	atomic_ulong window_n;      /* samples in the window */
	atomic_ulong window_ratio;  /* their sum of now / best, in 1/1024ths */
	atomic_ulong window_queued; /* those that ended with jobs waiting in the queue */
	atomic_flag deciding;       /* one sampler folds the window at a time */
	bool settling;              /* the last window changed the limit: the next one is ignored */
	_Atomic int64_t epoch_end_ns; /* when the current epoch of best times ends */
	_Atomic uint64_t best_now_ns[CLIMIT_CLASSES];  /* best time this epoch; 0: none yet */
	_Atomic uint64_t best_last_ns[CLIMIT_CLASSES]; /* best time the epoch before; 0: none */
};

/*
 * A limit between min and max (1 <= min <= initial <= max), starting at initial. 0, or
 * APP_EINVALID. Release with climit_cleanup.
 */
int climit_init(struct concurrency_limit *cl, unsigned min, unsigned initial, unsigned max);

/* Releases what climit_init made. Nobody may hold or wait for a slot. */
void climit_cleanup(struct concurrency_limit *cl);

/* Waits for a slot. The caller bounds the wait by what it waits for (see worker_pool.c). */
void climit_acquire(struct concurrency_limit *cl);

/*
 * A parked caller that wants to run again. It takes a free slot if there is one; otherwise it
 * announces itself — from then on every released slot goes to returning callers before anyone
 * else, and climit_yield_due tells holders to give theirs up — calls nudge(arg) (to wake an idle
 * holder, which then yields), and waits. So a request half done resumes before new ones start;
 * the wait lasts at most until some holder's current job ends.
 */
void climit_return(struct concurrency_limit *cl, void (*nudge)(void *arg), void *arg);

/* Whether a holder that could keep its slot for more work should give it back now. */
bool climit_yield_due(struct concurrency_limit *cl);

/* Gives a slot back (or keeps it, when the limit went down meanwhile). */
void climit_release(struct concurrency_limit *cl);

/*
 * One job of class took service_ns of running (parked time excluded); queued: other jobs were
 * waiting for a slot when it ended.
 */
void climit_sample(struct concurrency_limit *cl, unsigned class, int64_t service_ns, bool queued);

/* Wakes n callers waiting in climit_acquire, whatever the limit (for shutting down only). */
void climit_unblock(struct concurrency_limit *cl, unsigned n);

/* The limit now. */
unsigned climit_current(struct concurrency_limit *cl);

#endif
