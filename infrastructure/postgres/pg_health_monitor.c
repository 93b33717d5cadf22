/* The database's readiness, probed by a thread of its own (infrastructure layer). */
#include "infrastructure/postgres/pg_health_monitor.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <libpq-fe.h>

#include "domain/errors.h"
#include "domain/heap.h"

#define STOP_CHECK_MS 50 /* how quickly the thread notices it must stop */

struct pg_health_monitor {
	struct pg_config cfg;      /* copy, with the monitor's application_name */
	struct pg_session session; /* the probe's own connection (this thread only) */
	enum pg_monitored what;
	int period_ms, timeout_ms;
	_Atomic int64_t last_ok_ns; /* monotonic time of the last successful probe, 0: none */
	_Atomic long lag_ms;        /* a replica's, by the last probe; -1: unknown */
	atomic_bool stop;
	pthread_t thread;
};

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/*
 * NULL (unknown) when the replica has no WAL receiver (pid is all an unprivileged role may see of
 * it) or has replayed no transaction yet; clock_timestamp(), not now(): the probe is a statement
 * of its own, but the difference is the point.
 */
static const struct pg_statement replica_lag_sql = {
    "oficina_replica_lag",
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN NULL"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE greatest(0, (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())"
    " * 1000)::bigint) END",
    0};

/* The replica's lag, or -1 (unknown) with rc = 0; rc != 0 when the probe failed. */
static int probe_replica(struct pg_health_monitor *m, long *lag_ms)
{
	struct timespec deadline;
	PGresult *r;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += m->timeout_ms / 1000;
	deadline.tv_nsec += (long)(m->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pg_session_serve(&m->session, NULL, &deadline);
	rc = pg_session_exec(&m->session, &replica_lag_sql, NULL, &r);
	pg_session_serve(&m->session, NULL, NULL);
	if (rc != 0)
		return rc;
	*lag_ms = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) ? pg_long(r, 0, 0) : -1;
	PQclear(r);
	return 0;
}

static void probe(struct pg_health_monitor *m)
{
	long lag = 0;
	int rc = m->what == PG_MONITOR_REPLICA ? probe_replica(m, &lag)
	                                       : pg_session_ping(&m->session, m->timeout_ms);

	atomic_store(&m->lag_ms, rc == 0 ? lag : -1);
	atomic_store(&m->last_ok_ns, rc == 0 ? now_ns() : 0);
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

struct pg_health_monitor *pg_health_monitor_start(const struct pg_config *cfg,
                                                  enum pg_monitored what, int period_ms,
                                                  int timeout_ms)
{
	struct pg_health_monitor *m = heap_calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->cfg.application_name =
	    what == PG_MONITOR_REPLICA ? "oficina-replica-health" : "oficina-health";
	m->cfg.park = m->cfg.unpark = NULL; /* the monitor's thread is no worker */
	m->what = what;
	m->period_ms = period_ms;
	m->timeout_ms = timeout_ms;
	atomic_init(&m->last_ok_ns, 0);
	atomic_init(&m->lag_ms, -1);
	atomic_init(&m->stop, false);
	pg_session_init(&m->session, &m->cfg);
	probe(m);
	if (pthread_create(&m->thread, NULL, monitor_main, m) != 0) {
		pg_session_cleanup(&m->session);
		heap_free(m);
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
	heap_free(m);
}

static int ping(void *self)
{
	struct pg_health_monitor *m = self;
	int64_t last = atomic_load(&m->last_ok_ns);
	int64_t fresh = (int64_t)3 * (m->period_ms + m->timeout_ms) * 1000000;

	return last != 0 && now_ns() - last <= fresh ? 0 : APP_EUNAVAILABLE;
}

long pg_health_monitor_lag_ms(struct pg_health_monitor *m)
{
	return ping(m) == 0 ? atomic_load(&m->lag_ms) : -1;
}

static const struct health_probe_ops ops = {.ping = ping};

void pg_health_monitor_port(struct pg_health_monitor *m, struct health_probe *out)
{
	out->ops = &ops;
	out->self = m;
}
