/* Responses: data and list envelopes, paging headers, RFC 7807 problems (presentation layer). */
#include "presentation/http/response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/texto.h"
#include "presentation/http/metrics.h"
#include "presentation/http/views.h"

#define PROBLEM_TYPE_BASE "https://oficina.dev/problemas/"

void response_header(struct response *res, const char *name, const char *value)
{
	if (res->n_headers >= RESPONSE_HEADERS_MAX)
		return;
	struct response_header *h = &res->headers[res->n_headers++];
	snprintf(h->name, sizeof h->name, "%s", name);
	snprintf(h->value, sizeof h->value, "%s", value);
}

static void set_body(struct response *res, unsigned status, json_t *body, bool problem)
{
	json_decref(res->body);
	res->status = status;
	res->body = body;
	res->problem = problem;
}

void response_data(struct response *res, unsigned status, json_t *data)
{
	/*
	 * A view returns NULL only when jansson could not build it (out of memory, text that is
	 * not UTF-8): that is a server error, never a 200 with "data": null.
	 */
	if (!data) {
		set_body(res, 500, NULL, false);
		res->view_failed = true;
		return;
	}
	json_t *o = json_object();
	/* Out of memory: json_object_set_new releases data whatever failed (o NULL included). */
	if (json_object_set_new(o, "data", data) != 0) {
		json_decref(o);
		set_body(res, 500, NULL, false);
		res->view_failed = true;
		return;
	}
	set_body(res, status, o, false);
}

void response_json(struct response *res, unsigned status, json_t *body)
{
	set_body(res, status, body, false);
}

void response_as_created(struct response *res, const char *collection, const char *uuid)
{
	char location[256];

	if (res->status != 200 || res->problem)
		return;
	snprintf(location, sizeof location, "%s/%s", collection, uuid);
	res->status = 201;
	response_header(res, "Location", location);
}

void response_created(struct response *res, const char *collection, const char *uuid, json_t *data)
{
	response_data(res, 200, data);
	response_as_created(res, collection, uuid);
}

void response_entity(struct response *res, const struct request *req, int rc, json_t *data)
{
	if (rc != 0)
		response_error(res, req, rc, NULL);
	else
		response_data(res, 200, data);
}

void response_no_content(struct response *res)
{
	set_body(res, 204, NULL, false);
}

/* Appends s percent-encoded (RFC 3986 unreserved kept) to out. */
static void url_encode(char *out, size_t n, const char *s)
{
	size_t len = strlen(out);
	for (; *s && len + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			out[len++] = (char)c;
		} else {
			snprintf(out + len, n - len, "%%%02X", c);
			len += 3;
		}
	}
	out[len] = '\0';
}

struct query_copy {
	char *out;
	size_t n;
	bool overflow; /* a parameter did not fit: no Link rather than a wrong one */
};

/* Collects the query parameters other than the paging ones, as "&k=v" pairs. */
static enum MHD_Result copy_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	struct query_copy *q = cls;
	(void)kind;
	if (strcmp(key, "pagina") == 0 || strcmp(key, "por_pagina") == 0)
		return MHD_YES;
	/* Percent-encoding at most triples a byte. */
	if (strlen(q->out) + 3 * (strlen(key) + (value ? strlen(value) : 0)) + 3 > q->n) {
		q->overflow = true;
		return MHD_NO;
	}
	strcat(q->out, "&");
	url_encode(q->out, q->n, key);
	if (value) {
		strcat(q->out, "=");
		url_encode(q->out, q->n, value);
	}
	return MHD_YES;
}

static void add_link(char *out, size_t n, const char *path, const char *extra, long pagina,
                     long por_pagina, const char *rel)
{
	size_t len = strlen(out);
	snprintf(out + len, n - len, "%s<%s?pagina=%ld&por_pagina=%ld%s>; rel=\"%s\"",
	         len ? ", " : "", path, pagina, por_pagina, extra, rel);
}

