/*
 * The HTTP server on libmicrohttpd (presentation layer): a pool of worker threads on epoll, an
 * explicit connection limit and idle timeout, request bodies read incrementally up to a limit,
 * and the response queued on the second call of the access handler, never the first (queuing on
 * the first forces "Connection: close" in libmicrohttpd 0.9.75 and kills keep-alive).
 */
#ifndef OFICINA_PRESENTATION_HTTP_SERVER_H
#define OFICINA_PRESENTATION_HTTP_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "application/app.h"
#include "application/ports/logger.h"
#include "application/ports/telemetry.h"
#include "presentation/http/rate_limit.h"

struct server_config {
	unsigned port;                 /* TCP port; 0 picks a free one */
	unsigned threads;              /* worker threads */
	unsigned connection_limit;     /* open connections at most */
	unsigned connection_timeout_s; /* idle keep-alive connections close after this */
	size_t max_body_bytes;         /* 413 beyond */
	long rate_limit_per_minute;    /* per client address; <= 0: no limit */
	long auth_rate_limit_per_minute; /* per client on /api/auth/ routes; <= 0: no limit */
	unsigned trusted_proxy_hops;   /* proxies that append to X-Forwarded-For; 0: the peer */
	const char *gateway_api_key;   /* required in x-api-key when non-empty */
	const char *cors_origins;      /* comma-separated allowed origins; "*" for any */
	const struct app *(*app_for_thread)(void); /* this worker thread's ports */
	int (*db_connections)(void);               /* open database connections, for /metrics */
	struct logger log;                         /* access lines and errors */
	struct telemetry telemetry; /* DogStatsD copy of the metrics; ops NULL: none */
};

struct server {
	struct server_config cfg;   /* copy; the strings must outlive the server */
	struct MHD_Daemon *daemon;  /* libmicrohttpd */
	struct rate_limit *limiter; /* NULL when there is no limit */
	struct rate_limit *auth_limiter; /* logins; NULL when there is no limit */
	atomic_bool draining;       /* SIGTERM received: readiness 503, connections close */
	atomic_int in_flight;       /* requests begun and not completed */
	unsigned port;              /* the port bound */
};

/* Starts serving. Returns the server, or NULL with a message in err. Free with server_stop. */
struct server *server_start(const struct server_config *cfg, char *err, size_t errlen);

/*
 * Begins a graceful stop: readiness answers 503, no new connection is accepted, answers carry
 * "Connection: close". Then waits up to timeout_ms for the requests in flight to complete.
 * Returns true when none is left.
 */
bool server_drain(struct server *s, int timeout_ms);

/* Stops the daemon and frees the server. Accepts NULL. */
void server_stop(struct server *s);

#endif
