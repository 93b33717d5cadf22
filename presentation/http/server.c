/*
 * libmicrohttpd glue (presentation layer): request contexts, body reading, admission on the I/O
 * thread, hand-off to the workers with the connection suspended, queuing of the answer, access
 * log, drain. See server.h for the shape.
 */
#include "presentation/http/server.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/monotonic.h"
#include "presentation/http/conn_guard.h"
#include "presentation/http/metrics.h"
#include "presentation/http/pipeline.h"
#include "presentation/http/request_ids.h"
#include "presentation/http/response.h"
#include "presentation/http/router.h"
#include "presentation/http/worker_pool.h"

/*
 * A random (version 4) UUID for a request without a correlation id of its own. The bytes come
 * from the kernel's generator, 4 KiB at a time per thread rather than a system call per request.
 */
static void new_uuid_v4(char out[37])
{
	static _Thread_local unsigned char pool[4096];
	static _Thread_local size_t used = sizeof pool;
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];

	if (used + sizeof b > sizeof pool) {
		size_t got = 0;
		while (got < sizeof pool) {
			ssize_t n = getrandom(pool + got, sizeof pool - got, 0);
			if (n <= 0)
				break; /* Linux >= 3.17 does not fail here; keep what there is */
			got += (size_t)n;
		}
		used = 0;
	}
	memcpy(b, pool + used, sizeof b);
	used += sizeof b;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (size_t i = 0, j = 0; i < sizeof b; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[b[i] >> 4];
		out[j++] = hex[b[i] & 15];
	}
	out[36] = '\0';
}

/* The trace id of a W3C traceparent header, when it has one. */
static void read_traceparent(struct request *req)
{
	const char *tp = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "traceparent");
	traceparent_trace_id(tp, req->trace_id);
}

static struct guarded_conn *guard_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static struct request *request_new(struct server *s, struct MHD_Connection *conn,
                                   const char *method, const char *path)
{
	struct request *req = heap_calloc(1, sizeof *req);
	if (!req)
		return NULL;
	req->server = s;
	req->conn = conn;
	req->guard = guard_of(conn);
	req->method = method;
	req->path = path;
	req->start = monotonic_now();
	const char *cid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Correlation-Id");
	if (!correlation_id_sane(cid))
		cid = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
	if (correlation_id_sane(cid))
		snprintf(req->correlation_id, sizeof req->correlation_id, "%s", cid);
	else
		new_uuid_v4(req->correlation_id);
	read_traceparent(req);
	atomic_fetch_add_explicit(&s->in_flight, 1, memory_order_relaxed);
	return req;
}

static void log_error(const struct request *req, const char *message)
{
	const struct logger *log = &req->server->cfg.log;
	if (log->ops)
		logger_write(log, LOG_LEVEL_ERROR, req->correlation_id, message, NULL, 0);
}

/* Makes res ready for the wire (response_finalize) on the thread that built it, a worker. */
static void finalize(struct request *req, struct response *res)
{
	if (!response_finalize(res, req))
		log_error(req, "no answer could be built for this request");
}

static enum MHD_Result queue(struct request *req, struct response *res)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	char *text;
	size_t len;

	finalize(req, res);
	text = res->raw;
	res->raw = NULL;
	/* The rendered body (ours to free), else the static problem, else none. */
	const char *body = text ? text : res->fixed ? res->fixed : "";
	len = !text && res->fixed && res->fixed_len ? res->fixed_len : strlen(body);
	mr = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	                                     text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		heap_free(text);
		return MHD_NO;
	}
	if (text || res->fixed)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->raw_type);
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

/* Answers at once with a problem (body too large before it is read). */
static enum MHD_Result queue_problem(struct request *req, unsigned status, const char *detail)
{
	response_problem(&req->res, req, status, detail, NULL);
	return queue(req, &req->res);
}

/* A 503 for a request that will not run, with the reason counted and Retry-After. */
static void shed(struct request *req, enum shed_reason why, const char *detail)
{
	metrics_count_shed(why);
	response_cleanup(&req->res);
	req->res = (struct response){0};
	response_problem(&req->res, req, 503, detail, NULL);
	response_header(&req->res, "Retry-After", "1");
}

enum body_result { BODY_KEPT, BODY_TOO_LARGE, BODY_NO_ROOM };

/*
 * Grows the request's buffer within its own limit (max) and within the server's budget of body
 * bytes held at once (MAX_BODY_BUFFER_BYTES): the budget is taken as the buffer grows and given
 * back when the request completes.
 */
