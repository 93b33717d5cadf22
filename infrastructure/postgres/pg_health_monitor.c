/* The database's readiness, probed by a thread of its own (infrastructure layer). */
#include "infrastructure/postgres/pg_health_monitor.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <libpq-fe.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/monotonic.h"
#include "domain/periodic.h"

#define WAL_SAMPLES 256 /* the primary's WAL positions kept: a minute at 250 ms */

/* Where the primary's WAL was at a moment. */
struct wal_sample {
	int64_t at_ns; /* monotonic */
	uint64_t lsn;
};

struct pg_health_monitor {
	struct pg_config cfg;      /* copy, with the monitor's application_name */
	struct pg_session session; /* the probe's own connection (this thread only) */
	enum pg_monitored what;
	struct pg_health_monitor *primary; /* a replica's: the primary's monitor (PG_MONITOR_WAL) */
	int period_ms, timeout_ms;
	_Atomic int64_t last_ok_ns; /* monotonic time of the last successful probe, 0: none */
	_Atomic long lag_ms;        /* a replica's, by the last probe; -1: unknown */
	/* PG_MONITOR_WAL: the primary's recent WAL positions, oldest first (a ring). */
	pthread_mutex_t wal_lock;
	struct wal_sample wal[WAL_SAMPLES];
	size_t wal_next, wal_count;
	struct periodic prober; /* calls probe every period_ms */
};

/* "16/B374D848" (pg_lsn as text) as a number; false when it is not one. */
static bool parse_lsn(const char *text, uint64_t *out)
{
	unsigned hi, lo;
	char end;
	if (!text || sscanf(text, "%X/%X%c", &hi, &lo, &end) != 2)
		return false;
	*out = (uint64_t)hi << 32 | lo;
	return true;
}

static const struct pg_statement primary_wal_sql = {"oficina_primary_wal",
                                                    "SELECT pg_current_wal_lsn()::text", 0};
/* NULL replay position: not a standby, or nothing replayed yet; both unknown. */
static const struct pg_statement replica_replay_sql = {
    "oficina_replica_replay",
    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END", 0};

/* Runs st (one text column, one row) with the probe's timeout; its value parsed as an LSN. */
static int probe_lsn(struct pg_health_monitor *m, const struct pg_statement *st, uint64_t *lsn,
                     bool *known)
{
	struct timespec deadline = monotonic_in_ms(m->timeout_ms);
	PGresult *r;
	int rc;

	pg_session_serve(&m->session, NULL, &deadline);
	rc = pg_session_exec(&m->session, st, NULL, &r);
	pg_session_serve(&m->session, NULL, NULL);
	if (rc != 0)
		return rc;
	*known = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) && parse_lsn(PQgetvalue(r, 0, 0), lsn);
	PQclear(r);
	return 0;
}

static void wal_record(struct pg_health_monitor *m, uint64_t lsn)
{
	pthread_mutex_lock(&m->wal_lock);
	m->wal[m->wal_next] = (struct wal_sample){monotonic_ns(), lsn};
	m->wal_next = (m->wal_next + 1) % WAL_SAMPLES;
	if (m->wal_count < WAL_SAMPLES)
		m->wal_count++;
	pthread_mutex_unlock(&m->wal_lock);
}

/*
 * How far behind a replica that has replayed up to replayed is: it holds everything the primary
 * had written at the newest sample at or below replayed, so its lag is at most the age of that
 * sample (plus nothing: a newer write may already be there too). Older than every sample kept:
 * at least the age of the oldest. -1 without samples.
 */
static long wal_lag_ms(struct pg_health_monitor *primary, uint64_t replayed)
{
	int64_t now = monotonic_ns(), as_of = -1, oldest = -1;

	pthread_mutex_lock(&primary->wal_lock);
	for (size_t i = 0; i < primary->wal_count; i++) {
		const struct wal_sample *w =
		    &primary->wal[(primary->wal_next + WAL_SAMPLES - 1 - i) % WAL_SAMPLES];
		oldest = w->at_ns;
		if (w->lsn <= replayed) {
			as_of = w->at_ns;
			break;
		}
	}
	pthread_mutex_unlock(&primary->wal_lock);
	if (as_of < 0)
		as_of = oldest;
	return as_of < 0 ? -1 : (long)((now - as_of) / 1000000);
}

static void probe(void *arg)
{
	struct pg_health_monitor *m = arg;
	uint64_t lsn = 0;
	bool known = false;
	long lag = -1;
	int rc;

	switch (m->what) {
	case PG_MONITOR_REPLICA:
		rc = probe_lsn(m, &replica_replay_sql, &lsn, &known);
		if (rc == 0 && known)
			lag = wal_lag_ms(m->primary, lsn);
		break;
	case PG_MONITOR_WAL:
		if ((rc = probe_lsn(m, &primary_wal_sql, &lsn, &known)) == 0 && known)
			wal_record(m, lsn);
		break;
	default:
		rc = pg_session_ping(&m->session, m->timeout_ms);
	}
	atomic_store(&m->lag_ms, lag);
	atomic_store(&m->last_ok_ns, rc == 0 ? monotonic_ns() : 0);
}

struct pg_health_monitor *pg_health_monitor_start(const struct pg_config *cfg,
                                                  enum pg_monitored what,
                                                  struct pg_health_monitor *primary, int period_ms,
                                                  int timeout_ms)
{
	struct pg_health_monitor *m;

	if (what == PG_MONITOR_REPLICA && (!primary || primary->what != PG_MONITOR_WAL))
		return NULL;
	if (!(m = heap_calloc(1, sizeof *m)))
		return NULL;
	m->primary = primary;
	pthread_mutex_init(&m->wal_lock, NULL);
	m->cfg = *cfg;
	m->cfg.application_name =
	    what == PG_MONITOR_REPLICA ? "oficina-replica-health" : "oficina-health";
	m->cfg.park = m->cfg.unpark = NULL; /* the monitor's thread is no worker */
	m->what = what;
	m->period_ms = period_ms;
	m->timeout_ms = timeout_ms;
	atomic_init(&m->last_ok_ns, 0);
	atomic_init(&m->lag_ms, -1);
	pg_session_init(&m->session, &m->cfg);
	probe(m);
	if (periodic_start(&m->prober, period_ms, probe, m) != 0) {
		pg_health_monitor_stop(m); /* no thread to stop: releases the rest */
		return NULL;
	}
	return m;
}

void pg_health_monitor_stop(struct pg_health_monitor *m)
{
	if (!m)
		return;
	periodic_stop(&m->prober);
	pg_session_cleanup(&m->session);
	pthread_mutex_destroy(&m->wal_lock);
	heap_free(m);
}

static int ping(void *self)
{
	struct pg_health_monitor *m = self;
	int64_t last = atomic_load(&m->last_ok_ns);
	int64_t fresh = (int64_t)3 * (m->period_ms + m->timeout_ms) * 1000000;

	return last != 0 && monotonic_ns() - last <= fresh ? 0 : APP_EUNAVAILABLE;
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
