/* Money as whole centavos (domain layer, no I/O). */
#include "domain/dinheiro.h"

#include <stdio.h>

#include "domain/errors.h"

int dinheiro_parse(const char *text, int64_t *centavos)
{
	int64_t reais = 0, frac = 0;
	int int_digits = 0, frac_digits = 0;
	const char *p = text;

	if (!p)
		return APP_EINVALID;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++int_digits > 12)
			return APP_EINVALID;
		reais = reais * 10 + (*p - '0');
	}
	if (int_digits == 0)
		return APP_EINVALID;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++frac_digits > 2)
				return APP_EINVALID;
			frac = frac * 10 + (*p - '0');
		}
		if (frac_digits == 0)
			return APP_EINVALID;
		if (frac_digits == 1)
			frac *= 10;
	}
	if (*p != '\0')
		return APP_EINVALID;
	int64_t total = reais * 100 + frac;
	if (total > DINHEIRO_MAX_CENTAVOS)
		return APP_EINVALID;
	*centavos = total;
	return 0;
}

void dinheiro_format(int64_t centavos, char out[DINHEIRO_TEXTO_MAX])
{
	const char *sign = centavos < 0 ? "-" : "";
	uint64_t v = centavos < 0 ? (uint64_t)0 - (uint64_t)centavos : (uint64_t)centavos;
	snprintf(out, DINHEIRO_TEXTO_MAX, "%s%llu.%02llu", sign, (unsigned long long)(v / 100),
	         (unsigned long long)(v % 100));
}

void dinheiro_reais(int64_t centavos, char out[DINHEIRO_REAIS_MAX])
{
	uint64_t v = centavos < 0 ? (uint64_t)0 - (uint64_t)centavos : (uint64_t)centavos;
	char digitos[24];
	int n = snprintf(digitos, sizeof digitos, "%llu", (unsigned long long)(v / 100));
	size_t k = 0;

	if (centavos < 0)
		out[k++] = '-';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = '.';
		out[k++] = digitos[i];
	}
	snprintf(out + k, DINHEIRO_REAIS_MAX - k, ",%02u", (unsigned)(v % 100));
}
