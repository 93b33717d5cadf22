/* Typed reading of JSON request fields (presentation layer). */
#include "presentation/http/json_input.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *json_input_parse(const char *body, size_t len, json_error_t *err)
{
	/*
	 * Any JSON value, not only an object or array: "42" or "null" is valid JSON, and the
	 * caller's check that it is an object says so; without JSON_DECODE_ANY jansson calls it a
	 * syntax error.
	 */
	return json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, err);
}

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

#define DINHEIRO_MENSAGEM                                                                          \
	"deve ser um valor em reais, não negativo, com no máximo duas casas decimais (texto "    \
	"\"150.00\" ou número 150.5)"

/*
 * The text of a real with at most two decimals, into out (n bytes): the shortest "%.*f" with 0, 1
 * or 2 decimals that strtod turns back into exactly d. False when there is none (more decimals),
 * or for NaN, infinities, negative values (-0.0 included) and values too large to be money.
 */
static bool real_como_texto(double d, char *out, size_t n)
{
	if (!isfinite(d) || signbit(d) || d >= 1e12)
		return false;
	for (int casas = 0; casas <= 2; casas++) {
		snprintf(out, n, "%.*f", casas, d);
		if (strtod(out, NULL) == d)
			return true;
	}
	return false;
}

bool json_input_dinheiro(json_t *obj, const char *campo, char out[DINHEIRO_TEXTO_MAX], bool *given,
                         struct field_errors *fe)
{
	json_t *v = json_object_get(obj, campo);
	char texto[64] = "";
	int64_t centavos;
	bool ok = false;

	out[0] = '\0';
	if (given)
		*given = false;
	if (!v)
		return false;
	if (json_is_string(v)) {
		ok = json_string_length(v) < sizeof texto &&
		     strlen(json_string_value(v)) == json_string_length(v);
		if (ok)
			snprintf(texto, sizeof texto, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		ok = json_integer_value(v) >= 0;
		if (ok)
			snprintf(texto, sizeof texto, "%" JSON_INTEGER_FORMAT,
			         json_integer_value(v));
	} else if (json_is_real(v)) {
		ok = real_como_texto(json_real_value(v), texto, sizeof texto);
	}
	if (!ok || dinheiro_parse(texto, &centavos) != 0) {
		field_errors_add(fe, campo,
		                 json_is_null(v) ? "não pode ser nulo" : DINHEIRO_MENSAGEM);
		return false;
	}
	dinheiro_format(centavos, out);
	if (given)
		*given = true;
	return true;
}

bool json_input_integer_nullable(json_t *obj, const char *campo, long *out, bool *nulo,
                                 struct field_errors *fe)
{
	json_t *v = json_object_get(obj, campo);

	*nulo = false;
	if (v && json_is_null(v)) {
		*nulo = true;
		return true;
	}
	return json_input_integer(obj, campo, out, fe);
}
