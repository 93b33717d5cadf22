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

#include "presentation/http/job_queue.h"

#define TIMER_PERIOD_NS 10000000L /* how often the timer thread looks for expired jobs */

struct worker_pool {
	struct worker_pool_config cfg; /* copy */
	struct job_queue queue;        /* jobs waiting for a worker */
	sem_t available;        /* posted once per queued job (and to wake workers at stop) */
	atomic_bool stopping;   /* no new job; workers leave after the one in hand */
	atomic_uint submitting; /* submissions in progress (closing waits for them) */
	atomic_uint busy;       /* workers running a job */
	pthread_t *threads;     /* the workers */
	unsigned started;       /* workers started */
	pthread_t timer;        /* expires jobs that waited too long */
	bool timer_started;
};

int64_t worker_pool_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t timeout_ns(const struct worker_pool *p)
{
	return (int64_t)p->cfg.queue_timeout_ms * 1000000;
}

static void *worker_main(void *arg)
{
	struct worker_pool *p = arg;
	void *ctx = p->cfg.thread_start ? p->cfg.thread_start(p->cfg.cls) : NULL;

	for (;;) {
		int64_t queued_ns;
		void *job;

		while (sem_wait(&p->available) != 0 && errno == EINTR)
			;
		if (atomic_load_explicit(&p->stopping, memory_order_acquire))
			break;
		/* NULL when the timer thread took the job this post stood for. */
		if (!(job = job_queue_pop(&p->queue, &queued_ns)))
			continue;
		int64_t waited = worker_pool_now_ns() - queued_ns;
		if (waited > timeout_ns(p)) {
			p->cfg.expire(p->cfg.cls, job, POOL_QUEUE_TIMEOUT);
			continue;
		}
		atomic_fetch_add_explicit(&p->busy, 1, memory_order_relaxed);
		p->cfg.run(p->cfg.cls, job, ctx, waited);
		atomic_fetch_sub_explicit(&p->busy, 1, memory_order_relaxed);
	}
	if (p->cfg.thread_end)
		p->cfg.thread_end(p->cfg.cls, ctx);
	return NULL;
}

/*
 * When every worker is busy for longer than the queue timeout, nobody would look at the queue:
 * this thread takes the jobs at its head that waited too long and expires them, so a queued
 * request is answered within about queue_timeout_ms whatever the workers are doing.
 */
static void *timer_main(void *arg)
{
	struct worker_pool *p = arg;
	struct timespec period = {0, TIMER_PERIOD_NS};

	while (!atomic_load_explicit(&p->stopping, memory_order_acquire)) {
		void *job;
		nanosleep(&period, NULL);
		while ((job = job_queue_pop_older(&p->queue, worker_pool_now_ns() - timeout_ns(p),
		                                  NULL)) != NULL) {
			sem_trywait(&p->available); /* the post that stood for it */
			p->cfg.expire(p->cfg.cls, job, POOL_QUEUE_TIMEOUT);
		}
	}
	return NULL;
}

struct worker_pool *worker_pool_start(const struct worker_pool_config *cfg, char *err,
                                      size_t errlen)
{
	struct worker_pool *p = calloc(1, sizeof *p);
	int rc;

	if (!p || !(p->threads = calloc(cfg->workers, sizeof *p->threads)) ||
	    job_queue_init(&p->queue, cfg->max_queued) != 0) {
		if (p)
			free(p->threads);
		free(p);
		snprintf(err, errlen, "%s: out of memory", cfg->name);
		return NULL;
	}
	p->cfg = *cfg;
	sem_init(&p->available, 0, 0);
	atomic_init(&p->stopping, false);
	atomic_init(&p->submitting, 0);
	atomic_init(&p->busy, 0);
	for (; p->started < cfg->workers; p->started++) {
		if ((rc = pthread_create(&p->threads[p->started], NULL, worker_main, p)) != 0)
			goto fail;
	}
	if ((rc = pthread_create(&p->timer, NULL, timer_main, p)) != 0)
		goto fail;
	p->timer_started = true;
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
	if (!atomic_load(&p->stopping) && job_queue_push(&p->queue, job, worker_pool_now_ns())) {
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
	while (atomic_load(&p->submitting) != 0)
		nanosleep(&pause, NULL);
	for (unsigned i = 0; i < p->started; i++)
		sem_post(&p->available);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	if (p->timer_started)
		pthread_join(p->timer, NULL);
	while ((job = job_queue_pop(&p->queue, NULL)) != NULL)
		p->cfg.expire(p->cfg.cls, job, POOL_STOPPING);
}

void worker_pool_free(struct worker_pool *p)
{
	if (!p)
		return;
	worker_pool_close(p);
	sem_destroy(&p->available);
	job_queue_cleanup(&p->queue);
	free(p->threads);
	free(p);
}

size_t worker_pool_queued(struct worker_pool *p)
{
	return job_queue_depth(&p->queue);
}

unsigned worker_pool_busy(struct worker_pool *p)
{
	return atomic_load_explicit(&p->busy, memory_order_relaxed);
}
