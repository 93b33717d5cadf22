/* The background processes' HTTP endpoint (infrastructure layer; process_http.h). */
#include "infrastructure/telemetry/process_http.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "domain/heap.h"
#include "infrastructure/telemetry/process_stats.h"

struct process_http {
	struct MHD_Daemon *daemon;
	const struct process_http_ops *ops;
	void *arg;
};

static enum MHD_Result responder(struct MHD_Connection *conn, unsigned status, const char *type,
                                 const char *body, size_t len)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ok = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result atender(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **state)
{
	struct process_http *h = cls;
	static const char json[] = "application/json";
	(void)version;
	(void)upload;

	/* The first call only announces the request (see the server: answering now would close). */
	if (!*state) {
		*state = h;
		return MHD_YES;
	}
	*upload_size = 0;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return responder(conn, 405, json, "{\"status\":405}", 14);
	if (strcmp(url, "/health/live") == 0)
		return responder(conn, 200, json, "{\"status\":\"UP\"}", 15);
	if (strcmp(url, "/health/ready") == 0) {
		const char *why = "";
		char body[128];
		bool ok = h->ops->ready(h->arg, &why);
		int n = snprintf(body, sizeof body, "{\"status\":\"%s\",\"motivo\":\"%s\"}",
		                 ok ? "UP" : "DOWN", why);
		return responder(conn, ok ? 200 : 503, json, body, (size_t)n);
	}
	if (strcmp(url, "/metrics") == 0) {
		struct strbuf b = {0};
		h->ops->metrics(h->arg, &b);
		process_stats_render(&b);
		char *text = strbuf_take(&b);
		if (!text)
			return MHD_NO;
		enum MHD_Result ok =
		    responder(conn, 200, "text/plain; version=0.0.4", text, strlen(text));
		heap_free(text);
		return ok;
	}
	return responder(conn, 404, json, "{\"status\":404}", 14);
}

struct process_http *process_http_start(unsigned port, const struct process_http_ops *ops,
                                        void *arg)
{
	struct process_http *h = heap_calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->ops = ops;
	h->arg = arg;
	h->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY,
	                             (uint16_t)port, NULL, NULL, atender, h,
	                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
	if (!h->daemon) {
		heap_free(h);
		return NULL;
	}
	return h;
}

void process_http_stop(struct process_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->daemon);
	heap_free(h);
}
