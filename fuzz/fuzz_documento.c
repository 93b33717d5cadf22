/*
 * Fuzz target: CPF and CNPJ (domain/documento.c), as typed in a customer's JSON, in ?documento=
 * and at the customers' CPF login. Properties: a CPF or CNPJ accepted is the input's digits and
 * nothing else, of the right count, not all equal, with both check digits right (recomputed here
 * with the Receita Federal's formula, written independently: weights counted down from n + 1,
 * CNPJ's wrapping from 9 back to 2); only digits, the separators and whitespace at the ends were
 * in the input; the digits parse again as themselves, as does the usual formatted form;
 * documento_parse agrees with the parser the digit count picks; a refusal leaves out "".
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/documento.h"
#include "fuzz/fuzz.h"

/* The check digit of d[0..n) with weights n + 1 down to 2, which CNPJ restarts at 9 after 2. */
static int dv(const char *d, size_t n, bool cnpj)
{
	int soma = 0, peso = (int)n + 1;

	for (size_t i = 0; i < n; i++) {
		int p = peso - (int)i;
		if (cnpj)
			p = (int)((n - 1 - i) % 8) + 2;
		soma += (d[i] - '0') * p;
	}
	soma %= 11;
	return soma < 2 ? 0 : 11 - soma;
}

static bool so_digitos(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The input's digits; false when something else than seps and the ends' whitespace is there. */
static bool digitos_de(const char *in, const char *seps, char *out, size_t cap)
{
	const char *ws = " \t\n\v\f\r";
	size_t ini = strspn(in, ws), fim = strlen(in), n = 0;
	bool limpo = true;

	while (fim > ini && strchr(ws, in[fim - 1]))
		fim--;
	for (size_t i = ini; i < fim; i++) {
		if (in[i] >= '0' && in[i] <= '9') {
			if (n + 1 < cap)
				out[n++] = in[i];
		} else if (!strchr(seps, in[i])) {
			limpo = false;
		}
	}
	out[n] = '\0';
	return limpo;
}

static bool todos_iguais(const char *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			return false;
	return true;
}

/* The oracle: whether text is a valid document of n digits with these separators. */
static bool valido(const char *text, const char *seps, size_t n)
{
	char d[64];
	bool cnpj = n == CNPJ_DIGITOS;

	return digitos_de(text, seps, d, sizeof d) && so_digitos(d, n) && !todos_iguais(d, n) &&
	       dv(d, n - 2, cnpj) == d[n - 2] - '0' && dv(d, n - 1, cnpj) == d[n - 1] - '0';
}

/* What an accepted document must be: the input's digits, parsing again, formatted or not. */
static void checar(const char *text, const char *out, size_t n, const char *seps)
{
	char digitos[64], de_novo[CNPJ_DIGITOS + 1], formatado[32];

	FUZZ_CHECK(so_digitos(out, n));
	FUZZ_CHECK(digitos_de(text, seps, digitos, sizeof digitos) && strcmp(digitos, out) == 0);
	if (n == CNPJ_DIGITOS) {
		FUZZ_CHECK(cnpj_parse(out, de_novo) == 0 && strcmp(de_novo, out) == 0);
		snprintf(formatado, sizeof formatado, "%.2s.%.3s.%.3s/%.4s-%.2s", out, out + 2,
		         out + 5, out + 8, out + 12);
		FUZZ_CHECK(cnpj_parse(formatado, de_novo) == 0 && strcmp(de_novo, out) == 0);
	} else {
		FUZZ_CHECK(cpf_parse(out, de_novo) == 0 && strcmp(de_novo, out) == 0);
		snprintf(formatado, sizeof formatado, "%.3s.%.3s.%.3s-%.2s", out, out + 3, out + 6,
		         out + 9);
		FUZZ_CHECK(cpf_parse(formatado, de_novo) == 0 && strcmp(de_novo, out) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char cpf[CPF_DIGITOS + 1] = "x", cnpj[CNPJ_DIGITOS + 1] = "x", doc[DOCUMENTO_MAX] = "x";
	enum tipo_documento tipo = TIPO_DOCUMENTO_CPF;
	int rc_cpf = cpf_parse(text, cpf), rc_cnpj = cnpj_parse(text, cnpj);
	int rc_doc = documento_parse(text, doc, &tipo);
	size_t n = 0;

	for (const char *p = text; *p; p++)
		n += *p >= '0' && *p <= '9';
	FUZZ_CHECK((rc_cpf == 0) == valido(text, ".-", CPF_DIGITOS));
	FUZZ_CHECK((rc_cnpj == 0) == valido(text, ".-/", CNPJ_DIGITOS));
	if (rc_cpf == 0)
		checar(text, cpf, CPF_DIGITOS, ".-");
	else
		FUZZ_CHECK(cpf[0] == '\0');
	if (rc_cnpj == 0)
		checar(text, cnpj, CNPJ_DIGITOS, ".-/");
	else
		FUZZ_CHECK(cnpj[0] == '\0');
	/* documento_parse is the parser the count picks, nothing more. */
	if (n == CPF_DIGITOS) {
		FUZZ_CHECK((rc_doc == 0) == (rc_cpf == 0));
		FUZZ_CHECK(rc_doc != 0 || (tipo == TIPO_DOCUMENTO_CPF && strcmp(doc, cpf) == 0));
	} else if (n == CNPJ_DIGITOS) {
		FUZZ_CHECK((rc_doc == 0) == (rc_cnpj == 0));
		FUZZ_CHECK(rc_doc != 0 || (tipo == TIPO_DOCUMENTO_CNPJ && strcmp(doc, cnpj) == 0));
	} else {
		FUZZ_CHECK(rc_doc != 0);
	}
	if (rc_doc != 0)
		FUZZ_CHECK(doc[0] == '\0' && tipo == 0);
	free(text);
	return 0;
}