static enum body_result append_body(struct request *req, const char *data, size_t size, size_t max)
{
	struct server *s = req->server;

	if (req->body_len + size > max)
		return BODY_TOO_LARGE;
	if (req->body_len + size + 1 > req->body_cap) {
		size_t cap = req->body_cap ? req->body_cap : 1024;
		while (cap < req->body_len + size + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		size_t more = cap - req->body_cap;
		if (atomic_fetch_add(&s->body_bytes, more) + more > s->cfg.max_body_buffer_bytes) {
			atomic_fetch_sub(&s->body_bytes, more);
			return BODY_NO_ROOM;
		}
		char *b = heap_realloc(req->body, cap);
		if (!b) {
			atomic_fetch_sub(&s->body_bytes, more);
			return BODY_NO_ROOM;
		}
		req->body = b;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, data, size);
	req->body_len += size;
	req->body[req->body_len] = '\0';
	return BODY_KEPT;
}

/*
 * The most query parameters a request may carry; no route reads more than a handful. Past it the
 * request is answered 414 (request_line_too_many_params).
 */
#define QUERY_PARAMS_MAX 64

/*
 * The request context of a request line whose query had more than QUERY_PARAMS_MAX parameters:
 * first_call answers it 414 instead of making a request.
 */
static char request_line_too_many_params;

/*
 * The request context of a request line whose target encodes a NUL byte (%00): libmicrohttpd
 * decodes the path and the query's values into C strings, so whatever follows the NUL would be
 * cut off unseen ("/api/clientes/<uuid>%00x" would act on <uuid>). first_call answers it 400.
 */
static char request_line_nul;

/* Whether a connection's context is one of the marks above rather than a request. */
static bool is_request_line_mark(const void *ctx)
{
	return ctx == &request_line_too_many_params || ctx == &request_line_nul;
}

/* The Content-Length fields of a request, as content_length_field sees them. */
struct content_lengths {
	const char *first; /* the first one's value, or NULL */
	bool differ;       /* another one has a different value */
};

static enum MHD_Result content_length_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                            const char *value)
{
	struct content_lengths *l = cls;

	(void)kind;
	if (!key || !value || strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0)
		return MHD_YES;
	if (!l->first)
		l->first = value;
	else if (strcmp(l->first, value) != 0)
		l->differ = true;
	return MHD_YES;
}

/* The request's headers are in: everything that needs only them runs now (pipeline_admit). */
static enum MHD_Result first_call(struct server *s, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, void **con_cls)
{
	bool too_many_params = *con_cls == (void *)&request_line_too_many_params;
	bool nul = *con_cls == (void *)&request_line_nul;
	struct request *req = request_new(s, conn, method, url);

	if (!req)
		return MHD_NO;
	*con_cls = req;
	if (nul)
		return queue_problem(req, 400, "a URI contém um byte nulo (%00)");
	/* RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400; libmicrohttpd 0.9.75 lets it
	 * by. */
	if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
	    !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))
		return queue_problem(req, 400, "requisição HTTP/1.1 sem o cabeçalho Host");
	if (too_many_params) {
		char detail[96];
		snprintf(detail, sizeof detail, "a URI tem mais de %d parâmetros de consulta",
		         QUERY_PARAMS_MAX);
		return queue_problem(req, 414, detail);
	}
	/*
	 * A body announced larger than the limit is refused before it is read; libmicrohttpd then
	 * closes the connection, which is right for a client about to send that much.
	 */
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	/*
	 * Two Content-Length fields that disagree are no length at all (RFC 9112 §6.3: 400 and
	 * close). libmicrohttpd 0.9.75 takes the first: a client would wait for bytes it never
	 * meant to send, or have the rest of its body read as the next request.
	 */
	struct content_lengths lengths = {0};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, content_length_field, &lengths);
	if (lengths.differ)
		return queue_problem(req, 400, "Content-Length repetido com valores diferentes");
	if (cl) {
		errno = 0;
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno == 0 && *end == '\0' && n > s->cfg.max_body_bytes)
			return queue_problem(req, 413, "corpo maior que o limite aceito");
	}
	/*
	 * A transfer coding other than chunked alone (gzip, "chunked, gzip"): libmicrohttpd 0.9.75
	 * would take the body to run until the client closes, and the client would get no answer
	 * until HTTP_READ_TIMEOUT_MS cut it off. RFC 9112 §6.1: 400, and the connection closes.
	 */
	const char *te =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (te && strcasecmp(te, "chunked") != 0)
		return queue_problem(req, 400,
		                     "Transfer-Encoding não suportado: envie o corpo com "
		                     "Content-Length ou chunked");
	/*
	 * Both framings at once is how requests are smuggled past a proxy that reads the other one.
	 * RFC 9112 §6.3: the connection must close after the answer; libmicrohttpd kept it and ran
	 * whatever followed the chunked body as the next request. Refused, and closed.
	 */
	if (te && cl)
		return queue_problem(req, 400,
		                     "Transfer-Encoding e Content-Length na mesma requisição");
	req->admission = pipeline_admit(req, &req->res);
	if (req->admission == ADMIT_ANSWERED) {
		/*
		 * A client that waits for "100 Continue" has sent no body yet: the final answer now
		 * spares it the upload (RFC 9110 §10.1.1); libmicrohttpd then closes the
		 * connection.
		 */
		const char *expect =
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
		if (expect && strcasecmp(expect, "100-continue") == 0)
			return queue(req, &req->res);
		/*
		 * Refused (or answered) on its headers: whatever body follows is read and dropped,
		 * never kept, and the answer goes out once it has arrived, keeping the connection.
		 */
		req->answer_ready = true;
		req->discard_body = true;
	}
	return MHD_YES;
}

