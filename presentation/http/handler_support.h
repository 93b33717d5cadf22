/*
 * What every resource handler needs (presentation layer): path identifiers (malformed → 404),
 * paging parameters (malformed → 400) and query parameters.
 */
#ifndef OFICINA_PRESENTATION_HTTP_HANDLER_SUPPORT_H
#define OFICINA_PRESENTATION_HTTP_HANDLER_SUPPORT_H

#include <stdbool.h>

#include "application/ports/pagina.h"
#include "domain/uuid.h"
#include "presentation/http/http_types.h"

/* Path parameter i as a uuid; false with a 404 in res when it is not one. */
bool path_uuid(struct request *req, struct response *res, int i, struct uuid *out);

/* The query parameter name, or NULL. */
const char *query_param(const struct request *req, const char *name);

/* ?pagina= and ?por_pagina= with their defaults; false with a 400 in res when malformed. */
bool query_pagina(struct request *req, struct response *res, struct pagina *out);

#endif
