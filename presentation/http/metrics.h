/*
 * Prometheus metrics (presentation layer, SPEC §6): http_requests_total{method,route,status},
 * the http_request_duration_seconds histogram per route, the request-execution figures (in
 * flight, queues, shedding, deadlines, retries), the database's (connections, statement
 * durations, circuit breaker) and business counters. Counters are atomics in fixed arrays:
 * recording takes no lock. The README lists every family.
 */
#ifndef OFICINA_PRESENTATION_HTTP_METRICS_H
#define OFICINA_PRESENTATION_HTTP_METRICS_H

#include <stddef.h>

#include "application/ports/database_stats.h"
#include "application/ports/telemetry.h"
#include "domain/strbuf.h"
#include "presentation/http/router.h"

enum business_counter {
	BUSINESS_CLIENTES_CRIADOS,
	BUSINESS_VEICULOS_CRIADOS,
	BUSINESS_USUARIOS_CRIADOS,
	BUSINESS_LOGINS_OK,
	BUSINESS_LOGINS_RECUSADOS,
	BUSINESS_ORDENS_CRIADAS,
	BUSINESS_LOGINS_CLIENTE_OK,
	BUSINESS_LOGINS_CLIENTE_RECUSADOS,
	BUSINESS_LOGINS_CLIENTE_BLOQUEADOS, /* refused by the per-CPF lockout */
	BUSINESS_COUNTERS,
};

/* Why a request was answered 503 without running (load shedding). */
enum shed_reason {
	SHED_QUEUE_FULL,    /* MAX_QUEUED_REQUESTS were already waiting */
	SHED_QUEUE_TIMEOUT, /* it waited QUEUE_TIMEOUT_MS without a worker */
	SHED_DATABASE_DOWN, /* the circuit breaker is open */
	SHED_STOPPING,      /* the server is stopping */
	SHED_BODY_BUFFER,   /* MAX_BODY_BUFFER_BYTES of bodies were already held */
	SHED_REASONS,
};

/* The pools of workers, for their gauges and queue-wait histograms. */
enum metrics_pool { POOL_HANDLERS, POOL_PASSWORDS, METRICS_POOLS };

/* Gauges read at the moment /metrics is rendered. */
struct metrics_gauges {
	int in_flight; /* requests received and not yet answered */
	struct {
		unsigned workers;       /* threads */
		unsigned busy;          /* running a request */
		unsigned running_limit; /* how many may run at once now (adaptive) */
		size_t queued;          /* waiting for one */
	} pools[METRICS_POOLS];
	struct database_stats db;              /* the database adapter's figures */
	unsigned long slow_connections_closed; /* closed by the read deadline */
	void (*process)(struct strbuf *out);   /* appends the process's own families; NULL: none */
};

/*
 * Forwards every observation and count to t as well (DogStatsD); t must outlive the server.
 * Call once at start, before requests arrive; NULL stops forwarding.
 */
void metrics_set_telemetry(const struct telemetry *t);

/* Records one request on route r (NULL: no route matched) with its status and duration. */
void metrics_observe(const struct route *r, const char *method, unsigned status, double seconds);

/* Adds one to a business counter. */
void metrics_count(enum business_counter c);

/* One request answered 503 without running, for reason why. */
void metrics_count_shed(enum shed_reason why);

/* One handler run again after a transient database failure. */
void metrics_count_retry(void);

/* One query sent to the read replica; one the replica failed and the primary ran again. */
void metrics_count_replica_read(void);
void metrics_count_replica_fallback(void);

/* One request answered 503 because its deadline (REQUEST_TIMEOUT_MS) passed. */
void metrics_count_deadline_expired(void);

/* The time a request waited in pool's queue before a worker took it. */
void metrics_observe_queue_wait(enum metrics_pool pool, double seconds);

/* Renders every metric in Prometheus text format. Returns a malloc'd string (free it), or NULL. */
char *metrics_render(const struct metrics_gauges *g);

#endif
