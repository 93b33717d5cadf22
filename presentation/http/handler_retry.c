/* Retries of transient database failures around a handler (presentation layer). */
#include "presentation/http/handler_retry.h"

#include <stdint.h>
#include <time.h>

#include "domain/monotonic.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/worker_pool.h"

/* The deadline of the run under way: the replica's share of the request's, or all of it. */
static const struct timespec *attempt_deadline(const struct request *req)
{
	return req->primary ? &req->replica_deadline : &req->deadline;
}

/* Clears res and serves req afresh on req->app (which clears its retryable flag). */
static void restart(struct request *req, struct response *res)
{
	response_cleanup(res);
	*res = (struct response){.status = 500};
	transaction_serve(&req->app->tx, req->correlation_id, attempt_deadline(req));
}

/* handler on req->app, again after a transient failure (the header says when). */
static void run_with_retries(struct request *req, struct response *res, route_handler handler)
{
	const struct transaction *tx = &req->app->tx;
	for (int attempt = 1;; attempt++) {
		unsigned long before = transaction_committed(tx);
		handler(req, res);
		if (attempt >= HANDLER_ATTEMPTS || res->status != 503 ||
		    !transaction_retryable(tx) || transaction_committed(tx) != before)
			return;
		long pause = (long)monotonic_equal_jitter((int64_t)HANDLER_BACKOFF_MS * attempt);
		if (monotonic_ms_until(attempt_deadline(req)) <= pause)
			return;
		metrics_count_retry();
		worker_pool_sleep_ms(pause);
		restart(req, res);
	}
}

void handler_run(struct request *req, struct response *res, route_handler handler)
{
	run_with_retries(req, res, handler);
	if (res->status != 503 || !req->primary || monotonic_ms_until(&req->deadline) <= 0)
		return;
	/* The replica failed a query (unreachable, timed out, a conflict with its recovery). */
	const struct transaction *replica = &req->app->tx;
	transaction_rollback(replica);
	transaction_serve(replica, NULL, NULL);
	req->app = req->primary;
	req->primary = NULL;
	restart(req, res);
	run_with_retries(req, res, handler);
	/* Counted when the primary answered what the replica could not. */
	if (res->status < 500)
		metrics_count_replica_fallback();
}
