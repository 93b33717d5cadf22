/* libmicrohttpd glue: request contexts, body reading, queuing, access log, drain (presentation). */
#include "presentation/http/server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "presentation/http/metrics.h"
#include "presentation/http/pipeline.h"
#include "presentation/http/response.h"
#include "presentation/http/router.h"

static bool sane_correlation_id(const char *v)
{
	size_t n = 0;
	if (!v)
		return false;
	for (; v[n]; n++) {
		char c = v[n];
		if (n >= CORRELATION_ID_MAX ||
		    !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return n > 0;
}

/* A random (version 4) UUID, from the kernel's generator. */
static void new_uuid_v4(char out[37])
{
	unsigned char b[16];
	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
		/* getrandom on Linux >= 3.17 does not fail for 16 bytes; keep going regardless */
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)rand();
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* W3C traceparent "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>": keep the trace id. */
static void read_traceparent(struct request *req)
{
	const char *tp = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "traceparent");
	if (tp && strlen(tp) >= 55 && tp[2] == '-' && tp[35] == '-' && is_hex(tp + 3, 32)) {
		memcpy(req->trace_id, tp + 3, 32);
		req->trace_id[32] = '\0';
	}
}

static struct request *request_new(struct server *s, struct MHD_Connection *conn,
                                   const char *method, const char *path)
{
	struct request *req = calloc(1, sizeof *req);
	if (!req)
		return NULL;
	req->server = s;
	req->conn = conn;
	req->method = method;
	req->path = path;
	clock_gettime(CLOCK_MONOTONIC, &req->start);
	const char *cid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Correlation-Id");
	if (!sane_correlation_id(cid))
		cid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
	if (sane_correlation_id(cid))
		snprintf(req->correlation_id, sizeof req->correlation_id, "%s", cid);
	else
		new_uuid_v4(req->correlation_id);
	read_traceparent(req);
	atomic_fetch_add_explicit(&s->in_flight, 1, memory_order_relaxed);
	return req;
}

static enum MHD_Result queue(struct request *req, struct response *res)
{
	char *text = NULL;
	size_t len = 0;
	const char *type = "application/json";
	struct MHD_Response *mr;
	enum MHD_Result ret;

	if (res->raw) {
		text = res->raw;
		res->raw = NULL;
		len = strlen(text);
		type = res->raw_type;
	} else if (res->body) {
		text = json_dumps(res->body, JSON_COMPACT);
		len = text ? strlen(text) : 0;
		if (res->problem)
			type = "application/problem+json";
	}
	mr = MHD_create_response_from_buffer(len, text ? text : (void *)"",
	                                     text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		free(text);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(mr, "X-Correlation-Id", req->correlation_id);
	for (size_t i = 0; i < res->n_headers; i++)
		MHD_add_response_header(mr, res->headers[i].name, res->headers[i].value);
	if (res->link)
		MHD_add_response_header(mr, "Link", res->link);
	pipeline_cors_headers(req, mr);
	if (atomic_load_explicit(&req->server->draining, memory_order_relaxed))
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(req->conn, res->status, mr);
	MHD_destroy_response(mr);
	req->responded = true;
	req->status = res->status;
	req->bytes_out = len;
	return ret;
}

/* Answers at once with a problem (body too large, out of memory). */
static enum MHD_Result queue_problem(struct request *req, unsigned status, const char *detail)
{
	struct response res = {0};
	enum MHD_Result ret;
	response_problem(&res, req, status, detail, NULL);
	ret = queue(req, &res);
	response_cleanup(&res);
	return ret;
}

static bool append_body(struct request *req, const char *data, size_t size, size_t max)
{
	if (req->body_len + size > max)
		return false;
	if (req->body_len + size + 1 > req->body_cap) {
		size_t cap = req->body_cap ? req->body_cap : 1024;
		while (cap < req->body_len + size + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		char *b = realloc(req->body, cap);
		if (!b)
			return false;
		req->body = b;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, data, size);
	req->body_len += size;
	req->body[req->body_len] = '\0';
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct request *req = *con_cls;
	size_t max = s->cfg.max_body_bytes;
	(void)version;

	if (!req) {
		/* First call: headers only. Answer now only to refuse (that closes the connection).
		 */
		if (!(req = request_new(s, conn, method, url)))
			return MHD_NO;
		*con_cls = req;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			errno = 0;
			char *end;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno == 0 && *end == '\0' && n > max)
				return queue_problem(req, 413, "corpo maior que o limite aceito");
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t size = *upload_data_size;
		*upload_data_size = 0;
		/*
		 * libmicrohttpd 0.9.75 refuses a response queued in the middle of a chunked upload,
		 * so a body that outgrows the limit is discarded as it arrives (nothing more is
		 * kept) and answered 413 once it ends; the idle timeout bounds a client that never
		 * ends it.
		 */
		if (!req->responded && !req->body_refused &&
		    !append_body(req, upload_data, size, max))
			req->body_refused = req->body_len + size > max ? 413 : 503;
		return MHD_YES;
	}
	if (req->responded)
		return MHD_YES;
	if (req->body_refused)
		return queue_problem(req, req->body_refused,
		                     req->body_refused == 413 ? "corpo maior que o limite aceito"
		                                              : "sem memória para o corpo");

	struct response res = {0};
	pipeline_dispatch(req, &res);
		if (res.view_failed || (res.status >= 500 && !res.body && !res.raw)) {
		response_cleanup(&res);
		res = (struct response){0};
		response_problem(&res, req, 500, "erro interno; informe o correlation_id", NULL);
		if (s->cfg.log.ops)
			s->cfg.log.ops->write(s->cfg.log.self, LOG_LEVEL_ERROR, req->correlation_id,
			                      "no answer could be built for this request", NULL, 0);
	}
	enum MHD_Result ret = queue(req, &res);
	response_cleanup(&res);
	return ret;
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/*
 * The method as a label for logs and metrics: one of the methods we serve, else "OTHER". A client
 * may send any token as a method; it must not reach a metric tag or bloat the label set.
 */
static const char *method_label(const char *m)
{
	static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
	for (size_t i = 0; m && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(m, known[i]) == 0)
			return known[i];
	return "OTHER";
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *req = *con_cls;
	(void)conn;

	if (!req)
		return;
	*con_cls = NULL;
	double secs = seconds_since(&req->start);
	unsigned status = req->responded ? req->status : 499; /* the client went away */
	const char *route = req->route ? req->route->pattern : "unmatched";

	const char *method = method_label(req->method);
	metrics_observe(req->route, method, status, secs);
	if (s->cfg.log.ops && s->cfg.log.ops->enabled(s->cfg.log.self, LOG_LEVEL_INFO)) {
		struct log_field f[] = {
		    {"method", method, 0},
		    {"route", route, 0},
		    {"status", NULL, status},
		    {"duration_ms", NULL, (double)(long long)(secs * 1e6) / 1e3},
		    {"bytes", NULL, (double)req->bytes_out},
		    {"trace_id", req->trace_id[0] ? req->trace_id : NULL, 0},
		};
		size_t n = req->trace_id[0] ? 6 : 5;
		s->cfg.log.ops->write(
		    s->cfg.log.self, LOG_LEVEL_INFO, req->correlation_id,
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "request" : "request aborted", f,
		    n);
	}
	json_decref(req->json);
	free(req->body);
	free(req);
	atomic_fetch_sub_explicit(&s->in_flight, 1, memory_order_relaxed);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct server *s = cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	if (s->cfg.log.ops)
		s->cfg.log.ops->write(s->cfg.log.self, LOG_LEVEL_WARN, NULL, msg, NULL, 0);
}

struct server *server_start(const struct server_config *cfg, char *err, size_t errlen)
{
	struct server *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	s->limiter = rate_limit_new(cfg->rate_limit_per_minute);
	s->auth_limiter = rate_limit_new(cfg->auth_rate_limit_per_minute);
	if ((cfg->rate_limit_per_minute > 0 && !s->limiter) ||
	    (cfg->auth_rate_limit_per_minute > 0 && !s->auth_limiter)) {
		rate_limit_free(s->limiter);
		rate_limit_free(s->auth_limiter);
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	/* Before the workers start: they read it without a lock. */
	metrics_set_telemetry(&s->cfg.telemetry);
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	/* The logger goes first so that libmicrohttpd reports option errors through it. */
	s->daemon = MHD_start_daemon(
	    flags, (uint16_t)cfg->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
	    mhd_log, s, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit, MHD_OPTION_CONNECTION_TIMEOUT,
	    cfg->connection_timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on port %u: %s", cfg->port, strerror(errno));
		rate_limit_free(s->limiter);
		rate_limit_free(s->auth_limiter);
		free(s);
		return NULL;
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : cfg->port;
	return s;
}

bool server_drain(struct server *s, int timeout_ms)
{
	atomic_store(&s->draining, true);
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	for (int waited = 0; waited < timeout_ms; waited += 20) {
		if (atomic_load(&s->in_flight) == 0)
			return true;
		usleep(20 * 1000);
	}
	return atomic_load(&s->in_flight) == 0;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	metrics_set_telemetry(NULL);
	rate_limit_free(s->limiter);
	rate_limit_free(s->auth_limiter);
	free(s);
}
