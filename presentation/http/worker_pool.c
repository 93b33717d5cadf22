/* Handler workers fed by a bounded lock-free queue (presentation layer); see worker_pool.h. */
#include "presentation/http/worker_pool.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/heap.h"
#include "domain/monotonic.h"
#include "domain/periodic.h"
#include "presentation/http/concurrency_limit.h"
#include "presentation/http/job_queue.h"

#define TIMER_PERIOD_MS 10 /* how often the timer thread looks for expired jobs */

struct worker_pool {
	struct worker_pool_config cfg; /* copy */
	struct job_queue queue;        /* jobs waiting for a worker */
	sem_t available; /* posted once per queued job (and to wake workers at stop) */
	struct concurrency_limit running; /* how many workers may run a job at once */
	atomic_bool stopping;             /* no new job; workers leave after the one in hand */
	atomic_uint submitting;           /* submissions in progress (closing waits for them) */
	atomic_uint busy;                 /* workers running a job */
	pthread_t *threads;               /* the workers */
	unsigned started;                 /* workers started */
	struct periodic timer;            /* expires jobs that waited too long */
};

static int64_t timeout_ns(const struct worker_pool *p)
{
	return (int64_t)p->cfg.queue_timeout_ms * 1000000;
}

/* The running slot of the worker on this thread, for park and unpark. */
static _Thread_local struct {
	struct worker_pool *pool; /* NULL outside a worker */
	bool parked;              /* its slot is given back */
	int64_t parked_at;        /* since when */
	int64_t parked_ns;        /* time parked during the current job */
} self;

void worker_pool_park(void)
{
	if (!self.pool || self.parked)
		return;
	self.parked = true;
	self.parked_at = monotonic_ns();
	climit_release(&self.pool->running);
}

/* Wakes an idle slot holder (one waiting for work), which sees a returner and yields. */
static void nudge_idle(void *arg)
{
	struct worker_pool *p = arg;
	sem_post(&p->available);
}

void worker_pool_unpark(void)
{
	if (!self.pool || !self.parked)
		return;
	climit_return(&self.pool->running, nudge_idle, self.pool);
	self.parked = false;
	self.parked_ns += monotonic_ns() - self.parked_at;
}

void worker_pool_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	worker_pool_park();
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	worker_pool_unpark();
}

/* Runs (or expires) one job taken from the queue, holding a running slot. */
static void handle(struct worker_pool *p, void *job, int64_t queued_ns, void *ctx)
{
	int64_t start = monotonic_ns();
	int64_t waited = start - queued_ns;

	if (waited > timeout_ns(p)) {
		p->cfg.expire(p->cfg.cls, job, POOL_QUEUE_TIMEOUT);
		return;
	}
	atomic_fetch_add_explicit(&p->busy, 1, memory_order_relaxed);
	self.parked_ns = 0;
	unsigned class = p->cfg.run(p->cfg.cls, job, ctx, waited);
	worker_pool_unpark(); /* a job that ended parked */
	climit_sample(&p->running, class, monotonic_ns() - start - self.parked_ns,
	              job_queue_depth(&p->queue) > 0);
	atomic_fetch_sub_explicit(&p->busy, 1, memory_order_relaxed);
}

/*
 * A worker first takes a running slot, then sleeps until there is work (a post of `available`),
 * so a new job wakes only a worker that may run it. It then runs queued jobs back to back for as
 * long as there are some — handing its slot to another thread for each job would cost a wake-up
 * per request — unless a parked job waits to resume or the limit went down: then it gives the
 * slot back and queues for another. Jobs wait in the queue, never in a worker, so the timer can
 * still expire them.
 */
static void *worker_main(void *arg)
{
	struct worker_pool *p = arg;
	void *ctx = p->cfg.thread_start ? p->cfg.thread_start(p->cfg.cls) : NULL;
	int64_t queued_ns;
	void *job;

	self.pool = p;
	climit_acquire(&p->running);
	while (!atomic_load_explicit(&p->stopping, memory_order_acquire)) {
		while (sem_wait(&p->available) != 0 && errno == EINTR)
			;
		while (!atomic_load_explicit(&p->stopping, memory_order_acquire) &&
		       (job = job_queue_pop(&p->queue, &queued_ns)) != NULL) {
			handle(p, job, queued_ns, ctx);
			if (climit_yield_due(&p->running))
				break;
			/* The next job's post: keeps `available` near the queue's length. */
			sem_trywait(&p->available);
		}
		if (climit_yield_due(&p->running) &&
		    !atomic_load_explicit(&p->stopping, memory_order_acquire)) {
			climit_release(&p->running);
			climit_acquire(&p->running);
		}
	}
	climit_release(&p->running);
	if (p->cfg.thread_end)
		p->cfg.thread_end(p->cfg.cls, ctx);
	self.pool = NULL;
	return NULL;
}

