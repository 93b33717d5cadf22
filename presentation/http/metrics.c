/* Lock-free request and business counters, rendered for Prometheus (presentation layer). */
#include "presentation/http/metrics.h"
#include "domain/strbuf.h"

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
static atomic_ulong shed[SHED_REASONS];
static atomic_ulong retries, deadline_expired, replica_reads, replica_fallbacks;
static const double wait_buckets[] = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
#define N_WAIT_BUCKETS (sizeof wait_buckets / sizeof wait_buckets[0])
static atomic_ulong queue_wait[METRICS_POOLS][N_WAIT_BUCKETS + 1];
static atomic_ulong queue_wait_us[METRICS_POOLS];

static const char *const shed_names[SHED_REASONS] = {
    "queue_full", "queue_timeout", "database_down", "stopping", "body_buffer",
};
static const char *const pool_names[METRICS_POOLS] = {"handlers", "passwords"};
static const double db_bounds[] = DATABASE_STATEMENT_BUCKETS;

/* The business counters' families, each with its HELP. */
enum business_family {
	FAM_CLIENTES,
	FAM_VEICULOS,
	FAM_USUARIOS,
	FAM_LOGINS,
	FAM_ORDENS,
	FAM_LOGINS_CLIENTE,
	BUSINESS_FAMILIES
};
static const struct {
	const char *name, *help;
} business_families[BUSINESS_FAMILIES] = {
    [FAM_CLIENTES] = {"oficina_clientes_criados_total", "Customers created through the API."},
    [FAM_VEICULOS] = {"oficina_veiculos_criados_total", "Vehicles created through the API."},
    [FAM_USUARIOS] = {"oficina_usuarios_criados_total", "Staff users created through the API."},
    [FAM_LOGINS] = {"oficina_logins_total", "Staff logins, by result (ok, recusado)."},
    [FAM_ORDENS] = {"oficina_ordens_criadas_total", "Service orders opened through the API."},
    [FAM_LOGINS_CLIENTE] = {"oficina_logins_cliente_total",
                            "Customer logins, by result (ok, recusado, bloqueado: refused "
                            "by the per-CPF lockout)."},
};

