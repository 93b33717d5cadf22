/*
 * Reading request fields from a JSON object with type checks (presentation layer). A field of the
 * wrong type gets one entry in fe and reads as "not given", so the domain rules then skip it.
 */
#ifndef OFICINA_PRESENTATION_HTTP_JSON_INPUT_H
#define OFICINA_PRESENTATION_HTTP_JSON_INPUT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/field_errors.h"

/*
 * A string field: its value (owned by obj), or NULL when absent, null or of another type.
 * *given (may be NULL) is true when the field is a string, or null and nullable.
 * null on a non-nullable field and any other type are recorded in fe.
 */
const char *json_input_text(json_t *obj, const char *campo, bool nullable, bool *given,
			    struct field_errors *fe);

/* An integer field into *out; true when given as a JSON integer. Other types go to fe. */
bool json_input_integer(json_t *obj, const char *campo, long *out, struct field_errors *fe);

/* A boolean field: -1 when absent, 0 or 1; other types (null included) go to fe. */
int json_input_bool(json_t *obj, const char *campo, struct field_errors *fe);

#endif
