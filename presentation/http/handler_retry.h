/*
 * Transient database failures retried by the server (presentation layer). A serialisation
 * failure or a deadlock (SQLSTATE 40001, 40P01) makes PostgreSQL roll the whole transaction
 * back; running the command again usually succeeds, so the client should not see it. The
 * handler runs again only when it committed nothing and there is time left.
 */
#ifndef OFICINA_PRESENTATION_HTTP_HANDLER_RETRY_H
#define OFICINA_PRESENTATION_HTTP_HANDLER_RETRY_H

#include "presentation/http/http_types.h"

#define HANDLER_ATTEMPTS   3  /* runs at most, the first included */
#define HANDLER_BACKOFF_MS 20 /* pause before the second run (then 40), with jitter */

/*
 * Runs handler on req (req->app set) into res; when it answered 503 because of a transient
 * failure (the unit of work says retryable) and committed nothing, clears res and runs it again,
 * up to HANDLER_ATTEMPTS runs, after a jittered pause that must fit before req->deadline.
 * A query on the read replica (req->primary set) gets half of what is left of the deadline
 * (req->replica_deadline); when the replica answered 503 (refused, failed, or hung past its half)
 * it runs once more on the primary with the rest: a replica that fails costs the client nothing
 * but time.
 */
void handler_run(struct request *req, struct response *res, route_handler handler);

#endif