void response_list(struct response *res, struct request *req, json_t *items,
                   const struct pagina *page, long total)
{
	char extra[1536] = "", count[24];
	struct query_copy q = {extra, sizeof extra, false};
	long last = total > 0 ? (total + page->por_pagina - 1) / page->por_pagina : 1;
	/* items NULL (a view failed) makes the pack fail too; it steals items either way. */
	json_t *o = json_pack("{s:o, s:{s:I, s:I, s:I}}", "data", items, "meta", "pagina",
	                      (json_int_t)page->pagina, "por_pagina", (json_int_t)page->por_pagina,
	                      "total", (json_int_t)total);
	if (!o) {
		set_body(res, 500, NULL, false);
		res->view_failed = true;
		return;
	}
	set_body(res, 200, o, false);
	snprintf(count, sizeof count, "%ld", total);
	response_header(res, "X-Total-Count", count);

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, copy_arg, &q);
	/* Four links, each the path, the paging, the other parameters and the relation. */
	size_t n = 4 * (strlen(req->path) + strlen(extra) + 96);
	char *links = q.overflow ? NULL : heap_calloc(1, n);
	if (!links) {
		if (!q.overflow) { /* out of memory: not an answer without its links */
			set_body(res, 500, NULL, false);
			res->view_failed = true;
		}
		return;
	}
	add_link(links, n, req->path, extra, 1, page->por_pagina, "first");
	if (page->pagina > 1)
		add_link(links, n, req->path, extra,
		         page->pagina - 1 < last ? page->pagina - 1 : last, page->por_pagina,
		         "prev");
	if (page->pagina < last)
		add_link(links, n, req->path, extra, page->pagina + 1, page->por_pagina, "next");
	add_link(links, n, req->path, extra, last, page->por_pagina, "last");
	heap_free(res->link);
	res->link = links;
}

struct problem_kind {
	unsigned status;
	const char *slug;
	const char *title;
};

static const struct problem_kind kinds[] = {
    {400, "requisicao-invalida", "Requisição inválida"},
    {401, "nao-autenticado", "Não autenticado"},
    {403, "acesso-negado", "Acesso negado"},
    {404, "nao-encontrado", "Recurso não encontrado"},
    {405, "metodo-nao-permitido", "Método não permitido"},
    {409, "conflito", "Conflito"},
    {413, "corpo-grande-demais", "Corpo da requisição grande demais"},
    {414, "uri-longa-demais", "URI longa demais"},
    {415, "tipo-de-conteudo-nao-suportado", "Tipo de conteúdo não suportado"},
    {422, "dados-invalidos", "Dados inválidos"},
    {429, "muitas-requisicoes", "Muitas requisições"},
    {500, "erro-interno", "Erro interno"},
    {503, "servico-indisponivel", "Serviço indisponível"},
};

static const struct problem_kind *kind_of(unsigned status)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].status == status)
			return &kinds[i];
	return kind_of(500);
}

/* A problem that could not be built (out of memory): response_finalize answers 500 instead. */
static void problem_failed(struct response *res, unsigned status)
{
	set_body(res, status, NULL, true);
	res->view_failed = true;
}

void response_problem(struct response *res, const struct request *req, unsigned status,
                      const char *detail, const struct field_errors *fe)
{
	const struct problem_kind *k = kind_of(status);
	char type[128];

	snprintf(type, sizeof type, PROBLEM_TYPE_BASE "%s", k->slug);
	/* The path is the client's own input: keep it only when it is valid UTF-8 text. */
	const char *instance = req->path && utf8_valido(req->path) ? req->path : "/";
	json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "type", type, "title", k->title,
	                      "status", (json_int_t)status, "detail", detail ? detail : k->title,
	                      "instance", instance, "correlation_id", req->correlation_id);
	if (o && fe && fe->count > 0) {
		json_t *errors = json_array();
		for (size_t i = 0; i < fe->count && errors; i++)
			view_append(&errors, json_pack("{s:s, s:s}", "campo", fe->items[i].campo,
			                               "mensagem", fe->items[i].mensagem));
		if (json_object_set_new(o, "errors", errors) != 0) {
			json_decref(o);
			o = NULL;
		}
	}
	if (!o) {
		problem_failed(res, status);
		return;
	}
	set_body(res, status, o, true);
}

/* What a client gets when not even a problem could be built (out of memory): no allocation. */
static const char out_of_memory_problem[] =
    "{\"type\":\"" PROBLEM_TYPE_BASE "erro-interno\",\"title\":\"Erro interno\",\"status\":500,"
    "\"detail\":\"o servidor ficou sem memória; tente novamente\"}";

