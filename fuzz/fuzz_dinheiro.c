/*
 * Fuzz target: money (domain/dinheiro.c). The input is the text of an amount as a client sends it
 * ("150.00", "150.5"); its first 8 bytes are also read as an int64_t of centavos for the two
 * writers. Properties: dinheiro_parse accepts exactly 1..12 digits, optionally '.' and 1..2
 * digits, up to DINHEIRO_MAX_CENTAVOS (checked by a second, plain reading of the text); what it
 * accepts, dinheiro_format writes as the canonical "N.NN" that parses back to the same value; and
 * dinheiro_reais writes the same amount with Brazilian separators, for any int64_t.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/dinheiro.h"
#include "fuzz/fuzz.h"

/* The amount in text by its own rules, without dinheiro_parse's loop: false when malformed. */
static bool ler_simples(const char *s, int64_t *centavos)
{
	size_t n = strlen(s), inteiros = strspn(s, "0123456789");
	int64_t reais = 0, fracao = 0;

	if (inteiros < 1 || inteiros > 12)
		return false;
	for (size_t i = 0; i < inteiros; i++)
		reais = reais * 10 + (s[i] - '0');
	if (inteiros < n) {
		size_t casas = strspn(s + inteiros + 1, "0123456789");
		if (s[inteiros] != '.' || casas < 1 || casas > 2 || inteiros + 1 + casas != n)
			return false;
		fracao = (s[inteiros + 1] - '0') * 10 + (casas == 2 ? s[inteiros + 2] - '0' : 0);
	}
	*centavos = reais * 100 + fracao;
	return *centavos <= DINHEIRO_MAX_CENTAVOS;
}

/* dinheiro_format's text of v, read back from dinheiro_reais's: '.' dropped, ',' made '.'. */
static void checar_reais(int64_t v)
{
	char formato[DINHEIRO_TEXTO_MAX], reais[DINHEIRO_REAIS_MAX], volta[DINHEIRO_REAIS_MAX];
	size_t k = 0, grupo = 0;

	dinheiro_format(v, formato);
	dinheiro_reais(v, reais);
	FUZZ_CHECK(strlen(reais) < DINHEIRO_REAIS_MAX);
	for (const char *p = reais; *p; p++) {
		if (*p == '.')
			continue;
		volta[k++] = *p == ',' ? '.' : *p;
	}
	volta[k] = '\0';
	FUZZ_CHECK(strcmp(volta, formato) == 0);
	/* Thousands: every group after the first has exactly three digits. */
	const char *virgula = strchr(reais, ',');
	FUZZ_CHECK(virgula && strlen(virgula) == 3);
	for (const char *p = virgula - 1; p >= reais && *p != '-'; p--) {
		if (*p == '.') {
			FUZZ_CHECK(grupo == 3);
			grupo = 0;
		} else {
			grupo++;
		}
	}
	FUZZ_CHECK(grupo >= 1 && grupo <= 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	int64_t centavos = -1, esperado = -1, volta = -1;
	bool simples = ler_simples(text, &esperado);
	int rc = dinheiro_parse(text, &centavos);

	FUZZ_CHECK((rc == 0) == simples);
	if (rc == 0) {
		char formato[DINHEIRO_TEXTO_MAX];

		FUZZ_CHECK(centavos == esperado);
		FUZZ_CHECK(centavos >= 0 && centavos <= DINHEIRO_MAX_CENTAVOS);
		dinheiro_format(centavos, formato);
		FUZZ_CHECK(dinheiro_parse(formato, &volta) == 0 && volta == centavos);
		/* Canonical: two decimals, and no leading zero but the one of "0.NN". */
		size_t n = strlen(formato);
		FUZZ_CHECK(n >= 4 && formato[n - 3] == '.');
		FUZZ_CHECK(formato[0] != '0' || formato[1] == '.');
		checar_reais(centavos);
	}
	if (size >= sizeof(int64_t)) {
		int64_t qualquer;
		memcpy(&qualquer, data, sizeof qualquer);
		checar_reais(qualquer);
	}
	free(text);
	return 0;
}
