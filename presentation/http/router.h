/*
 * Routing (presentation layer): a static table of method + path pattern ("/api/clientes/{uuid}")
 * per handler, with the roles allowed and whether a JSON body is expected.
 */
#ifndef OFICINA_PRESENTATION_HTTP_ROUTER_H
#define OFICINA_PRESENTATION_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "presentation/http/http_types.h"

#define ROLES_PUBLIC 0u /* no token needed */
#define ROLES_STAFF  (PERFIL_ADMIN | PERFIL_ATENDENTE | PERFIL_MECANICO)

enum route_body {
	ROUTE_NO_BODY = 0,       /* a body is ignored */
	ROUTE_BODY = 1,          /* a JSON object is required */
	ROUTE_OPTIONAL_BODY = 2, /* none, or a JSON object (order actions: {"motivo"}) */
};

/* Where a route's handler runs (see server.h). */
enum route_runner {
	ROUTE_ON_WORKER = 0, /* a handler worker: it may wait on PostgreSQL */
	ROUTE_ON_IO = 1,     /* the I/O thread, at once: no database, no waiting (ping, health) */
	ROUTE_ON_HASHER = 2, /* a password worker: it hashes or verifies a password */
};

struct route {
	const char *method;       /* GET, POST, PUT, PATCH, DELETE */
	const char *pattern;      /* segments; "{name}" captures one segment */
	route_handler handler;    /* fills the response */
	unsigned roles;           /* mask of enum perfil allowed; ROLES_PUBLIC for everyone */
	enum route_body body;     /* whether a JSON object body is expected */
	bool api;                 /* under /api: x-api-key and rate limit apply */
	enum route_runner runner; /* where the handler runs (default: a worker) */
};

/* The routes of the server and their count (presentation/http/routes.c). */
extern const struct route routes[];
extern const size_t routes_count;

enum router_result {
	ROUTER_FOUND,        /* *out is the route; req->params are set */
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
