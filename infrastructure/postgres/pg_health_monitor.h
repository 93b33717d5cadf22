/*
 * Readiness of the database, probed in the background (infrastructure layer). A thread with its
 * own session runs SELECT 1 every period_ms, bounded by timeout_ms (with a read replica: the
 * primary's WAL position, and the replica's replay position against it, read with
 * pg_health_monitor_lag_ms); the health_probe port it
 * offers answers at once from the last result, so /health/ready costs no database work on the
 * request path and answers even while every worker waits on the database. The session goes
 * through the database's circuit breaker like the others: while the breaker is open the probe
 * fails without trying, and when it is its turn its success closes the breaker again.
 */
#ifndef OFICINA_INFRASTRUCTURE_POSTGRES_PG_HEALTH_MONITOR_H
#define OFICINA_INFRASTRUCTURE_POSTGRES_PG_HEALTH_MONITOR_H

#include "application/ports/health_probe.h"
#include "infrastructure/postgres/pg_session.h"

struct pg_health_monitor;

/* What a monitor watches. */
enum pg_monitored {
	PG_MONITOR_PRIMARY, /* the database: SELECT 1 */
	/*
	 * The database, recording where its WAL is at each probe (pg_current_wal_lsn): the
	 * yardstick of a replica's lag. Used when DATABASE_READ_URL is set.
	 */
	PG_MONITOR_WAL,
	/* A streaming replica: how far its replay is behind the PG_MONITOR_WAL primary's samples.
	 */
	PG_MONITOR_REPLICA,
};

/*
 * Probes once now (so that the first answer is real), then starts the thread. cfg is copied;
 * its url and breaker must outlive the monitor. A replica's monitor takes its primary's
 * (PG_MONITOR_WAL, outliving it); NULL for the others. NULL when out of memory, no thread, or a
 * replica without a PG_MONITOR_WAL primary.
 */
struct pg_health_monitor *pg_health_monitor_start(const struct pg_config *cfg,
                                                  enum pg_monitored what,
                                                  struct pg_health_monitor *primary, int period_ms,
                                                  int timeout_ms);

/* Stops the thread, closes the session and frees the monitor. Accepts NULL. */
void pg_health_monitor_stop(struct pg_health_monitor *m);

/*
 * The readiness port: ping answers 0 when the last probe succeeded and is recent (within three
 * periods), APP_EUNAVAILABLE otherwise. Thread-safe; m must outlive the port.
 */
void pg_health_monitor_port(struct pg_health_monitor *m, struct health_probe *out);

/*
 * A replica's lag by the last probe, in milliseconds, measured against the primary rather than
 * trusted from the replica: the replica has replayed everything the primary had written at the
 * newest of the primary's samples at or below its replay position, so its data are at most that
 * sample's age old (the primary is sampled every period, so the figure can be that much above the
 * real lag, never below it). A stalled or cut stream shows as a growing lag even while the
 * replica believes it is current. -1 when unknown: the last probe failed or is stale, the server
 * is not in recovery (a promoted or wrong DATABASE_READ_URL), or no primary sample exists.
 * Thread-safe.
 */
long pg_health_monitor_lag_ms(struct pg_health_monitor *m);

#endif
