/* Ping, liveness, readiness and metrics (presentation layer, SPEC §6–§7). */
#include <stdlib.h>

#include "domain/errors.h"
#include "presentation/http/handlers.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/server.h"

void handle_ping(struct request *req, struct response *res)
{
	(void)req;
	response_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

void handle_live(struct request *req, struct response *res)
{
	handle_ping(req, res);
}

void handle_ready(struct request *req, struct response *res)
{
	const struct health_probe *banco = &req->server->cfg.database;

	if (atomic_load_explicit(&req->server->draining, memory_order_relaxed)) {
		response_problem(res, req, 503, "o servidor está encerrando", NULL);
		response_header(res, "Retry-After", "5");
		return;
	}
	/*
	 * The monitor's last probe, or the circuit breaker opened by real traffic (fresher news):
	 * readiness never waits on the database itself.
	 */
	bool rejecting =
	    req->server->cfg.database_rejecting && req->server->cfg.database_rejecting();
	if (rejecting || !banco->ops || health_probe_ping(banco) != 0) {
		response_error(res, req, APP_EUNAVAILABLE, NULL);
		return;
	}
	response_json(res, 200, json_pack("{s:s, s:s}", "status", "ok", "database", "ok"));
}

void handle_metrics(struct request *req, struct response *res)
{
	struct metrics_gauges g;
	server_gauges(req->server, &g);
	char *text = metrics_render(&g);
	if (text)
		response_text(res, 200, text, "text/plain; version=0.0.4; charset=utf-8");
}
