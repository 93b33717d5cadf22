/*
 * The HTTP server on libmicrohttpd (presentation layer).
 *
 * I/O threads (a pool of epoll loops) read requests and answer at once whatever needs no
 * database: /api/ping, the health checks, /metrics, CORS preflight, 404/405, 401/403 for a token,
 * 413/415, 429, and 503 when the load must be shed. Everything else is handed, with the
 * connection suspended, to a bounded queue of handler workers that run the handler as plain
 * synchronous code, each with its own PostgreSQL session: a wait on the database holds up only
 * its own request. Password hashing has its own small pool, so a flood of logins can neither
 * take the other workers nor the pod's memory. When a worker is done it resumes the connection
 * and the I/O thread queues the answer — always on a later call of the access handler than the
 * first, because queuing on the first forces "Connection: close" in libmicrohttpd 0.9.75.
 *
 * Bounds: connections in all and per address, a deadline to receive each request (headers and
 * body, conn_guard.h), a total of buffered body bytes, the queues' length and wait, and each
 * request's deadline (REQUEST_TIMEOUT_MS), which its database work inherits.
 */
#ifndef OFICINA_PRESENTATION_HTTP_SERVER_H
#define OFICINA_PRESENTATION_HTTP_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "application/app.h"
#include "application/ports/database_stats.h"
#include "application/ports/health_probe.h"
#include "application/ports/logger.h"
#include "application/ports/telemetry.h"
#include "domain/cidr.h"
#include "domain/strbuf.h"
#include "presentation/http/rate_limit.h"

struct sessoes;

struct server_config {
	unsigned port;                    /* TCP port; 0 picks a free one */
	unsigned threads;                 /* I/O threads */
	unsigned workers;                 /* handler workers (one database connection each) */
	unsigned password_workers;        /* password workers (one database connection each) */
	unsigned max_queued;              /* requests waiting for a worker at most (per pool) */
	int queue_timeout_ms;             /* longest wait for a worker */
	int request_timeout_ms;           /* a request's budget once read, queue wait included */
	int read_timeout_ms;              /* to receive a whole request (headers and body) */
	unsigned connection_limit;        /* open connections at most */
	unsigned per_ip_connection_limit; /* open connections per client address; 0: no limit */
	unsigned connection_timeout_s;    /* idle keep-alive connections close after this */
	size_t max_body_bytes;            /* 413 beyond */
	size_t max_body_buffer_bytes;     /* request bodies held at once, all requests together */
	long rate_limit_per_minute;       /* per client address; <= 0: no limit */
	long auth_rate_limit_per_minute;  /* per client on /api/auth/ routes; <= 0: no limit */
	struct cidr_list
	    trusted_proxies;         /* peers whose X-Forwarded-For is believed; none: the peer */
	const char *gateway_api_key; /* required in x-api-key when non-empty */
	const char *cors_origins;    /* comma-separated allowed origins; "*" for any */
	struct token_service tokens; /* verifies tokens on the I/O threads (thread-safe) */
	struct sessoes *sessoes; /* the accounts' states: revoked tokens are 401; NULL: no check */
	struct health_probe database; /* readiness: answers at once (a monitor probes) */
	const struct app *(*app_for_thread)(void); /* a worker's ports, made when it starts */
	void (*app_release)(void);                 /* releases them when the worker ends */
	/*
	 * The worker's ports over a read replica for a query (GET: safe by HTTP's contract, so its
	 * handler only reads), or NULL to run it on the primary; NULL itself when there is none.
	 */
	const struct app *(*app_for_queries)(void);
	bool (*database_rejecting)(void); /* the circuit breaker is open: shed at once */
	void (*database_stats)(struct database_stats *out); /* for /metrics */
	void (*process_metrics)(struct strbuf *out); /* process_* and build info; NULL: none */
	struct logger log;                           /* access lines and errors */
	struct telemetry telemetry; /* DogStatsD copy of the metrics; ops NULL: none */
};

struct worker_pool;
struct conn_guard;

struct server {
	struct server_config cfg;             /* copy; the strings must outlive the server */
	struct MHD_Daemon *daemon;            /* libmicrohttpd */
	struct worker_pool *workers;          /* handler workers */
	struct worker_pool *password_workers; /* workers of the routes that hash passwords */
	struct conn_guard *guard;             /* read deadlines */
	struct rate_limit *limiter;           /* NULL when there is no limit */
	struct rate_limit *auth_limiter;      /* logins; NULL when there is no limit */
	atomic_bool draining;     /* SIGTERM received: readiness 503, connections close */
	atomic_int in_flight;     /* requests begun and not completed */
	atomic_size_t body_bytes; /* request body buffers held now */
	unsigned port;            /* the port bound */
};

/* Starts serving. Returns the server, or NULL with a message in err. Free with server_stop. */
struct server *server_start(const struct server_config *cfg, char *err, size_t errlen);

/*
 * Begins a graceful stop: readiness answers 503, new connections are closed at once, answers carry
 * "Connection: close". Then waits up to timeout_ms for the requests in flight to complete.
 * Returns true when none is left.
 */
bool server_drain(struct server *s, int timeout_ms);

/*
 * Stops the workers (requests still queued are answered 503; those running finish, within
 * their deadline), then the daemon, and frees the server. Accepts NULL.
 */
void server_stop(struct server *s);

/* The gauges of /metrics now. */
struct metrics_gauges;
void server_gauges(struct server *s, struct metrics_gauges *out);

#endif
