/* Idempotency-Key: claim, run, store, replay (presentation layer). */
#include "presentation/http/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "domain/errors.h"
#include "domain/monotonic.h"
#include "domain/heap.h"
#include "presentation/http/handler_retry.h"
#include "presentation/http/response.h"
#include "presentation/http/router.h"
#include "presentation/http/server.h"
#include "presentation/http/worker_pool.h"

#define HEADER     "Idempotency-Key"
#define REPLAYED   "Idempotent-Replayed"
#define ESCOPO_MAX 1024 /* caller, method and path, percent-encoded */

static bool key_valid(const char *key)
{
	size_t n = 0;
	for (; key[n]; n++)
		if (n >= IDEMPOTENCY_KEY_MAX || key[n] < 0x20 || key[n] > 0x7e)
			return false;
	return n > 0;
}

/* Appends s to out, percent-encoding every byte outside '!'..'~' (and '%' itself). */
static void append_encoded(char *out, size_t n, const char *s)
{
	size_t len = strlen(out);
	for (; *s && len + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c > ' ' && c < 0x7f && c != '%') {
			out[len++] = (char)c;
		} else {
			snprintf(out + len, n - len, "%%%02X", c);
			len += 3;
		}
	}
	out[len] = '\0';
}

/*
 * Whose key it is: the token's subject, the method and the path, so that two callers, or two
 * endpoints, never share an answer. False when it does not fit (an absurdly long path).
 */
static bool make_escopo(const struct request *req, char out[ESCOPO_MAX])
{
	out[0] = '\0';
	append_encoded(out, ESCOPO_MAX, req->authenticated ? req->claims.sub : "-");
	append_encoded(out, ESCOPO_MAX, " ");
	append_encoded(out, ESCOPO_MAX, req->method);
	append_encoded(out, ESCOPO_MAX, " ");
	append_encoded(out, ESCOPO_MAX, req->path);
	return strlen(out) + 4 < ESCOPO_MAX;
}

static void log_warn(const struct request *req, const char *message, int rc)
{
	const struct logger *log = &req->server->cfg.log;
	struct log_field f[] = {{"error", app_err_name(rc), 0}};
	if (log->ops)
		logger_write(log, LOG_LEVEL_WARN, req->correlation_id, message, f, 1);
}

/* The first answer again, marked as a replay. ans->body is taken over. */
static void replay(struct response *res, struct idempotency_answer *ans)
{
	unsigned status = (unsigned)ans->status;
	const char *type = status >= 400 ? "application/problem+json" : "application/json";

	if (ans->body) {
		response_text(res, status, ans->body, type);
		ans->body = NULL;
	} else {
		response_no_content(res);
		res->status = status;
	}
	if (ans->location[0])
		response_header(res, "Location", ans->location);
	response_header(res, REPLAYED, "true");
}

static void mismatch(struct request *req, struct response *res)
{
	struct field_errors fe;
	field_errors_init(&fe);
	field_errors_add(&fe, HEADER, "esta chave já foi usada com outro corpo");
	response_problem(res, req, 409, "Idempotency-Key reutilizada com outro corpo", &fe);
}

/* The Location header the handler set, or NULL. */
static const char *location_of(const struct response *res)
{
	for (size_t i = 0; i < res->n_headers; i++)
		if (strcasecmp(res->headers[i].name, "Location") == 0)
			return res->headers[i].value;
	return NULL;
}

/*
 * After the handler: keep the answer, or give the key up when it is a 5xx or a 404 and nothing
 * was committed (a 404 changes nothing and a retry may find the resource; keeping it would let a
 * client grow the table with one row per made-up identifier). A 5xx after a commit (the change is
 * made, reading it back failed) is kept too: a retry must not make the change twice, and the client
 * can read the resource.
 */
static void finish(struct request *req, struct response *res, const char *escopo, const char *key,
                   bool changed)
{
	const struct idempotency_store *store = &req->app->idempotencia;
	char *text = NULL;
	int rc;

	if ((res->status >= 500 || res->status == 404) && !changed) {
		if ((rc = idempotency_store_release(store, escopo, key)) != 0)
			log_warn(req, "idempotency key not released", rc);
		return;
	}
	if (res->raw)
		text = heap_strdup(res->raw);
	else if (res->body)
		text = json_dumps(res->body, JSON_COMPACT);
	if ((res->raw || res->body) && !text) {
		rc = APP_ENOMEM;
	} else {
		rc = idempotency_store_complete(store, escopo, key, (int)res->status, text,
		                                location_of(res));
	}
	/*
	 * The change is done and its answer goes out; only a retry with this key is affected: it
	 * waits, then runs again once the claim's lease has passed.
	 */
	if (rc != 0)
		log_warn(req, "idempotency answer not stored", rc);
	heap_free(text);
}

void idempotency_dispatch(struct request *req, struct response *res, route_handler handler)
{
	const struct idempotency_store *store = &req->app->idempotencia;
	const char *key = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, HEADER);
	struct idempotency_answer ans = {0};
	enum idempotency_state state;
	char escopo[ESCOPO_MAX];
	struct timespec deadline = monotonic_in_ms(IDEMPOTENCY_WAIT_MS);
	int rc;

	if (!key || !store->ops || !req->route->idempotent) {
		handler_run(req, res, handler);
		return;
	}
	if (!key_valid(key)) {
		struct field_errors fe;
		field_errors_init(&fe);
		field_errors_add(&fe, HEADER, "use de 1 a 255 caracteres ASCII imprimíveis");
		response_problem(res, req, 400, "Idempotency-Key inválida", &fe);
		return;
	}
	if (!make_escopo(req, escopo)) {
		response_problem(res, req, 400, "caminho longo demais para Idempotency-Key", NULL);
		return;
	}

	for (;;) {
		rc = idempotency_store_claim(store, escopo, key, req->body, req->body_len, &state,
		                             &ans);
		/* A duplicate of a request in progress polls until it is answered (or released). */
		while (rc == 0 && state == IDEMPOTENCY_IN_PROGRESS &&
		       monotonic_ms_until(&deadline) > 0) {
			worker_pool_sleep_ms(IDEMPOTENCY_POLL_MS);
			rc = idempotency_store_find(store, escopo, key, req->body, req->body_len,
			                            &state, &ans);
		}
		if (rc != APP_ENOTFOUND || monotonic_ms_until(&deadline) <= 0)
			break;
		/* The first request failed with a 5xx and let the key go: this one may run. */
	}
	if (rc == APP_ENOTFOUND) {
		rc = 0;
		state = IDEMPOTENCY_IN_PROGRESS;
	}
	if (rc != 0) {
		response_error(res, req, rc, NULL);
	} else if (state == IDEMPOTENCY_CLAIMED) {
		const struct transaction *tx = &req->app->tx;
		unsigned long before = transaction_committed(tx);
		handler_run(req, res, handler);
		finish(req, res, escopo, key, transaction_committed(tx) != before);
	} else if (state == IDEMPOTENCY_DONE) {
		replay(res, &ans);
	} else if (state == IDEMPOTENCY_MISMATCH) {
		mismatch(req, res);
	} else {
		response_problem(res, req, 409,
		                 "uma requisição com esta Idempotency-Key ainda está em andamento; "
		                 "tente de novo em instantes",
		                 NULL);
		response_header(res, "Retry-After", "1");
	}
	idempotency_answer_cleanup(&ans);
}