/* Each counter: its family, its labels, and its short name for the DogStatsD copy. */
static const struct {
	enum business_family family;
	const char *labels, *short_name;
} business_samples[BUSINESS_COUNTERS] = {
    [BUSINESS_CLIENTES_CRIADOS] = {FAM_CLIENTES, "", "clientes_criados"},
    [BUSINESS_VEICULOS_CRIADOS] = {FAM_VEICULOS, "", "veiculos_criados"},
    [BUSINESS_USUARIOS_CRIADOS] = {FAM_USUARIOS, "", "usuarios_criados"},
    [BUSINESS_LOGINS_OK] = {FAM_LOGINS, "{resultado=\"ok\"}", "logins_ok"},
    [BUSINESS_LOGINS_RECUSADOS] = {FAM_LOGINS, "{resultado=\"recusado\"}", "logins_recusados"},
    [BUSINESS_ORDENS_CRIADAS] = {FAM_ORDENS, "", "ordens_criadas"},
    [BUSINESS_LOGINS_CLIENTE_OK] = {FAM_LOGINS_CLIENTE, "{resultado=\"ok\"}", "logins_cliente_ok"},
    [BUSINESS_LOGINS_CLIENTE_RECUSADOS] = {FAM_LOGINS_CLIENTE, "{resultado=\"recusado\"}",
                                           "logins_cliente_recusados"},
    [BUSINESS_LOGINS_CLIENTE_BLOQUEADOS] = {FAM_LOGINS_CLIENTE, "{resultado=\"bloqueado\"}",
                                            "logins_cliente_bloqueados"},
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

/*
 * Counts one observation of seconds in a histogram: counts[] has n + 1 slots (the last is +Inf)
 * for the n upper bounds, and *sum_us accumulates microseconds.
 */
static void observe(atomic_ulong *counts, atomic_ulong *sum_us, const double *bounds, size_t n,
                    double seconds)
{
	size_t b = 0;
	while (b < n && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&counts[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(sum_us, (unsigned long)(seconds * 1e6), memory_order_relaxed);
}

void metrics_observe(const struct route *r, const char *method, unsigned status, double seconds)
{
	/* Unmatched requests (and, defensively, routes past the table) share the last slot. */
	size_t ri = r ? route_index(r) : ROUTES_MAX;
	if (ri > ROUTES_MAX)
		ri = ROUTES_MAX;
	if (forward)
		telemetry_request(forward, method, r ? r->pattern : "unmatched", status, seconds);
	atomic_fetch_add_explicit(&requests[ri][status_slot(status)], 1, memory_order_relaxed);
	observe(hist[ri], &hist_sum_us[ri], buckets, N_BUCKETS, seconds);
}

void metrics_count(enum business_counter c)
{
	atomic_fetch_add_explicit(&business[c], 1, memory_order_relaxed);
	if (forward)
		telemetry_count(forward, business_samples[c].short_name);
}

void metrics_count_shed(enum shed_reason why)
{
	atomic_fetch_add_explicit(&shed[why], 1, memory_order_relaxed);
}

void metrics_count_retry(void)
{
	atomic_fetch_add_explicit(&retries, 1, memory_order_relaxed);
}

void metrics_count_replica_read(void)
{
	atomic_fetch_add_explicit(&replica_reads, 1, memory_order_relaxed);
}

void metrics_count_replica_fallback(void)
{
	atomic_fetch_add_explicit(&replica_fallbacks, 1, memory_order_relaxed);
}

void metrics_count_deadline_expired(void)
{
	atomic_fetch_add_explicit(&deadline_expired, 1, memory_order_relaxed);
}

void metrics_observe_queue_wait(enum metrics_pool pool, double seconds)
{
	observe(queue_wait[pool], &queue_wait_us[pool], wait_buckets, N_WAIT_BUCKETS, seconds);
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

/* A gauge family with one value per worker pool (label pool). */
static void render_pool_gauge(struct strbuf *b, const char *name, const char *help,
                              const double value[METRICS_POOLS])
{
	strbuf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	for (size_t p = 0; p < METRICS_POOLS; p++)
		strbuf_printf(b, "%s{pool=\"%s\"} %.17g\n", name, pool_names[p], value[p]);
}

/* A counter or gauge without labels, as a row of a function's table of them. */
struct metric_line {
	enum { COUNTER, GAUGE } kind;
	const char *name;
	const char *help;
	double value;
};

static void render_lines(struct strbuf *b, const struct metric_line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lines[i].kind == GAUGE)
			strbuf_metric_gauge(b, lines[i].name, lines[i].help, lines[i].value);
		else
			strbuf_metric_counter(b, lines[i].name, lines[i].help, lines[i].value);
	}
}

/* Requests in flight, the workers' queues, shedding, deadlines and retries. */
static void render_execution(struct strbuf *b, const struct metrics_gauges *g)
{
	strbuf_metric_gauge(b, "http_requests_in_flight", "Requests received and not yet answered.",
	                    g->in_flight);
	double workers[METRICS_POOLS], busy[METRICS_POOLS], limit[METRICS_POOLS],
	    queued[METRICS_POOLS];
	for (size_t p = 0; p < METRICS_POOLS; p++) {
		workers[p] = g->pools[p].workers;
		busy[p] = g->pools[p].busy;
		limit[p] = g->pools[p].running_limit;
		queued[p] = (double)g->pools[p].queued;
	}
	render_pool_gauge(b, "http_workers", "Worker threads by pool.", workers);
	render_pool_gauge(b, "http_workers_busy", "Workers running a request, by pool.", busy);
	render_pool_gauge(b, "http_workers_running_limit",
	                  "How many workers may run at once now (adaptive), by pool.", limit);
	render_pool_gauge(b, "http_queue_depth", "Requests waiting for a worker, by pool.", queued);
	strbuf_printf(
	    b, "# HELP http_queue_wait_seconds Time a request waited for a worker, by pool.\n"
	       "# TYPE http_queue_wait_seconds histogram\n");
	for (size_t p = 0; p < METRICS_POOLS; p++) {
		unsigned long cum = 0;
		for (size_t i = 0; i < N_WAIT_BUCKETS; i++) {
			cum += atomic_load_explicit(&queue_wait[p][i], memory_order_relaxed);
			strbuf_printf(b,
			              "http_queue_wait_seconds_bucket{pool=\"%s\",le=\"%g\"} %lu\n",
			              pool_names[p], wait_buckets[i], cum);
		}
		cum += atomic_load_explicit(&queue_wait[p][N_WAIT_BUCKETS], memory_order_relaxed);
		strbuf_printf(b, "http_queue_wait_seconds_bucket{pool=\"%s\",le=\"+Inf\"} %lu\n",
		              pool_names[p], cum);
		strbuf_printf(
		    b, "http_queue_wait_seconds_sum{pool=\"%s\"} %.6f\n", pool_names[p],
		    (double)atomic_load_explicit(&queue_wait_us[p], memory_order_relaxed) / 1e6);
		strbuf_printf(b, "http_queue_wait_seconds_count{pool=\"%s\"} %lu\n", pool_names[p],
		              cum);
	}
	strbuf_printf(
	    b, "# HELP http_requests_shed_total Requests answered 503 without running, by reason.\n"
	       "# TYPE http_requests_shed_total counter\n");
	for (size_t i = 0; i < SHED_REASONS; i++)
		strbuf_printf(b, "http_requests_shed_total{reason=\"%s\"} %lu\n", shed_names[i],
		              atomic_load_explicit(&shed[i], memory_order_relaxed));
	const struct metric_line lines[] = {
	    {COUNTER, "http_request_deadline_expired_total",
	     "Requests answered 503 because REQUEST_TIMEOUT_MS passed.",
	     (double)atomic_load_explicit(&deadline_expired, memory_order_relaxed)},
	    {COUNTER, "http_request_retries_total",
	     "Handlers run again after a serialisation failure or deadlock.",
	     (double)atomic_load_explicit(&retries, memory_order_relaxed)},
	    {COUNTER, "http_slow_connections_closed_total",
	     "Connections closed because a request took longer than HTTP_READ_TIMEOUT_MS to arrive.",
	     (double)g->slow_connections_closed},
	};
	render_lines(b, lines, sizeof lines / sizeof *lines);
}

/* The database: connections, statement round trips, timeouts and the circuit breaker. */
static void render_database(struct strbuf *b, const struct database_stats *db)
{
	unsigned long cum = 0;

	strbuf_metric_gauge(
	    b, "db_pool_connections",
	    "Open PostgreSQL connections: each worker's, the read replica's ones included, "
	    "and the monitors'.",
	    db->connections);
	strbuf_printf(
	    b, "# HELP db_statement_duration_seconds Round trips to PostgreSQL (a statement with "
	       "what travels with it).\n# TYPE db_statement_duration_seconds histogram\n");
	for (size_t i = 0; i < DATABASE_STATEMENT_BOUNDS; i++) {
		cum += db->statement_buckets[i];
		strbuf_printf(b, "db_statement_duration_seconds_bucket{le=\"%g\"} %lu\n",
		              db_bounds[i], cum);
	}
	cum += db->statement_buckets[DATABASE_STATEMENT_BOUNDS];
	strbuf_printf(b, "db_statement_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
	strbuf_printf(b, "db_statement_duration_seconds_sum %.6f\n", db->statement_seconds);
	strbuf_printf(b, "db_statement_duration_seconds_count %lu\n", cum);
	const struct metric_line lines[] = {
	    {COUNTER, "db_statement_timeouts_total",
	     "Statements stopped by a request's deadline or statement_timeout.",
	     (double)db->timeouts},
	    {COUNTER, "db_transient_failures_total", "Serialisation failures and deadlocks.",
	     (double)db->transient_failures},
	    {COUNTER, "db_connect_failures_total", "PostgreSQL connection attempts that failed.",
	     (double)db->connects_failed},
	    {GAUGE, "db_circuit_breaker_state",
	     "0 closed, 1 open (requests refused at once), 2 half-open (one probe).",
	     (double)db->breaker},
	    {COUNTER, "db_circuit_breaker_openings_total", "Times the circuit breaker opened.",
	     (double)db->breaker_openings},
	};
	render_lines(b, lines, sizeof lines / sizeof *lines);
	if (!db->replica)
		return;
	const struct metric_line replica[] = {
	    {GAUGE, "db_replica_lag_seconds",
	     "How far the read replica's data are behind the primary's (-1: unknown: "
	     "unreachable, or not a standby).",
	     db->replica_lag_ms < 0 ? -1.0 : (double)db->replica_lag_ms / 1000},
	    {GAUGE, "db_replica_usable",
	     "1 while queries go to the read replica, 0 while they go to the primary (replica "
	     "unreachable or behind DATABASE_READ_MAX_LAG_MS).",
	     db->replica_usable ? 1 : 0},
	    {COUNTER, "db_replica_reads_total", "Queries sent to the read replica.",
	     (double)atomic_load_explicit(&replica_reads, memory_order_relaxed)},
	    {COUNTER, "db_replica_fallbacks_total",
	     "Queries the read replica failed (503) and the primary answered instead.",
	     (double)atomic_load_explicit(&replica_fallbacks, memory_order_relaxed)},
	};
	render_lines(b, replica, sizeof replica / sizeof *replica);
}

char *metrics_render(const struct metrics_gauges *g)
{
	struct strbuf b = {0};
	size_t nroutes = routes_count < ROUTES_MAX ? routes_count : ROUTES_MAX;
	const char *method, *route;

	strbuf_printf(&b, "# HELP http_requests_total HTTP requests by method, route and status.\n"
	                  "# TYPE http_requests_total counter\n");
	for (size_t ri = 0; ri <= nroutes; ri++) {
		route_labels(ri == nroutes ? ROUTES_MAX : ri, &method, &route);
		for (size_t si = 0; si <= N_STATUS; si++) {
			unsigned long v = atomic_load_explicit(
			    &requests[ri == nroutes ? ROUTES_MAX : ri][si], memory_order_relaxed);
			if (!v)
				continue;
			if (si < N_STATUS)
				strbuf_printf(
				    &b,
				    "http_requests_total{method=\"%s\",route=\"%s\",status=\"%u\"} %lu\n",
				    method, route, statuses[si], v);
			else
				strbuf_printf(
				    &b,
				    "http_requests_total{method=\"%s\",route=\"%s\",status=\"other\"} %lu\n",
				    method, route, v);
		}
	}
	strbuf_printf(&b, "# HELP http_request_duration_seconds Time to answer, by route.\n"
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
			strbuf_printf(
			    &b,
			    "http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %lu\n",
			    method, route, buckets[bi], cum);
		}
		cum += atomic_load_explicit(&hist[slot][N_BUCKETS], memory_order_relaxed);
		strbuf_printf(
		    &b,
		    "http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %lu\n",
		    method, route, cum);
		strbuf_printf(
		    &b, "http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
		    method, route,
		    (double)atomic_load_explicit(&hist_sum_us[slot], memory_order_relaxed) / 1e6);
		strbuf_printf(
		    &b, "http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %lu\n",
		    method, route, cum);
	}
	render_execution(&b, g);
	render_database(&b, &g->db);
	for (size_t f = 0; f < BUSINESS_FAMILIES; f++) {
		const char *name = business_families[f].name;
		strbuf_printf(&b, "# HELP %s %s\n# TYPE %s counter\n", name,
		              business_families[f].help, name);
		for (size_t i = 0; i < BUSINESS_COUNTERS; i++)
			if (business_samples[i].family == f)
				strbuf_printf(
				    &b, "%s%s %lu\n", name, business_samples[i].labels,
				    atomic_load_explicit(&business[i], memory_order_relaxed));
	}
	if (g->process)
		g->process(&b);
	return strbuf_take(&b);
}
