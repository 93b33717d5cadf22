/*
 * Prometheus metrics (presentation layer, SPEC §6): http_requests_total{method,route,status},
 * the http_request_duration_seconds histogram per route, db_pool_connections and business
 * counters. Counters are atomics in fixed arrays indexed by route: recording takes no lock.
 */
#ifndef OFICINA_PRESENTATION_HTTP_METRICS_H
#define OFICINA_PRESENTATION_HTTP_METRICS_H

#include <stddef.h>

#include "application/ports/telemetry.h"
#include "presentation/http/router.h"

enum business_counter {
	BUSINESS_CLIENTES_CRIADOS,
	BUSINESS_VEICULOS_CRIADOS,
	BUSINESS_USUARIOS_CRIADOS,
	BUSINESS_LOGINS_OK,
	BUSINESS_LOGINS_RECUSADOS,
	BUSINESS_ORDENS_ABERTAS,
	BUSINESS_LOGINS_CLIENTE_OK,
	BUSINESS_LOGINS_CLIENTE_RECUSADOS,
	BUSINESS_COUNTERS,
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

/*
 * Renders every metric in Prometheus text format; db_connections is the current gauge value.
 * Returns a malloc'd string (free it), or NULL.
 */
char *metrics_render(int db_connections);

#endif
