/*
 * What every resource handler needs (presentation layer): paging parameters (malformed → 400)
 * and query parameters. The path's identifiers are in req->ids, parsed by the router.
 */
#ifndef OFICINA_PRESENTATION_HTTP_HANDLER_SUPPORT_H
#define OFICINA_PRESENTATION_HTTP_HANDLER_SUPPORT_H

#include <stdbool.h>

#include "application/ports/pagina.h"
#include "domain/campos.h"
#include "domain/placa.h"
#include "domain/uuid.h"
#include "presentation/http/http_types.h"

/*
 * Whether the request's Content-Type is media ("application/json"), compared without case and
 * with any parameters (";charset=utf-8") allowed. False when there is none.
 */
bool request_content_type_is(const struct request *req, const char *media);

/* The query parameter name, or NULL. */
const char *query_param(const struct request *req, const char *name);

/*
 * ?name= as a search text (part of a name): NULL when absent; 1..120 characters of UTF-8, else an
 * entry for name in fe (the caller answers 400) and NULL.
 */
const char *query_busca(const struct request *req, const char *name, struct field_errors *fe);

/*
 * ?name= as a plate, normalised into buf: buf; NULL when absent; NULL with an entry for name in fe
 * (the caller answers 400) when it is no plate.
 */
const char *query_placa(const struct request *req, const char *name, char buf[PLACA_MAX],
                        struct field_errors *fe);

/* ?name= as a UUID into *out: out; NULL when absent; NULL with an entry for name in fe. */
const struct uuid *query_uuid(const struct request *req, const char *name, struct uuid *out,
                              struct field_errors *fe);

/* A command that deactivates the resource id; the fields of a refusal go to fe. */
typedef int (*desativar_fn)(const struct app *app, const struct app_caller *who,
                            const struct uuid *id, struct field_errors *fe);

/* DELETE of a resource: runs desativar on the path's uuid; 204, or the problem of its code. */
void handle_desativacao(struct request *req, struct response *res, desativar_fn desativar);

/* ?pagina= and ?por_pagina= with their defaults; false with a 400 in res when malformed. */
bool query_pagina(struct request *req, struct response *res, struct pagina *out);

/*
 * How the request's fields apply: POST creates a resource, PUT replaces it (every field
 * required), PATCH changes the fields given.
 */
enum campos_modo campos_modo_do_metodo(const struct request *req);

/*
 * A resource's write: reads the body's fields (their type errors into fe) and runs its command.
 * With CAMPOS_CRIAR it creates the resource and sets *id; else it changes the resource *id
 * (the path's uuid) as modo says. 0 or a code of domain/errors.h, the field errors in fe.
 */
typedef int (*gravar_fn)(struct request *req, enum campos_modo modo, struct field_errors *fe,
                         struct uuid *id);

/* For handle_gravacao: a resource whose creations are not counted. */
#define SEM_CONTADOR (-1)

/*
 * POST, PUT and PATCH of a resource, the one sequence they share: gravar as the method says
 * (campos_modo_do_metodo); its problem when it fails (422 with the fields); else a creation
 * counts in criados (an enum business_counter, or SEM_CONTADOR) and the answer is the
 * resource's GET, obter, on its uuid (req->ids[0] is set to it): one representation of it, 200,
 * or 201 with Location for a creation.
 */
void handle_gravacao(struct request *req, struct response *res, gravar_fn gravar,
                     route_handler obter, int criados);

/* True when fe holds no query parameter error; else false after answering 400 with them. */
bool query_sem_erros(struct request *req, struct response *res, const struct field_errors *fe);

#endif
