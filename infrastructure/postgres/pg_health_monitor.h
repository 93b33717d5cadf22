/*
 * Readiness of the database, probed in the background (infrastructure layer). A thread with its
 * own session runs SELECT 1 every period_ms, bounded by timeout_ms (for a read replica: a query of
 * how far its replay is behind, read with pg_health_monitor_lag_ms); the health_probe port it
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
	PG_MONITOR_REPLICA, /* a streaming replica: how far its replay is behind
	                       (pg_health_monitor_lag_ms) */
};

/*
 * Probes once now (so that the first answer is real), then starts the thread. cfg is copied;
 * its url and breaker must outlive the monitor. NULL when out of memory or no thread.
 */
struct pg_health_monitor *pg_health_monitor_start(const struct pg_config *cfg,
                                                  enum pg_monitored what, int period_ms,
                                                  int timeout_ms);

/* Stops the thread, closes the session and frees the monitor. Accepts NULL. */
void pg_health_monitor_stop(struct pg_health_monitor *m);

/*
 * The readiness port: ping answers 0 when the last probe succeeded and is recent (within three
 * periods), APP_EUNAVAILABLE otherwise. Thread-safe; m must outlive the port.
 */
void pg_health_monitor_port(struct pg_health_monitor *m, struct health_probe *out);

/*
 * A replica's lag by the last probe, in milliseconds: how long ago the newest transaction it has
 * replayed committed, or 0 when it has replayed everything it received (a server not in recovery
 * is 0 too). -1 when unknown: the last probe failed or is stale, the replica receives no WAL (no
 * WAL receiver: its primary is unreachable, so it falls behind unseen), or it has replayed no
 * transaction since it started. Lag behind what the primary has sent but the replica not yet
 * received is not seen: on a healthy link that is the network's latency. Thread-safe.
 */
long pg_health_monitor_lag_ms(struct pg_health_monitor *m);

#endif
