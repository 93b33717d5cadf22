/*
 * The request pipeline (presentation layer): everything between a complete request and its
 * handler, in order — routing (404/405, OPTIONS and CORS preflight), rate limit (429), gateway
 * API key (401), token and role (401/403), JSON body checks (400/415) — then the handler.
 */
#ifndef OFICINA_PRESENTATION_HTTP_PIPELINE_H
#define OFICINA_PRESENTATION_HTTP_PIPELINE_H

#include "presentation/http/http_types.h"

/*
 * Fills res for req. res starts as a bare 500 (no body built until needed): a path that sets
 * nothing still answers, and the server turns it into a problem.
 */
void pipeline_dispatch(struct request *req, struct response *res);

/*
 * Checks the request body is a JSON object sent as application/json and parses it into
 * req->json (released with the request). False with a 400 or 415 in res otherwise. The
 * pipeline calls it for routes that take a body; the webhook calls it after its signature check.
 */
bool pipeline_read_body(struct request *req, struct response *res);

/* Adds the CORS headers of an allowed Origin to an answer (none for other origins). */
void pipeline_cors_headers(const struct request *req, struct MHD_Response *mr);

#endif