static enum MHD_Result body_chunk(struct request *req, const char *data, size_t *size)
{
	size_t n = *size;

	*size = 0;
	/*
	 * libmicrohttpd 0.9.75 refuses a response queued in the middle of a chunked upload, so a
	 * body that outgrows a limit is dropped as it arrives and answered once it ends; the read
	 * deadline bounds a client that never ends it.
	 */
	if (req->responded || req->discard_body || req->body_refused)
		return MHD_YES;
	switch (append_body(req, data, n, req->server->cfg.max_body_bytes)) {
	case BODY_TOO_LARGE:
		req->body_refused = 413;
		break;
	case BODY_NO_ROOM:
		req->body_refused = 503;
		break;
	default:
		break;
	}
	return MHD_YES;
}

/*
 * Hands req to a pool. The connection is suspended first: a worker may resume it the moment it
 * has the job, and from then on req is the worker's until it resumes the connection.
 */
static enum MHD_Result dispatch(struct server *s, struct request *req)
{
	struct worker_pool *pool =
	    req->admission == ADMIT_HASHER ? s->password_workers : s->workers;

	if (!pipeline_body_present(req, &req->res))
		return queue(req, &req->res);
	if (s->cfg.database_rejecting && s->cfg.database_rejecting()) {
		shed(req, SHED_DATABASE_DOWN,
		     "banco de dados indisponível; tente novamente em instantes");
		return queue(req, &req->res);
	}
	req->deadline = monotonic_in_ms(s->cfg.request_timeout_ms);
	req->res.status = 500;
	MHD_suspend_connection(req->conn);
	if (worker_pool_submit(pool, req))
		return MHD_YES;
	if (atomic_load(&s->draining))
		shed(req, SHED_STOPPING, "o servidor está encerrando; tente novamente");
	else
		shed(req, SHED_QUEUE_FULL, "servidor sobrecarregado; tente novamente em instantes");
	req->answer_ready = true;
	MHD_resume_connection(req->conn); /* this thread queues it on the next call */
	return MHD_YES;
}