bool response_finalize(struct response *res, const struct request *req)
{
	bool built = true;

	if (res->fixed || (res->raw && !res->body))
		return true; /* final already (finalized once, or a text answer) */
	if (res->view_failed || (res->status >= 500 && !res->body && !res->raw)) {
		response_cleanup(res);
		*res = (struct response){0};
		response_problem(res, req, 500, "erro interno; informe o correlation_id", NULL);
		built = false;
	}
	if (res->body && !res->raw) {
		res->raw = json_dumps(res->body, JSON_COMPACT);
		res->raw_type = res->problem ? "application/problem+json" : "application/json";
		json_decref(res->body);
		res->body = NULL;
		if (!res->raw)
			built = false;
	}
	/* Never a status with a body that could not be written: the static problem instead. */
	if (!built && !res->raw) {
		response_cleanup(res);
		*res = (struct response){.status = 500, .problem = true};
		res->fixed = out_of_memory_problem;
		res->raw_type = "application/problem+json";
	}
	return built;
}

void response_error(struct response *res, const struct request *req, int code,
                    const struct field_errors *fe)
{
	switch (code) {
	case APP_EINVALID:
		response_problem(res, req, 422, "um ou mais campos são inválidos", fe);
		break;
	case APP_ENOTFOUND:
		response_problem(res, req, 404, "recurso não encontrado", NULL);
		break;
	case APP_ECONFLICT:
		response_problem(res, req, 409, "conflito com o estado atual do recurso", fe);
		break;
	case APP_EUNAUTHORIZED:
		response_problem(res, req, 401, "credenciais inválidas", NULL);
		response_header(res, "WWW-Authenticate", "Bearer");
		break;
	case APP_EFORBIDDEN:
		response_problem(res, req, 403, "seu perfil não permite esta operação", NULL);
		break;
	case APP_EUNAVAILABLE:
		response_problem(res, req, 503,
		                 "banco de dados indisponível; tente novamente em instantes", NULL);
		response_header(res, "Retry-After", "1");
		break;
	case APP_ETIMEDOUT:
		metrics_count_deadline_expired();
		/* Not an outage: this request ran out of its time (REQUEST_TIMEOUT_MS) and nothing
		 * of it was committed. */
		response_problem(
		    res, req, 503,
		    "a requisição excedeu o tempo limite e foi desfeita; tente novamente", NULL);
		response_header(res, "Retry-After", "1");
		break;
	case APP_EBUSY:
		response_problem(res, req, 503, "servidor ocupado; tente novamente em instantes",
		                 NULL);
		response_header(res, "Retry-After", "1");
		break;
	case APP_ELOCKED:
		/* How long is the caller's to say: it adds Retry-After (handlers_auth_cpf.c). */
		response_problem(res, req, 429,
		                 "tentativas demais com este CPF; aguarde para tentar de novo",
		                 NULL);
		break;
	default:
		response_problem(res, req, 500, "erro interno; informe o correlation_id", NULL);
		break;
	}
}

void response_static(struct response *res, unsigned status, const char *body, size_t len,
                     const char *content_type)
{
	set_body(res, status, NULL, false);
	heap_free(res->raw);
	res->raw = NULL;
	res->fixed = body;
	res->fixed_len = len;
	res->raw_type = content_type;
}

void response_text(struct response *res, unsigned status, char *text, const char *content_type)
{
	set_body(res, status, NULL, false);
	heap_free(res->raw);
	res->raw = text;
	res->raw_type = content_type;
}

void response_cleanup(struct response *res)
{
	json_decref(res->body);
	res->body = NULL;
	heap_free(res->raw);
	res->raw = NULL;
	heap_free(res->link);
	res->link = NULL;
}

void response_problem_extra(struct response *res, const struct request *req, unsigned status,
                            const char *detail, const struct field_errors *fe, json_t *extra)
{
	response_problem(res, req, status, detail, fe);
	/* extra is NULL when it could not be built: the problem must not go without it. */
	if (!extra || (res->body && json_object_update_missing(res->body, extra) != 0))
		problem_failed(res, status);
	json_decref(extra);
}
