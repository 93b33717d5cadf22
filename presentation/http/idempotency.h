/*
 * Idempotency-Key (presentation layer, SPEC §5): the pipeline step around the handler of the
 * endpoints that create or act (POST /api/clientes, /api/ordens, /api/pecas/{uuid}/movimentos, the
 * order actions and items, PATCH /api/ordens/{uuid}/status): the rows of the route table whose
 * idempotent field is set (routes.c).
 *
 * With a key, a request is run at most once per (caller, method, path, key): the key is claimed
 * in the store before the handler runs; a duplicate with the same body gets the first answer again
 * (status, body, Location) with "Idempotent-Replayed: true"; one with another body gets 409; a
 * duplicate that arrives while the first still runs waits for its answer. 5xx answers are not
 * kept (the key is released, so a retry runs again); every other answer, 4xx included, is.
 */
#ifndef OFICINA_PRESENTATION_HTTP_IDEMPOTENCY_H
#define OFICINA_PRESENTATION_HTTP_IDEMPOTENCY_H

#include <stdbool.h>

#include "presentation/http/http_types.h"

/*
 * How long a duplicate waits for the first answer. It waits on its handler worker, parked (its
 * running slot given back), so the wait costs a thread but no running slot; a first request still
 * running after it gets 409 with Retry-After rather than a longer wait.
 */
#define IDEMPOTENCY_WAIT_MS 3000
#define IDEMPOTENCY_POLL_MS 20 /* how often it looks */

/*
 * Runs handler for req into res, honouring the request's Idempotency-Key when the endpoint
 * applies and the store is wired (otherwise it just calls handler). A key that is not 1–255
 * printable ASCII characters answers 400 without running the handler.
 */
void idempotency_dispatch(struct request *req, struct response *res, route_handler handler);

#endif
