/*
 * The identifiers a request brings in its headers (presentation layer): the client's correlation
 * id (X-Correlation-Id, else X-Request-Id) and the trace id of a W3C traceparent. Functions of the
 * header values alone, so that they are tested and fuzzed without a connection; server.c reads
 * the headers and calls them when it makes a request's context.
 */
#ifndef OFICINA_PRESENTATION_HTTP_REQUEST_IDS_H
#define OFICINA_PRESENTATION_HTTP_REQUEST_IDS_H

#include <stdbool.h>

#include "presentation/http/http_types.h"

#define TRACE_ID_HEX 32 /* hex digits of a W3C trace id */

/* Whether v (may be NULL) is a correlation id we repeat: 1..CORRELATION_ID_MAX of [A-Za-z0-9._-].
 */
bool correlation_id_sane(const char *v);

/*
 * The trace id of the traceparent header value tp (may be NULL) into out, NUL-terminated: true
 * when tp is a valid W3C traceparent (request_ids.c says what that is); else false and out is
 * left alone.
 */
bool traceparent_trace_id(const char *tp, char out[TRACE_ID_HEX + 1]);

#endif
