/* Lock-free request and business counters, rendered for Prometheus (presentation layer). */
#include "presentation/http/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTES_MAX 128

static const unsigned statuses[] = {200, 201, 204, 400, 401, 403, 404, 405,
                                    409, 413, 415, 422, 429, 500, 503};
#define N_STATUS (sizeof statuses / sizeof statuses[0])
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,   0.25,   0.5,   1,    2.5,   5};
#define N_BUCKETS (sizeof buckets / sizeof buckets[0])

/* Per route (plus one slot for unmatched requests). */
static atomic_ulong requests[ROUTES_MAX + 1][N_STATUS + 1];
static atomic_ulong hist[ROUTES_MAX + 1][N_BUCKETS + 1];
static atomic_ulong hist_sum_us[ROUTES_MAX + 1];
static atomic_ulong business[BUSINESS_COUNTERS];

static const char *const business_names[BUSINESS_COUNTERS] = {
    "oficina_clientes_criados_total",
    "oficina_veiculos_criados_total",
    "oficina_usuarios_criados_total",
    "oficina_logins_total{resultado=\"ok\"}",
    "oficina_logins_total{resultado=\"recusado\"}",
    "oficina_ordens_abertas_total",
    "oficina_logins_cliente_total{resultado=\"ok\"}",
    "oficina_logins_cliente_total{resultado=\"recusado\"}",
};

/* Short names of the business counters for the forwarded copy. */
static const char *const business_short[BUSINESS_COUNTERS] = {
    "clientes_criados", "veiculos_criados", "usuarios_criados",  "logins_ok",
    "logins_recusados", "ordens_abertas",   "logins_cliente_ok", "logins_cliente_recusados",
};

/* Set once before the server starts, then only read: no lock needed. */
static const struct telemetry *forward;

void metrics_set_telemetry(const struct telemetry *t)
{
	forward = t && t->ops ? t : NULL;
}

static size_t status_slot(unsigned status)
{
	for (size_t i = 0; i < N_STATUS; i++)
		if (statuses[i] == status)
			return i;
	return N_STATUS; /* "other" */
}

void metrics_observe(const struct route *r, const char *method, unsigned status, double seconds)
{
	/* Unmatched requests (and, defensively, routes past the table) share the last slot. */
	size_t ri = r ? route_index(r) : ROUTES_MAX;
	if (ri > ROUTES_MAX)
		ri = ROUTES_MAX;
	if (forward)
		forward->ops->request(forward->self, method, r ? r->pattern : "unmatched", status,
		                      seconds);
	atomic_fetch_add_explicit(&requests[ri][status_slot(status)], 1, memory_order_relaxed);
	size_t b = 0;
	while (b < N_BUCKETS && seconds > buckets[b])
		b++;
	atomic_fetch_add_explicit(&hist[ri][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&hist_sum_us[ri], (unsigned long)(seconds * 1e6),
	                          memory_order_relaxed);
}

void metrics_count(enum business_counter c)
{
	atomic_fetch_add_explicit(&business[c], 1, memory_order_relaxed);
	if (forward)
		forward->ops->count(forward->self, business_short[c]);
}

struct buf {
	char *s;
	size_t len, cap;
	int failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		if (b->failed)
			return;
		va_start(ap, fmt);
		int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap * 2 + (size_t)n;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static void route_labels(size_t ri, const char **method, const char **route)
{
	if (ri < routes_count && ri < ROUTES_MAX) {
		*method = routes[ri].method;
		*route = routes[ri].pattern;
	} else {
		*method = "OTHER";
		*route = "unmatched";
	}
}

char *metrics_render(int db_connections)
{
	struct buf b = {malloc(16384), 0, 16384, 0};
	size_t nroutes = routes_count < ROUTES_MAX ? routes_count : ROUTES_MAX;
	const char *method, *route;

	if (!b.s)
		return NULL;
	b.s[0] = '\0';
	put(&b, "# HELP http_requests_total HTTP requests by method, route and status.\n"
	        "# TYPE http_requests_total counter\n");
	for (size_t ri = 0; ri <= nroutes; ri++) {
		route_labels(ri == nroutes ? ROUTES_MAX : ri, &method, &route);
		for (size_t si = 0; si <= N_STATUS; si++) {
			unsigned long v = atomic_load_explicit(
			    &requests[ri == nroutes ? ROUTES_MAX : ri][si], memory_order_relaxed);
			if (!v)
				continue;
			if (si < N_STATUS)
				put(&b,
				    "http_requests_total{method=\"%s\",route=\"%s\",status=\"%u\"} %lu\n",
				    method, route, statuses[si], v);
			else
				put(&b,
				    "http_requests_total{method=\"%s\",route=\"%s\",status=\"other\"} %lu\n",
				    method, route, v);
		}
	}
	put(&b, "# HELP http_request_duration_seconds Time to answer, by route.\n"
	        "# TYPE http_request_duration_seconds histogram\n");
	for (size_t ri = 0; ri <= nroutes; ri++) {
		size_t slot = ri == nroutes ? ROUTES_MAX : ri;
		unsigned long cum = 0;
		route_labels(slot, &method, &route);
		for (size_t bi = 0; bi <= N_BUCKETS; bi++)
			cum += atomic_load_explicit(&hist[slot][bi], memory_order_relaxed);
		if (!cum)
			continue;
		cum = 0;
		for (size_t bi = 0; bi < N_BUCKETS; bi++) {
			cum += atomic_load_explicit(&hist[slot][bi], memory_order_relaxed);
			put(&b,
			    "http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %lu\n",
			    method, route, buckets[bi], cum);
		}
		cum += atomic_load_explicit(&hist[slot][N_BUCKETS], memory_order_relaxed);
		put(&b,
		    "http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %lu\n",
		    method, route, cum);
		put(&b, "http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
		    method, route,
		    (double)atomic_load_explicit(&hist_sum_us[slot], memory_order_relaxed) / 1e6);
		put(&b, "http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %lu\n",
		    method, route, cum);
	}
	put(&b,
	    "# HELP db_pool_connections Open PostgreSQL connections (one per worker thread).\n"
	    "# TYPE db_pool_connections gauge\ndb_pool_connections %d\n",
	    db_connections);
	put(&b, "# TYPE oficina_clientes_criados_total counter\n"
	        "# TYPE oficina_veiculos_criados_total counter\n"
	        "# TYPE oficina_usuarios_criados_total counter\n"
	        "# TYPE oficina_logins_total counter\n"
	        "# TYPE oficina_ordens_abertas_total counter\n"
	        "# TYPE oficina_logins_cliente_total counter\n");
	for (size_t i = 0; i < BUSINESS_COUNTERS; i++)
		put(&b, "%s %lu\n", business_names[i],
		    atomic_load_explicit(&business[i], memory_order_relaxed));
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
