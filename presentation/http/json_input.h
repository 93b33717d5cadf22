/*
 * Reading request fields from a JSON object with type checks (presentation layer). A field of the
 * wrong type gets one entry in fe and reads as "not given", so the domain rules then skip it.
 */
#ifndef OFICINA_PRESENTATION_HTTP_JSON_INPUT_H
#define OFICINA_PRESENTATION_HTTP_JSON_INPUT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/dinheiro.h"
#include "domain/field_errors.h"

/*
 * Parses a request's body, len bytes (no NUL needed), as JSON: a duplicate key is refused (which
 * value would count is not for the parser to guess), as is \u0000 inside a string (jansson's
 * default), so that every string read from the result is a C string with nothing cut off. The
 * value (any type: the caller checks it is an object), owned by the caller (json_decref), or
 * NULL with the position of the error in *err.
 */
json_t *json_input_parse(const char *body, size_t len, json_error_t *err);

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

/*
 * A money field (SPEC §3): a JSON string accepted by dinheiro_parse ("150.00", "150", "150.5"), a
 * non-negative JSON integer, or a non-negative JSON real with at most two decimals. jansson has
 * already turned a real into a double, so the literal is recovered as the shortest positional
 * decimal with 0, 1 or 2 decimals that converts back (strtod) to exactly the same double: 150.5
 * gives "150.5", 0.1 gives "0.1", 150.555 has none and is refused. (%g would also find the
 * shortest round trip, but switches to exponent notation: 150.0 would become "1.5e+02".) A real
 * written with an exponent (1e2) cannot be told from 100.0 after parsing and is accepted by value.
 * On success out gets the canonical text ("150.50") and *given (may be NULL) is true. Absent,
 * null, another type or an invalid value: *given false, out "", and every case but absence gets
 * one fe entry (null is never a valid amount).
 */
bool json_input_dinheiro(json_t *obj, const char *campo, char out[DINHEIRO_TEXTO_MAX], bool *given,
                         struct field_errors *fe);

/*
 * An optional integer field that may be null: false when absent; true when given, with *nulo set
 * for null and *out for an integer. Other types go to fe (and read as absent).
 */
bool json_input_integer_nullable(json_t *obj, const char *campo, long *out, bool *nulo,
                                 struct field_errors *fe);

#endif
