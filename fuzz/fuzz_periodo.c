/*
 * Fuzz target: the reports' period (application/queries/consultas_relatorios.c periodo_parse),
 * the ?de= and ?ate= dates. Input: the two values on two lines (no second line: ate absent).
 * Properties: a period accepted is two dates of exactly YYYY-MM-DD, years 0001..9999, each a real
 * day (checked against the C library's timegm, which normalises an impossible day into another),
 * de not after ate, and dias their distance plus one (by timegm too), 1..PERIODO_DIAS_MAX; the
 * period keeps the texts as given; a refusal names at least one parameter in fe.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "application/queries/consultas_relatorios.h"
#include "fuzz/fuzz.h"

/* The day of s at noon UTC by timegm, when s is YYYY-MM-DD of a day that exists. */
static bool dia_real(const char *s, time_t *t)
{
	int y = 0, m = 0, d = 0;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
	*t = timegm(&tm);
	return y >= 1 && tm.tm_year == y - 1900 && tm.tm_mon == m - 1 && tm.tm_mday == d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *de, *ate;
	struct periodo p;
	struct field_errors fe;
	time_t t0 = 0, t1 = 0;

	fuzz_split2(data, size, &de, &ate);
	field_errors_init(&fe);
	int rc = periodo_parse(de, ate, &p, &fe);
	bool ok_de = dia_real(de, &t0), ok_ate = dia_real(ate, &t1);
	long dias = ok_de && ok_ate ? (long)((t1 - t0) / 86400) + 1 : 0;
	bool esperado = ok_de && ok_ate && dias >= 1 && dias <= PERIODO_DIAS_MAX;

	FUZZ_CHECK((rc == 0) == esperado);
	if (rc == 0) {
		FUZZ_CHECK(fe.count == 0);
		FUZZ_CHECK(p.dias == dias);
		FUZZ_CHECK(strcmp(p.de, de) == 0 && strcmp(p.ate, ate) == 0);
	} else {
		FUZZ_CHECK(fe.count >= 1 && fe.count <= 2);
		FUZZ_CHECK(ok_de || field_errors_has(&fe, "de"));
		FUZZ_CHECK(ok_ate || field_errors_has(&fe, "ate"));
	}
	free(de);
	free(ate);
	return 0;
}
