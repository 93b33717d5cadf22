/* A thread that ticks every period until stopped (domain layer; periodic.h). */
#include "domain/periodic.h"

#include <errno.h>
#include <time.h>

#include "domain/errors.h"
#include "domain/monotonic.h"

static void *run(void *arg)
{
	struct periodic *p = arg;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		struct timespec until = monotonic_in_ms(p->period_ms);
		/* Spurious wake-ups wait again, for what is left of the same deadline. */
		while (!p->stopping &&
		       pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
			;
		if (p->stopping)
			break;
		pthread_mutex_unlock(&p->lock);
		p->tick(p->arg);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int periodic_start(struct periodic *p, long period_ms, void (*tick)(void *arg), void *arg)
{
	pthread_condattr_t attr;

	p->tick = tick;
	p->arg = arg;
	p->period_ms = period_ms;
	p->stopping = false;
	p->running = false;
	/* A period under 1 ms would make every deadline invalid: the thread would spin, never tick.
	 */
	if (period_ms < 1)
		return APP_EINVALID;
	if (pthread_condattr_init(&attr) != 0)
		return APP_ENOMEM;
	/* The deadlines are monotonic_in_ms's, so the condition variable must count on that clock.
	 */
	bool ready = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
	             pthread_cond_init(&p->wake, &attr) == 0;
	pthread_condattr_destroy(&attr);
	if (!ready)
		return APP_ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->wake);
		return APP_ENOMEM;
	}
	p->running = true;
	return 0;
}

void periodic_stop(struct periodic *p)
{
	if (!p->running)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	p->running = false;
}
