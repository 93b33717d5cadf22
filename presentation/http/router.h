/*
 * Routing (presentation layer): a static table, one row per endpoint (presentation/http/routes.c),
 * with everything the server knows about it.
 */
#ifndef OFICINA_PRESENTATION_HTTP_ROUTER_H
#define OFICINA_PRESENTATION_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "presentation/http/http_types.h"

#define PERFIS_PUBLICO 0u /* no token needed */
#define PERFIS_EQUIPE  (PERFIL_ADMIN | PERFIL_ATENDENTE | PERFIL_MECANICO)

/* What a route takes as its body. */
enum route_body {
	ROUTE_NO_BODY = 0,            /* none: a body sent is read and ignored */
	ROUTE_JSON_BODY = 1,          /* a JSON object, required */
	ROUTE_OPTIONAL_JSON_BODY = 2, /* none, or a JSON object (order actions: {"motivo"}) */
};

/* Where a route's handler runs (see server.h). */
enum route_runner {
	ROUTE_ON_WORKER = 0, /* a handler worker: it may wait on PostgreSQL */
	ROUTE_ON_IO = 1,     /* the I/O thread, at once: no database, no waiting (ping, health) */
	ROUTE_ON_HASHER = 2, /* a password worker: it hashes or verifies a password */
};

/*
 * What a "{name}" segment of a pattern captures. A path segment that is not of its capture's kind
 * matches no route: 404 before any handler, as for an unknown path.
 */
enum route_capture {
	ROUTE_CAPTURE_UUID = 0,  /* a UUID (the API's identifiers), parsed into req->ids[i] */
	ROUTE_CAPTURE_TOKEN = 1, /* an opaque token: 1..PATH_TOKEN_MAX of [A-Za-z0-9._-], copied
	                            as it is into req->token (the budget links' signed token) */
};

/*
 * One endpoint. Read by the router (method, pattern, captures), the admission in pipeline.c
 * (internal, browser, roles, body, runner), idempotency.c (idempotent), the metrics (the row's
 * index is the route's label) and scripts/check-openapi.sh (method and pattern against
 * docs/openapi.yaml).
 */
struct route {
	const char *method; /* GET, POST, PUT, PATCH, DELETE (HEAD is answered as GET) */
	/*
	 * Segments; "{name}" captures one, of the kind given at its position in captures. The i-th
	 * capture of the pattern is req->ids[i] when it is a UUID; a token capture (at most one per
	 * pattern) leaves ids[i] unset and fills req->token.
	 */
	const char *pattern;
	/* The kind of each capture of pattern, in order; default: UUID. */
	enum route_capture captures[PATH_PARAMS_MAX];
	route_handler handler; /* fills the response */
	/*
	 * The handler's argument, where one handler serves several rows: the order actions' enum
	 * ordem_acao, an order's items' enum ordem_item_tipo. Default 0.
	 */
	int arg;
	unsigned perfis;      /* mask of enum perfil allowed; PERFIS_PUBLICO: no token */
	enum route_body body; /* default: none */
	bool idempotent;      /* honours Idempotency-Key (idempotency.h); default: no */
	bool internal;        /* health, metrics, docs: no x-api-key, no rate limit; default: no */
	enum route_runner runner; /* default: a handler worker */
	/*
	 * A page a customer's browser opens straight from a link in an e-mail (the budget
	 * links), not through the API gateway, so it cannot carry x-api-key: no x-api-key, but
	 * the rate limits as for /api. Default: no (behind the gateway key).
	 */
	bool browser;
};

/* The routes of the server and their count (presentation/http/routes.c). */
extern const struct route routes[];
extern const size_t routes_count;

enum router_result {
	ROUTER_FOUND,        /* *out is the route; req->ids and req->token are set */
	ROUTER_NOT_FOUND,    /* no pattern matches the path */
	ROUTER_WRONG_METHOD, /* the path exists for other methods, listed in allow */
};

/*
 * Finds the route for method and path. HEAD matches GET. On ROUTER_WRONG_METHOD allow gets the
 * comma-separated methods of the path (OPTIONS included); it is also filled on ROUTER_FOUND.
 */
enum router_result router_match(const char *method, const char *path, struct request *req,
                                const struct route **out, char *allow, size_t allow_size);

/* Index of r in routes (for metrics); routes_count for NULL. */
size_t route_index(const struct route *r);

#endif
