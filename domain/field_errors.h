/*
 * Field-level validation detail: one entry per bad field, rendered by the presentation layer as the
 * "errors": [{"campo", "mensagem"}] array of a 422 problem. Caller-owned, fixed size, no
 * allocation.
 */
#ifndef OFICINA_DOMAIN_FIELD_ERRORS_H
#define OFICINA_DOMAIN_FIELD_ERRORS_H

#include <stddef.h>

#define FIELD_ERRORS_MAX 16

struct field_error {
	char campo[48];     /* JSON field name, e.g. "documento" */
	char mensagem[160]; /* Portuguese message for the user */
};

struct field_errors {
	size_t count;                               /* entries used */
	struct field_error items[FIELD_ERRORS_MAX]; /* the first FIELD_ERRORS_MAX errors */
};

/* Empties the list. */
void field_errors_init(struct field_errors *fe);

/*
 * Adds an error for a field, once per field (a second error for the same field is dropped so that
 * the answer has one entry per bad field). Beyond FIELD_ERRORS_MAX entries errors are dropped.
 * Accepts fe == NULL (the caller does not want detail).
 */
void field_errors_add(struct field_errors *fe, const char *campo, const char *mensagem);

/*
 * Records "campo obrigatório" for a required field that was not given, unless an error (a type
 * error found while reading the JSON, say) is already recorded for it.
 */
void field_errors_missing(struct field_errors *fe, const char *campo);

/* Whether an error was recorded for this field. */
int field_errors_has(const struct field_errors *fe, const char *campo);

#endif