/*
 * When every worker is busy for longer than the queue timeout, nobody would look at the queue:
 * the timer thread takes the jobs at its head that waited too long and expires them, so a queued
 * request is answered within about queue_timeout_ms whatever the workers are doing.
 */
static void expire_waited_too_long(void *arg)
{
	struct worker_pool *p = arg;
	void *job;

	while ((job = job_queue_pop_older(&p->queue, monotonic_ns() - timeout_ns(p), NULL)) !=
	       NULL) {
		sem_trywait(&p->available); /* the post that stood for it */
		p->cfg.expire(p->cfg.cls, job, POOL_QUEUE_TIMEOUT);
	}
}

struct worker_pool *worker_pool_start(const struct worker_pool_config *cfg, char *err,
                                      size_t errlen)
{
	struct worker_pool *p = heap_calloc(1, sizeof *p);
	int rc;

	if (!p || !(p->threads = heap_calloc(cfg->workers, sizeof *p->threads)) ||
	    job_queue_init(&p->queue, cfg->max_queued) != 0) {
		if (p)
			heap_free(p->threads);
		heap_free(p);
		snprintf(err, errlen, "%s: out of memory", cfg->name);
		return NULL;
	}
	p->cfg = *cfg;
	/*
	 * Between a floor that keeps the cores busy and every worker, starting halfway: where the
	 * database is near, the measurements come fast and the limit falls in a fraction of a
	 * second; where it is far they come slower, and starting low would take seconds to climb.
	 */
	unsigned floor =
	    cfg->min_running && cfg->min_running < cfg->workers ? cfg->min_running : cfg->workers;
	unsigned start = (floor + cfg->workers) / 2;
	if (climit_init(&p->running, floor, start, cfg->workers) != 0) {
		job_queue_cleanup(&p->queue);
		heap_free(p->threads);
		heap_free(p);
		snprintf(err, errlen, "%s: bad worker counts", cfg->name);
		return NULL;
	}
	sem_init(&p->available, 0, 0);
	atomic_init(&p->stopping, false);
	atomic_init(&p->submitting, 0);
	atomic_init(&p->busy, 0);
	for (; p->started < cfg->workers; p->started++) {
		if ((rc = pthread_create(&p->threads[p->started], NULL, worker_main, p)) != 0)
			goto fail;
	}
	if (periodic_start(&p->timer, TIMER_PERIOD_MS, expire_waited_too_long, p) != 0) {
		snprintf(err, errlen, "%s: cannot start the timer thread", cfg->name);
		worker_pool_free(p);
		return NULL;
	}
	return p;
fail:
	snprintf(err, errlen, "%s: cannot start a thread: %s", cfg->name, strerror(rc));
	worker_pool_free(p);
	return NULL;
}

/*
 * A submission announces itself before it reads the stopping flag (both sequentially
 * consistent), so worker_pool_close either makes it fail or waits for its job to be queued and
 * then expires it: no job is ever left in a queue nobody reads.
 */
bool worker_pool_submit(struct worker_pool *p, void *job)
{
	bool queued = false;

	atomic_fetch_add(&p->submitting, 1);
	if (!atomic_load(&p->stopping) && job_queue_push(&p->queue, job, monotonic_ns())) {
		sem_post(&p->available);
		queued = true;
	}
	atomic_fetch_sub(&p->submitting, 1);
	return queued;
}

void worker_pool_close(struct worker_pool *p)
{
	struct timespec pause = {0, 100000};
	void *job;

	if (!p || atomic_exchange(&p->stopping, true))
		return;
	/* What is still queued is expired below as POOL_STOPPING, not by the timer. */
	periodic_stop(&p->timer);
	while (atomic_load(&p->submitting) != 0)
		nanosleep(&pause, NULL);
	/* Wake every worker, wherever it waits: for a job, or for a running slot. */
	for (unsigned i = 0; i < p->started; i++)
		sem_post(&p->available);
	climit_unblock(&p->running, p->started);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	while ((job = job_queue_pop(&p->queue, NULL)) != NULL)
		p->cfg.expire(p->cfg.cls, job, POOL_STOPPING);
}

void worker_pool_free(struct worker_pool *p)
{
	if (!p)
		return;
	worker_pool_close(p);
	sem_destroy(&p->available);
	climit_cleanup(&p->running);
	job_queue_cleanup(&p->queue);
	heap_free(p->threads);
	heap_free(p);
}

size_t worker_pool_queued(struct worker_pool *p)
{
	return job_queue_depth(&p->queue);
}

unsigned worker_pool_busy(struct worker_pool *p)
{
	return atomic_load_explicit(&p->busy, memory_order_relaxed);
}

unsigned worker_pool_running_limit(struct worker_pool *p)
{
	return climit_current(&p->running);
}
