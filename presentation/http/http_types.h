/*
 * The types the HTTP layer passes around (presentation layer): one request context per request,
 * released when libmicrohttpd reports the request completed, and the response a handler fills.
 */
#ifndef OFICINA_PRESENTATION_HTTP_HTTP_TYPES_H
#define OFICINA_PRESENTATION_HTTP_HTTP_TYPES_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "application/app.h"
#include "application/ports/logger.h"

#define CORRELATION_ID_MAX   128
#define PATH_PARAMS_MAX      2
#define RESPONSE_HEADERS_MAX 8

struct server;
struct route;

struct request {
	struct server *server;                       /* the server this request belongs to */
	struct MHD_Connection *conn;                 /* libmicrohttpd's connection */
	const char *method;                          /* valid until the request completes */
	const char *path;                            /* decoded path, without query */
	char correlation_id[CORRELATION_ID_MAX + 1]; /* the client's sane value, or a new UUID */
	char trace_id[33];                           /* from traceparent, or "" */
	struct timespec start;                       /* monotonic, for duration_ms */
	char *body;                                  /* raw body, NUL-terminated, or NULL */
	size_t body_len;                             /* bytes in body */
	size_t body_cap;                             /* bytes allocated */
	bool responded;                              /* a response is queued */
	unsigned body_refused;                       /* 413 (too large) or 503 (no memory), or 0 */
	const struct route *route;                   /* matched route, or NULL */
	const char *params[PATH_PARAMS_MAX];         /* path parameters, point into param_buf */
	char param_buf[256];                         /* storage of the path parameters */
	json_t *json;                                /* parsed body of routes that take one */
	struct token_claims claims;                  /* the verified token, when authenticated */
	bool authenticated;                          /* claims are valid */
	const struct app *app;                       /* this worker thread's application ports */
	struct app_caller caller;                    /* who asks, for commands */
	unsigned status;                             /* status sent, for the access log */
	size_t bytes_out;                            /* body bytes sent */
};

struct response_header {
	char name[32];
	char value[512];
};

struct response {
	unsigned status;      /* HTTP status */
	json_t *body;         /* owned; NULL for no body */
	bool problem;         /* body is application/problem+json */
	bool view_failed;                       /* a view could not be built: answer 500 */
	char *link;                             /* the Link header of a list (malloc'd, owned), or NULL */
	char *raw;            /* a non-JSON body (malloc'd, owned), or NULL */
	const char *raw_type; /* its Content-Type */
	size_t n_headers;
	struct response_header headers[RESPONSE_HEADERS_MAX];
};

/* A route handler: fills res from req. Every path fills res (status 500 by default). */
typedef void (*route_handler)(struct request *req, struct response *res);

#endif