/* The whole request is in (headers and body), or a worker has resumed it with its answer. */
static enum MHD_Result final_call(struct server *s, struct request *req)
{
	if (req->responded)
		return MHD_YES;
	if (req->answer_ready)
		return queue(req, &req->res);
	conn_guard_handling(req->guard);
	if (req->body_refused == 413)
		return queue_problem(req, 413, "corpo maior que o limite aceito");
	if (req->body_refused) {
		shed(req, SHED_BODY_BUFFER, "servidor ocupado; tente novamente em instantes");
		return queue(req, &req->res);
	}
	if (req->admission == ADMIT_IO) {
		req->res.status = 500;
		req->route->handler(req, &req->res);
		return queue(req, &req->res);
	}
	return dispatch(s, req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct request *req = *con_cls;

	if (!req || is_request_line_mark(req))
		return first_call(s, conn, url, method, version, con_cls);
	/*
	 * libmicrohttpd passes NULL data only on the first and the final call. A call with data of
	 * size 0 is still the body's: 0.9.75 makes one when a request without a body says "Expect:
	 * 100-continue" and the next request is already in its buffer. Answering it as the final
	 * call queued the answer mid-request; refused, the connection closed unanswered.
	 */
	if (upload_data || *upload_data_size > 0)
		return body_chunk(req, upload_data, upload_data_size);
	return final_call(s, req);
}

/* ---- workers ---- */

static void *worker_start(void *cls)
{
	struct server *s = cls;
	/* The pool carries it as void *; run_request reads it back as const. */
	return (void *)(uintptr_t)s->cfg.app_for_thread();
}

static void worker_end(void *cls, void *ctx)
{
	struct server *s = cls;
	(void)ctx;
	if (s->cfg.app_release)
		s->cfg.app_release();
}

/* The answer is in req->res: render it and give the connection back to its I/O thread. */
static void answer_from_worker(struct request *req)
{
	finalize(req, &req->res);
	req->answer_ready = true;
	/* The last touch: from here the I/O thread owns req, and may free it at any moment. */
	MHD_resume_connection(req->conn);
}

/*
 * Halfway from now to deadline: a query on the replica gets half of what is left, so that when the
 * replica hangs rather than refuses the primary still has the other half to answer it.
 */
static struct timespec halfway_to(const struct timespec *deadline)
{
	int64_t now = monotonic_ns(), end = monotonic_to_ns(deadline);
	return monotonic_from_ns(end > now ? now + (end - now) / 2 : end);
}

/* The replica's ports when req is a query and a replica may serve it now, else NULL. */
static const struct app *app_for_query(const struct request *req)
{
	const struct server *s = req->server;
	if (!s->cfg.app_for_queries || strcmp(req->route->method, "GET") != 0)
		return NULL;
	return s->cfg.app_for_queries();
}

/* Runs req on this worker; returns its route's index (the class of its service time). */
static unsigned run_request(void *cls, void *job, void *ctx, enum metrics_pool pool,
                            int64_t waited_ns)
{
	struct request *req = job;
	const struct app *app = ctx;

	(void)cls;
	metrics_observe_queue_wait(pool, (double)waited_ns / 1e9);
	if (!app) {
		response_error(&req->res, req, APP_EUNAVAILABLE, NULL);
	} else {
		const struct app *replica = app_for_query(req);
		req->app = replica ? replica : app;
		req->primary = replica ? app : NULL;
		if (replica) {
			metrics_count_replica_read();
			req->replica_deadline = halfway_to(&req->deadline);
		}
		transaction_serve(&req->app->tx, req->correlation_id,
		                  replica ? &req->replica_deadline : &req->deadline);
		pipeline_execute(req, &req->res); /* may move req->app to the primary */
		/* a handler that left one open: not committed */
		transaction_rollback(&req->app->tx);
		transaction_serve(&req->app->tx, NULL, NULL);
	}
	unsigned class = (unsigned)route_index(req->route);
	answer_from_worker(req); /* req is not ours any more */
	return class;
}

static unsigned run_handler_job(void *cls, void *job, void *ctx, int64_t waited_ns)
{
	return run_request(cls, job, ctx, POOL_HANDLERS, waited_ns);
}

static unsigned run_password_job(void *cls, void *job, void *ctx, int64_t waited_ns)
{
	return run_request(cls, job, ctx, POOL_PASSWORDS, waited_ns);
}

static void expire_job(void *cls, void *job, enum worker_pool_refusal why)
{
	struct request *req = job;

	(void)cls;
	if (why == POOL_QUEUE_TIMEOUT)
		shed(req, SHED_QUEUE_TIMEOUT,
		     "servidor sobrecarregado: nenhum worker livre a tempo; tente novamente");
	else
		shed(req, SHED_STOPPING, "o servidor está encerrando; tente novamente");
	answer_from_worker(req);
}

static struct worker_pool *start_pool(struct server *s, const char *name, unsigned workers,
                                      unsigned min_running,
                                      unsigned (*run)(void *, void *, void *, int64_t), char *err,
                                      size_t errlen)
{
	struct worker_pool_config pc = {
	    .name = name,
	    .workers = workers,
	    .min_running = min_running,
	    .max_queued = s->cfg.max_queued,
	    .queue_timeout_ms = s->cfg.queue_timeout_ms,
	    .cls = s,
	    .thread_start = worker_start,
	    .thread_end = worker_end,
	    .run = run,
	    .expire = expire_job,
	};
	return worker_pool_start(&pc, err, errlen);
}

/* ---- completion, connections, logs ---- */

/*
 * The method as a label for logs and metrics: one of the methods we serve, else "OTHER". A client
 * may send any token as a method; it must not reach a metric tag or bloat the label set.
 */
static const char *method_label(const char *m)
{
	static const char *const known[] = {"GET",   "HEAD",   "POST",   "PUT",
	                                    "PATCH", "DELETE", "OPTIONS"};
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

	/*
	 * A request line on_request_line marked, whose headers libmicrohttpd then refused itself
	 * (431 for a header too large for its memory): the access handler never ran, so the context
	 * is still the mark, no request. Freeing it as one crashed the server.
	 */
	if (!req || is_request_line_mark(req)) {
		*con_cls = NULL;
		return;
	}
	*con_cls = NULL;
	conn_guard_idle(req->guard);
	double secs = monotonic_seconds_since(&req->start);
	unsigned status = req->responded ? req->status : 499; /* the client went away */
	const char *route = req->route ? req->route->pattern : "unmatched";

	const char *method = method_label(req->method);
	metrics_observe(req->route, method, status, secs);
	if (s->cfg.log.ops && logger_enabled(&s->cfg.log, LOG_LEVEL_INFO)) {
		struct log_field f[] = {
		    {"method", method, 0},
		    {"route", route, 0},
		    {"status", NULL, status},
		    {"duration_ms", NULL, (double)(long long)(secs * 1e6) / 1e3},
		    {"bytes", NULL, (double)req->bytes_out},
		    {"trace_id", req->trace_id[0] ? req->trace_id : NULL, 0},
		};
		size_t n = req->trace_id[0] ? 6 : 5;
		logger_write(&s->cfg.log, LOG_LEVEL_INFO, req->correlation_id,
		             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "request"
		                                                        : "request aborted",
		             f, n);
	}
	atomic_fetch_sub(&s->body_bytes, req->body_cap);
	response_cleanup(&req->res);
	json_decref(req->json);
	heap_free(req->body);
	heap_free(req);
	atomic_fetch_sub_explicit(&s->in_flight, 1, memory_order_relaxed);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? conn_guard_opened(s->guard, ci->connect_fd) : NULL;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		conn_guard_closed(*socket_context);
		*socket_context = NULL;
	}
}

