/* The reports: period validation and the two report queries (application layer). */
#include "application/queries/consultas_relatorios.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/heap.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static long dias_desde_epoca(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int dias_no_mes(int y, int m)
{
	static const int dias[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool bissexto = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && bissexto ? 29 : dias[m - 1];
}

static bool digitos(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Exactly "YYYY-MM-DD", a real day of years 0001..9999: its day number into *dia. */
static bool data_parse(const char *s, long *dia)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digitos(s, 4) || !digitos(s + 5, 2) ||
	    !digitos(s + 8, 2))
		return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > dias_no_mes(y, m))
		return false;
	*dia = dias_desde_epoca(y, m, d);
	return true;
}

static bool data_campo(const char *valor, const char *campo, long *dia, struct field_errors *fe)
{
	if (!valor) {
		field_errors_add(fe, campo, "parâmetro obrigatório (AAAA-MM-DD)");
		return false;
	}
	if (!data_parse(valor, dia)) {
		field_errors_add(fe, campo, "data inválida: use AAAA-MM-DD");
		return false;
	}
	return true;
}

int periodo_parse(const char *de, const char *ate, struct periodo *out, struct field_errors *fe)
{
	long d0 = 0, d1 = 0;
	bool ok_de = data_campo(de, "de", &d0, fe);
	bool ok_ate = data_campo(ate, "ate", &d1, fe);

	memset(out, 0, sizeof *out);
	if (!ok_de || !ok_ate)
		return APP_EINVALID;
	if (d1 < d0) {
		field_errors_add(fe, "ate", "deve ser igual ou posterior a de");
		return APP_EINVALID;
	}
	if (d1 - d0 + 1 > PERIODO_DIAS_MAX) {
		field_errors_add(fe, "ate", "o período pode ter no máximo 366 dias");
		return APP_EINVALID;
	}
	snprintf(out->de, sizeof out->de, "%s", de);
	snprintf(out->ate, sizeof out->ate, "%s", ate);
	out->dias = (int)(d1 - d0 + 1);
	return 0;
}

int relatorio_tempo_medio(const struct app *app, const char *de, const char *ate,
                          struct field_errors *fe, struct relatorio_tempo_medio *out)
{
	struct periodo p;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = periodo_parse(de, ate, &p, fe)) != 0)
		return rc;
	rc = relatorios_tempo_medio(&app->relatorios, &p, out);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

int relatorio_volume_diario(const struct app *app, const char *de, const char *ate,
                            struct field_errors *fe, struct volume_diario *out)
{
	struct periodo p;
	int rc;

	out->dias = NULL;
	out->n = 0;
	if ((rc = periodo_parse(de, ate, &p, fe)) != 0)
		return rc;
	if (!(out->dias = heap_calloc((size_t)p.dias, sizeof *out->dias)))
		return APP_ENOMEM;
	rc = relatorios_volume_diario(&app->relatorios, &p, out->dias, (size_t)p.dias, &out->n);
	if (rc != 0)
		volume_diario_cleanup(out);
	return rc;
}

void volume_diario_cleanup(struct volume_diario *v)
{
	if (!v)
		return;
	heap_free(v->dias);
	v->dias = NULL;
	v->n = 0;
}
