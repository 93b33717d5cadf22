/* Retries of transient database failures around a handler (presentation layer). */
#include "presentation/http/handler_retry.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/worker_pool.h"

static long ms_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* Half the pause fixed, half random, so that two colliding requests do not collide again. */
static long jittered(long ms)
{
	static _Thread_local uint64_t x;
	struct timespec now;

	if (!x) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		x = (uint64_t)now.tv_nsec ^ (uint64_t)(uintptr_t)&x ^ 0x2545f4914f6cdd1du;
	}
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return ms / 2 + (long)(x % (uint64_t)(ms / 2 + 1));
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	worker_pool_park();
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	worker_pool_unpark();
}

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
		long pause = jittered((long)HANDLER_BACKOFF_MS * attempt);
		if (ms_until(attempt_deadline(req)) <= pause)
			return;
		metrics_count_retry();
		pause_ms(pause);
		restart(req, res);
	}
}

void handler_run(struct request *req, struct response *res, route_handler handler)
{
	run_with_retries(req, res, handler);
	if (res->status != 503 || !req->primary || ms_until(&req->deadline) <= 0)
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