/*
 * A request line has arrived (before its headers): the read deadline starts.
 *
 * libmicrohttpd 0.9.75 keeps every query parameter in the connection's memory pool and, when the
 * pool runs out (some 490 parameters), neither answers nor closes: the client waits for the
 * connection timeout. It calls this logger with the URI still whole, in its own read buffer, just
 * before it splits the query (parse_initial_message_line in connection.c): a query with too many
 * parameters is cut to nothing here, so libmicrohttpd splits an empty one, and the request is
 * answered 414 on its first call. tests/e2e/test_http_core.c holds a later libmicrohttpd to this.
 */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	conn_guard_reading(guard_of(conn));
	if (strstr(uri, "%00"))
		return &request_line_nul;
	char *query = strchr(uri, '?'); /* the read buffer is libmicrohttpd's, and writable */
	if (query) {
		unsigned params = 1;
		for (const char *c = query + 1; *c && params <= QUERY_PARAMS_MAX; c++)
			params += *c == '&';
		if (params > QUERY_PARAMS_MAX) {
			query[1] = '\0';
			return &request_line_too_many_params;
		}
	}
	return NULL; /* the request context is made on the first call of the access handler */
}

#define MHD_LOG_PER_SECOND 20

/*
 * libmicrohttpd's own messages, at most MHD_LOG_PER_SECOND a second: a client refused by the
 * connection limits makes one each, and a flood of them must not become a flood of log lines.
 * fmt is libmicrohttpd's printf format for ap; the attribute says so, which is what lets clang's
 * -Wformat-nonliteral accept the vsnprintf below.
 */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	static _Atomic long second;
	static atomic_int in_second;
	struct server *s = cls;
	struct timespec now = monotonic_now();
	char msg[512];

	long current = atomic_load(&second);
	if (now.tv_sec != current && atomic_compare_exchange_strong(&second, &current, now.tv_sec))
		atomic_store(&in_second, 0);
	if (atomic_fetch_add(&in_second, 1) >= MHD_LOG_PER_SECOND)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	if (s->cfg.log.ops)
		logger_write(&s->cfg.log, LOG_LEVEL_WARN, NULL, msg, NULL, 0);
}

/*
 * New connections are closed at once while draining. (MHD_quiesce_daemon would close the
 * listening socket instead, but in 0.9.75 with a thread pool it races with the pool threads
 * removing that socket from their epoll sets, and aborts the process when it loses.)
 */
