/*
 * The request pipeline (presentation layer): everything between a request and its handler, in
 * order — routing (404/405, OPTIONS and CORS preflight), rate limit (429), gateway API key (401),
 * token and role (401/403), JSON body checks (415/400) — then the handler. The checks that need
 * only the headers run on the I/O thread as soon as the headers are in, so a refused request's
 * body is never kept; the rest runs where the route's handler runs.
 */
#ifndef OFICINA_PRESENTATION_HTTP_PIPELINE_H
#define OFICINA_PRESENTATION_HTTP_PIPELINE_H

#include "presentation/http/http_types.h"

/*
 * The first call of a request, on its I/O thread, with only the headers: routing (404/405,
 * OPTIONS and CORS preflight), rate limits (429), gateway API key (401), token and role
 * (401/403), and the body's content type when it announces one (415). Returns ADMIT_ANSWERED
 * with the answer in res, or where the route's handler runs. Nothing here waits.
 */
enum admission pipeline_admit(struct request *req, struct response *res);

/* For a route that needs a body, once the request is read: false with a 400 when it is empty. */
bool pipeline_body_present(struct request *req, struct response *res);

/*
 * Runs an admitted request where it was sent (a worker; req->app set): parses the JSON body
 * (400), then the handler through Idempotency-Key and transient-failure retries. res starts as
 * a bare 500 (no body built until needed): a path that sets nothing still answers, and the
 * server turns it into a problem.
 */
void pipeline_execute(struct request *req, struct response *res);

/*
 * Checks the request body is a JSON object sent as application/json and parses it into
 * req->json (released with the request). False with a 400 or 415 in res otherwise. The
 * pipeline calls it for routes that take a body; the webhook calls it after its signature check.
 */
bool pipeline_read_body(struct request *req, struct response *res);

/* Adds the CORS headers of an allowed Origin to an answer (none for other origins). */
void pipeline_cors_headers(const struct request *req, struct MHD_Response *mr);

#endif
