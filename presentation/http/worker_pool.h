/*
 * A pool of handler workers fed by a bounded queue (presentation layer). The I/O threads submit
 * jobs and go back to their event loops at once; a worker runs each job to its end with plain
 * synchronous code, so a job that waits (on PostgreSQL, on a password hash) holds up only itself.
 *
 * How many of the workers run at once is an adaptive limit (concurrency_limit.h): enough to keep
 * a distant database busy, few enough that running workers do not crowd the cores when the
 * database is near. A job that waits long (a lock) parks — gives its slot back — so jobs stuck
 * on the database never keep the others from running (worker_pool_park).
 *
 * Nothing waits without bound: a full queue refuses the job at submission, a job that waited in
 * the queue longer than queue_timeout_ms is handed to expire instead of run (by the worker that
 * finds it, or within about 10 ms by the pool's timer thread when every worker is busy), and
 * stopping the pool hands every job still queued to expire.
 */
#ifndef OFICINA_PRESENTATION_HTTP_WORKER_POOL_H
#define OFICINA_PRESENTATION_HTTP_WORKER_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a job is handed to expire instead of run. */
enum worker_pool_refusal {
	POOL_QUEUE_TIMEOUT, /* it waited longer than queue_timeout_ms */
	POOL_STOPPING,      /* the pool is stopping */
};

struct worker_pool_config {
	const char *name;     /* for thread names and messages ("handlers") */
	unsigned workers;     /* threads, >= 1 */
	unsigned min_running; /* the adaptive running limit's floor; 0: every worker may run */
	size_t max_queued;    /* jobs waiting at most, >= 1 */
	int queue_timeout_ms; /* a job that waited longer is expired, >= 1 */
	void *cls;            /* passed to the callbacks */
	/* On each worker thread before its first job: its context (NULL is allowed). */
	void *(*thread_start)(void *cls);
	/* On each worker thread when it ends. May be NULL. */
	void (*thread_end)(void *cls, void *ctx);
	/*
	 * Runs job on a worker with that worker's context; waited_ns is its time in the queue.
	 * Returns the job's class (its route) for the adaptive limit's measurements.
	 */
	unsigned (*run)(void *cls, void *job, void *ctx, int64_t waited_ns);
	/* A job that will not run (any thread): answer it and let it go. */
	void (*expire)(void *cls, void *job, enum worker_pool_refusal why);
};

struct worker_pool;

/* Starts the workers and the timer thread. Returns the pool, or NULL with a message in err. */
struct worker_pool *worker_pool_start(const struct worker_pool_config *cfg, char *err,
                                      size_t errlen);

/* Queues job for a worker. False when the queue is full or the pool stops: job is not taken. */
bool worker_pool_submit(struct worker_pool *p, void *job);

/*
 * Stops taking jobs (worker_pool_submit fails from now on), waits for the workers to finish the
 * job in hand, joins every thread and expires the jobs still queued (POOL_STOPPING). The pool
 * stays valid for worker_pool_submit (which fails) until worker_pool_free. Idempotent.
 */
void worker_pool_close(struct worker_pool *p);

/* Closes the pool if needed and frees it. Accepts NULL. */
void worker_pool_free(struct worker_pool *p);

/* Jobs waiting now. */
size_t worker_pool_queued(struct worker_pool *p);

/* Workers running a job now. */
unsigned worker_pool_busy(struct worker_pool *p);

/* How many workers may run at once now (the adaptive limit). */
unsigned worker_pool_running_limit(struct worker_pool *p);

/*
 * Called by a job about to wait long (on a lock, a sleep): gives its running slot back so that
 * other jobs may run meanwhile. worker_pool_unpark takes one again (waiting for it) when the wait
 * is over. Both do nothing outside a worker thread, and unpark nothing unless parked.
 */
void worker_pool_park(void);
void worker_pool_unpark(void);

/* Sleeps ms milliseconds parked (the slot free meanwhile), whatever signals interrupt it. */
void worker_pool_sleep_ms(long ms);

#endif
