/*
 * Fuzz target: licence plates (domain/placa.c), as typed in a vehicle's JSON and in ?placa=.
 * Properties: a plate accepted is the input with its end whitespace and every '-' and ' ' dropped
 * and its letters upper-cased (computed here independently), of the old AAA9999 or the Mercosul
 * AAA9A99 shape; normalising is idempotent; anything refused leaves out "".
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/placa.h"
#include "fuzz/fuzz.h"

static bool letra(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool digito(char c)
{
	return c >= '0' && c <= '9';
}

/* AAA9999 or AAA9A99, and nothing more. */
static bool forma_valida(const char *p)
{
	return strlen(p) == PLACA_MAX - 1 && letra(p[0]) && letra(p[1]) && letra(p[2]) &&
	       digito(p[3]) && (digito(p[4]) || letra(p[4])) && digito(p[5]) && digito(p[6]);
}

/* The input with '-', ' ' and the ends' whitespace dropped, letters upper-cased; false if long. */
static bool simplificar(const char *in, char *out, size_t cap)
{
	const char *ws = " \t\n\v\f\r";
	size_t ini = strspn(in, ws), fim = strlen(in), n = 0;

	while (fim > ini && strchr(ws, in[fim - 1]))
		fim--;
	for (size_t i = ini; i < fim; i++) {
		char c = in[i];
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n + 1 >= cap)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char out[PLACA_MAX] = "x", de_novo[PLACA_MAX], simples[64];
	int rc = placa_normalizar(text, out);
	bool cabe = simplificar(text, simples, sizeof simples);

	/* Accepted exactly when what is left of the input has the shape. */
	FUZZ_CHECK((rc == 0) == (cabe && forma_valida(simples)));
	if (rc != 0) {
		FUZZ_CHECK(out[0] == '\0');
	} else {
		FUZZ_CHECK(forma_valida(out) && strcmp(simples, out) == 0);
		FUZZ_CHECK(placa_normalizar(out, de_novo) == 0 && strcmp(de_novo, out) == 0);
	}
	free(text);
	return 0;
}