static enum MHD_Result accept_unless_draining(void *cls, const struct sockaddr *addr,
                                              socklen_t addrlen)
{
	struct server *s = cls;
	(void)addr;
	(void)addrlen;
	return atomic_load_explicit(&s->draining, memory_order_relaxed) ? MHD_NO : MHD_YES;
}

static void free_parts(struct server *s)
{
	worker_pool_free(s->workers);
	worker_pool_free(s->password_workers);
	conn_guard_stop(s->guard);
	rate_limit_free(s->limiter);
	rate_limit_free(s->auth_limiter);
	heap_free(s);
}

struct server *server_start(const struct server_config *cfg, char *err, size_t errlen)
{
	/* JSON values and their rendering allocate through the hook too (domain/heap.h). */
	json_set_alloc_funcs(heap_alloc, heap_free);
	struct server *s = heap_calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	s->limiter = rate_limit_new(cfg->rate_limit_per_minute);
	s->auth_limiter = rate_limit_new(cfg->auth_rate_limit_per_minute);
	s->guard = conn_guard_start(cfg->read_timeout_ms);
	if ((cfg->rate_limit_per_minute > 0 && !s->limiter) ||
	    (cfg->auth_rate_limit_per_minute > 0 && !s->auth_limiter) || !s->guard) {
		snprintf(err, errlen, "out of memory");
		free_parts(s);
		return NULL;
	}
	/* Before the workers start: they read it without a lock. */
	metrics_set_telemetry(&s->cfg.telemetry);
	/*
	 * Handler workers run under an adaptive limit from two per I/O thread (one per core) up to
	 * all of them: even with PostgreSQL on the same host a worker waits for it part of the
	 * time, and the bench measured two per core best there. The password workers are few and
	 * all run (their gate bounds them).
	 */
	if (!(s->workers = start_pool(s, "handlers", cfg->workers, 2 * cfg->threads,
	                              run_handler_job, err, errlen)) ||
	    !(s->password_workers = start_pool(s, "passwords", cfg->password_workers, 0,
	                                       run_password_job, err, errlen))) {
		free_parts(s);
		return NULL;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	/*
	 * The logger goes first so that libmicrohttpd reports option errors through it. The
	 * listening socket gets libmicrohttpd's default SO_REUSEADDR (a restart binds at once) and
	 * no SO_REUSEPORT: a port another process listens on is an error, not a share of its
	 * connections.
	 */
	s->daemon = MHD_start_daemon(
	    flags, (uint16_t)cfg->port, accept_unless_draining, s, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connection_limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout_s, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	    MHD_OPTION_URI_LOG_CALLBACK, on_request_line, s, MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on port %u: %s", cfg->port, strerror(errno));
		metrics_set_telemetry(NULL);
		free_parts(s);
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
	/*
	 * libmicrohttpd aborts when stopped with a connection suspended, so the pools close
	 * first: what still waits is answered 503 and what runs finishes within its deadline,
	 * each resuming its connection. The I/O threads get a moment to send those answers.
	 */
	worker_pool_close(s->workers);
	worker_pool_close(s->password_workers);
	for (int i = 0; i < 50 && atomic_load(&s->in_flight) > 0; i++)
		usleep(20 * 1000);
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	metrics_set_telemetry(NULL);
	free_parts(s);
}

void server_gauges(struct server *s, struct metrics_gauges *out)
{
	memset(out, 0, sizeof *out);
	out->in_flight = atomic_load_explicit(&s->in_flight, memory_order_relaxed);
	out->pools[POOL_HANDLERS].workers = s->cfg.workers;
	out->pools[POOL_HANDLERS].busy = worker_pool_busy(s->workers);
	out->pools[POOL_HANDLERS].queued = worker_pool_queued(s->workers);
	out->pools[POOL_HANDLERS].running_limit = worker_pool_running_limit(s->workers);
	out->pools[POOL_PASSWORDS].workers = s->cfg.password_workers;
	out->pools[POOL_PASSWORDS].busy = worker_pool_busy(s->password_workers);
	out->pools[POOL_PASSWORDS].queued = worker_pool_queued(s->password_workers);
	out->pools[POOL_PASSWORDS].running_limit = worker_pool_running_limit(s->password_workers);
	if (s->cfg.database_stats)
		s->cfg.database_stats(&out->db);
	out->slow_connections_closed = conn_guard_closed_slow(s->guard);
	out->process = s->cfg.process_metrics;
}
