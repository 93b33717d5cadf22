/*
 * CPF and CNPJ validation (domain layer, value objects, libc only): separators are dropped, the
 * digits counted, and the two modulo-11 check digits recomputed as the Receita Federal defines
 * them. Nothing here depends on the locale, so <ctype.h> is deliberately not used.
 */
#include "domain/documento.h"

#include <stddef.h>

#include "domain/errors.h"
#include "domain/texto.h"

/* The weights of the first check digit; the second uses one more weight in front. */
static const int cpf_pesos[CPF_DIGITOS - 1] = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2};
static const int cnpj_pesos[CNPJ_DIGITOS - 1] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};

static int is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * Copies the digits of in to out, skipping the separators in seps and the whitespace at both ends.
 * Returns 0 when in held exactly want digits and nothing else; -1 otherwise. Stops at the first
 * bad character, and never writes more than want digits (out holds want + 1 bytes).
 */
static int extract_digits(const char *in, const char *seps, char *out, size_t want)
{
	const char *end;
	size_t n = 0;

	while (is_ascii_space(*in))
		in++;
	end = in;
	while (*end)
		end++;
	while (end > in && is_ascii_space(end[-1]))
		end--;

	for (const char *p = in; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == want)
				return -1;
			out[n++] = *p;
			continue;
		}
		const char *s = seps;
		while (*s && *s != *p)
			s++;
		if (!*s)
			return -1;
	}
	out[n] = '\0';
	return n == want ? 0 : -1;
}

static int all_equal(const char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			return 0;
	return 1;
}

/*
 * The check digit of the first n digits of d, using the last n weights of pesos: a remainder below
 * 2 gives 0, any other r gives 11 - r.
 */
static char check_digit(const char *d, size_t n, const int *pesos, size_t npesos)
{
	const int *w = pesos + (npesos - n);
	int sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (d[i] - '0') * w[i];
	int r = sum % 11;
	return (char)('0' + (r < 2 ? 0 : 11 - r));
}

/* Checks want digits in d (all-equal rule and both check digits). */
static int digits_valid(const char *d, size_t want, const int *pesos)
{
	size_t npesos = want - 1;

	if (all_equal(d, want))
		return 0;
	if (check_digit(d, want - 2, pesos, npesos) != d[want - 2])
		return 0;
	return check_digit(d, want - 1, pesos, npesos) == d[want - 1];
}

static int parse(const char *in, const char *seps, char *out, size_t want, const int *pesos)
{
	if (in && extract_digits(in, seps, out, want) == 0 && digits_valid(out, want, pesos))
		return 0;
	out[0] = '\0';
	return APP_EINVALID;
}

int cpf_parse(const char *in, char out[CPF_DIGITOS + 1])
{
	return parse(in, ".-", out, CPF_DIGITOS, cpf_pesos);
}

int cnpj_parse(const char *in, char out[CNPJ_DIGITOS + 1])
{
	return parse(in, ".-/", out, CNPJ_DIGITOS, cnpj_pesos);
}

int documento_parse(const char *in, char out[DOCUMENTO_MAX], enum tipo_documento *tipo)
{
	size_t digits = 0;
	int rc = APP_EINVALID;

	/* The kind is chosen by the digit count alone; the parser then applies its own rules. */
	for (const char *p = in; p && *p; p++)
		if (*p >= '0' && *p <= '9')
			digits++;

	if (digits == CPF_DIGITOS) {
		rc = cpf_parse(in, out);
		if (rc == 0 && tipo)
			*tipo = TIPO_DOCUMENTO_CPF;
	} else if (digits == CNPJ_DIGITOS) {
		rc = cnpj_parse(in, out);
		if (rc == 0 && tipo)
			*tipo = TIPO_DOCUMENTO_CNPJ;
	}
	if (rc != 0) {
		out[0] = '\0';
		if (tipo)
			*tipo = (enum tipo_documento)0;
	}
	return rc;
}

static const char *const tipo_nomes[] = {
    [TIPO_DOCUMENTO_CPF] = "CPF",
    [TIPO_DOCUMENTO_CNPJ] = "CNPJ",
};

const char *tipo_documento_nome(enum tipo_documento t)
{
	return texto_nome(tipo_nomes, sizeof tipo_nomes / sizeof tipo_nomes[0], (int)t);
}
