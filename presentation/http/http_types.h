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
#define PATH_TOKEN_MAX       127 /* characters of a token capture (router.h) */
#define RESPONSE_HEADERS_MAX 8

struct server;
struct route;

/* Values are short (Location is at most 255 bytes; Link has its own heap buffer). */
struct response_header {
	char name[32];
	char value[256];
};

struct response {
	unsigned status;      /* HTTP status */
	json_t *body;         /* owned; NULL for no body */
	bool problem;         /* body is application/problem+json */
	bool view_failed;     /* a view could not be built: answer 500 */
	char *link;           /* the Link header of a list (malloc'd, owned), or NULL */
	char *raw;            /* a non-JSON body, or the body rendered (malloc'd, owned), or NULL */
	const char *raw_type; /* its Content-Type */
	const char *fixed;    /* a static body sent instead (never freed), or NULL */
	size_t fixed_len;     /* its length; 0: up to its NUL */
	size_t n_headers;
	struct response_header headers[RESPONSE_HEADERS_MAX];
};

/* What the first call of a request decided (presentation/http/pipeline.h). */
enum admission {
	ADMIT_ANSWERED, /* refused or answered already: res holds the answer */
	ADMIT_IO,       /* the handler runs on the I/O thread once the request is read */
	ADMIT_WORKER,   /* a handler worker runs it */
	ADMIT_HASHER,   /* a password worker runs it */
};

struct guarded_conn;

struct request {
	struct server *server;                       /* the server this request belongs to */
	struct MHD_Connection *conn;                 /* libmicrohttpd's connection */
	struct guarded_conn *guard;                  /* its read deadlines, or NULL */
	const char *method;                          /* valid until the request completes */
	const char *path;                            /* decoded path, without query */
	char correlation_id[CORRELATION_ID_MAX + 1]; /* the client's sane value, or a new UUID */
	char trace_id[33];                           /* from traceparent, or "" */
	struct timespec start;                       /* monotonic, for duration_ms */
	struct timespec deadline;                    /* monotonic: REQUEST_TIMEOUT_MS once read */
	char *body;                                  /* raw body, NUL-terminated, or NULL */
	size_t body_len;                             /* bytes in body */
	size_t body_cap;                             /* bytes allocated (held in the body budget) */
	bool discard_body;                           /* answered before its body: read, not kept */
	bool responded;                              /* a response is queued */
	unsigned body_refused;                       /* 413 (too large) or 503 (no room), or 0 */
	enum admission admission;                    /* decided on the first call */
	bool answer_ready;                           /* res is final: queue it on the next call */
	struct response res;                         /* the answer, built where the request runs */
	const struct route *route;                   /* matched route, or NULL */
	struct uuid ids[PATH_PARAMS_MAX];            /* the path's captures, in order (router.h) */
	char token[PATH_TOKEN_MAX + 1];              /* the path's token capture, or "" */
	json_t *json;                                /* parsed body of routes that take one */
	struct token_claims claims;                  /* the verified token, when authenticated */
	bool authenticated;                          /* claims are valid */
	const struct app *app;                       /* the worker's application ports, or NULL */
	const struct app *primary;                   /* when app is the replica's: the primary's */
	struct timespec replica_deadline; /* the replica's share of deadline (half what is left) */
	struct app_caller caller;         /* who asks, for commands */
	unsigned status;                  /* status sent, for the access log */
	size_t bytes_out;                 /* body bytes sent */
};

/* A route handler: fills res from req. Every path fills res (status 500 by default). */
typedef void (*route_handler)(struct request *req, struct response *res);

#endif
