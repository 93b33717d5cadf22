/* Typed reading of JSON request fields (presentation layer). */
#include "presentation/http/json_input.h"

#include <limits.h>

const char *json_input_text(json_t *obj, const char *campo, bool nullable, bool *given,
			    struct field_errors *fe)
{
	json_t *v = json_object_get(obj, campo);
	bool ok = false;
	const char *text = NULL;

	if (v && json_is_string(v)) {
		ok = true;
		text = json_string_value(v);
	} else if (v && json_is_null(v)) {
		if (nullable)
			ok = true;
		else
			field_errors_add(fe, campo, "não pode ser nulo");
	} else if (v) {
		field_errors_add(fe, campo, "deve ser um texto");
	}
	if (given)
		*given = ok;
	return text;
}

bool json_input_integer(json_t *obj, const char *campo, long *out, struct field_errors *fe)
{
	json_t *v = json_object_get(obj, campo);
	if (!v)
		return false;
	if (!json_is_integer(v) || json_integer_value(v) > INT_MAX ||
	    json_integer_value(v) < INT_MIN) {
		field_errors_add(fe, campo, "deve ser um número inteiro");
		return false;
	}
	*out = (long)json_integer_value(v);
	return true;
}

int json_input_bool(json_t *obj, const char *campo, struct field_errors *fe)
{
	json_t *v = json_object_get(obj, campo);
	if (!v)
		return -1;
	if (!json_is_boolean(v)) {
		field_errors_add(fe, campo, "deve ser true ou false");
		return -1;
	}
	return json_is_true(v) ? 1 : 0;
}
