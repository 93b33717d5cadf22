/* The database's readiness, probed by a thread of its own (infrastructure layer). */
#include "infrastructure/postgres/pg_health_monitor.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "domain/errors.h"

#define STOP_CHECK_MS 50 /* how quickly the thread notices it must stop */

struct pg_health_monitor {
	struct pg_config cfg;      /* copy, with the monitor's application_name */
	struct pg_session session; /* the probe's own connection (this thread only) */
	int period_ms, timeout_ms;
	_Atomic int64_t last_ok_ns; /* monotonic time of the last successful probe, 0: none */
	atomic_bool stop;
	pthread_t thread;
};

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void probe(struct pg_health_monitor *m)
{
	if (pg_session_ping(&m->session, m->timeout_ms) == 0)
		atomic_store(&m->last_ok_ns, now_ns());
	else
		atomic_store(&m->last_ok_ns, 0);
}

static void *monitor_main(void *arg)
{
	struct pg_health_monitor *m = arg;
	struct timespec slice = {0, STOP_CHECK_MS * 1000000L};

	while (!atomic_load(&m->stop)) {
		for (int waited = 0; waited < m->period_ms && !atomic_load(&m->stop);
		     waited += STOP_CHECK_MS)
			nanosleep(&slice, NULL);
		if (!atomic_load(&m->stop))
			probe(m);
	}
	return NULL;
}

struct pg_health_monitor *pg_health_monitor_start(const struct pg_config *cfg, int period_ms,
                                                  int timeout_ms)
{
	struct pg_health_monitor *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->cfg.application_name = "oficina-health";
	m->period_ms = period_ms;
	m->timeout_ms = timeout_ms;
	atomic_init(&m->last_ok_ns, 0);
	atomic_init(&m->stop, false);
	pg_session_init(&m->session, &m->cfg);
	probe(m);
	if (pthread_create(&m->thread, NULL, monitor_main, m) != 0) {
		pg_session_cleanup(&m->session);
		free(m);
		return NULL;
	}
	return m;
}

void pg_health_monitor_stop(struct pg_health_monitor *m)
{
	if (!m)
		return;
	atomic_store(&m->stop, true);
	pthread_join(m->thread, NULL);
	pg_session_cleanup(&m->session);
	free(m);
}

static int ping(void *self)
{
	struct pg_health_monitor *m = self;
	int64_t last = atomic_load(&m->last_ok_ns);
	int64_t fresh = (int64_t)3 * (m->period_ms + m->timeout_ms) * 1000000;

	return last != 0 && now_ns() - last <= fresh ? 0 : APP_EUNAVAILABLE;
}

static const struct health_probe_ops ops = {.ping = ping};

void pg_health_monitor_port(struct pg_health_monitor *m, struct health_probe *out)
{
	out->ops = &ops;
	out->self = m;
}
