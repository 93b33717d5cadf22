/*
 * Building responses (presentation layer): data envelopes, list envelopes with paging headers, and
 * RFC 7807 problems. Every function here leaves res ready to send.
 */
#ifndef OFICINA_PRESENTATION_HTTP_RESPONSE_H
#define OFICINA_PRESENTATION_HTTP_RESPONSE_H

#include "application/ports/pagina.h"
#include "application/queries/lista.h"
#include "domain/field_errors.h"
#include "presentation/http/http_types.h"

/* Adds a header (name and value copied; a value too long is cut). */
void response_header(struct response *res, const char *name, const char *value);

/* A body that lives as long as the program (an embedded file), sent without a copy. */
void response_static(struct response *res, unsigned status, const char *body, size_t len,
                     const char *content_type);

/* {"data": data} with status; data is stolen (json_decref'd by the response). */
void response_data(struct response *res, unsigned status, json_t *data);

/* A bare JSON body without the data envelope (health answers); body is stolen. */
void response_json(struct response *res, unsigned status, json_t *body);

/* 201 {"data": data} with Location: <collection>/<uuid>. */
void response_created(struct response *res, const char *collection, const char *uuid, json_t *data);

/*
 * Turns the 200 {"data": ...} just put in res into what response_created answers (201 with
 * Location collection/uuid); any other answer (a problem) stays as it is.
 */
void response_as_created(struct response *res, const char *collection, const char *uuid);

/* 204 without a body. */
void response_no_content(struct response *res);

/*
 * {"data": items, "meta": {pagina, por_pagina, total}} with X-Total-Count and a Link header
 * (first, prev, next, last) whose URLs keep the request's other query parameters.
 */
void response_list(struct response *res, struct request *req, json_t *items,
                   const struct pagina *page, long total);

/*
 * The one way to answer a list: rc's problem when the query failed (rc != 0); else 200 with the
 * page l of the query (items of type tipo, each through its view), by response_list. Releases l
 * either way. A macro because the items' type is the caller's.
 */
#define RESPONSE_LISTA(res, req, rc, page, l, tipo, view)                                          \
	do {                                                                                       \
		int rc_ = (rc);                                                                    \
		if (rc_ != 0) {                                                                    \
			response_error(res, req, rc_, NULL);                                       \
		} else {                                                                           \
			json_t *items_ = json_array();                                             \
			for (size_t i_ = 0; i_ < (l)->n && items_; i_++)                           \
				view_append(&items_, view(&LISTA_ITENS(l, tipo)[i_]));             \
			response_list(res, req, items_, page, (l)->total);                         \
		}                                                                                  \
		lista_cleanup(l);                                                                  \
	} while (0)

/*
 * The one way to answer an entity read back by its query: rc's problem when rc != 0 (data is then
 * NULL); else 200 {"data": data}. A creation follows with response_as_created.
 */
void response_entity(struct response *res, const struct request *req, int rc, json_t *data);

/*
 * An RFC 7807 problem: type, title, status, detail, instance (the path), correlation_id, and
 * "errors": [{campo, mensagem}] when fe has entries (fe may be NULL).
 */
void response_problem(struct response *res, const struct request *req, unsigned status,
                      const char *detail, const struct field_errors *fe);

/*
 * The problem for an application error code (domain/errors.h): the one table that turns codes
 * into statuses. APP_EUNAVAILABLE adds Retry-After; APP_EUNAUTHORIZED adds WWW-Authenticate.
 */
void response_error(struct response *res, const struct request *req, int code,
                    const struct field_errors *fe);

/* A non-JSON answer; text (malloc'd) is stolen. */
void response_text(struct response *res, unsigned status, char *text, const char *content_type);

/*
 * Makes res ready for the wire: a request that got no answer, or whose view could not be built,
 * becomes a 500 problem, and a JSON body is rendered to text (res->raw). When even that cannot be
 * allocated, res->fixed is a static 500 problem. False when res had to be replaced: the caller
 * logs it.
 */
bool response_finalize(struct response *res, const struct request *req);

/* Releases what res holds. */
void response_cleanup(struct response *res);

/*
 * An RFC 7807 problem as response_problem builds it, with the members of extra (an
 * object, stolen; may be NULL) added to the body, e.g. the 409 of an order action refused by the
 * order's state: {"status_atual": "RECEBIDA", "transicoes_permitidas": ["EM_DIAGNOSTICO", ...]}.
 */
void response_problem_extra(struct response *res, const struct request *req, unsigned status,
                            const char *detail, const struct field_errors *fe, json_t *extra);

#endif
