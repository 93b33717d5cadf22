/*
 * Unit tests of application/queries/consultas_relatorios: the validation of a report's period
 * (dates, order, length) and that a bad period never reaches the store; a recording stub stands
 * in for the relatorios port (application layer; cmocka, tests/fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/queries/consultas_relatorios.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"

/* A relatorios port that records what it was asked and answers canned figures. */
struct stub {
	int calls;            /* calls of either report */
	struct periodo visto; /* the period of the last call */
	int rc;               /* what the calls answer */
};

static int stub_tempo_medio(void *self, const struct periodo *p, struct relatorio_tempo_medio *out)
{
	struct stub *s = self;
	s->calls++;
	s->visto = *p;
	if (s->rc != 0)
		return s->rc;
	out->ordens_consideradas = 2;
	out->total = (struct horas){true, 8.0};
	return 0;
}

static int stub_volume(void *self, const struct periodo *p, struct volume_dia *out, size_t max,
                       size_t *n)
{
	struct stub *s = self;
	s->calls++;
	s->visto = *p;
	*n = 0;
	if (s->rc != 0)
		return s->rc;
	assert_true(max >= (size_t)p->dias);
	for (int i = 0; i < p->dias; i++) {
		snprintf(out[i].dia, sizeof out[i].dia, "dia-%d", i % 1000);
		out[i].abertas = i;
	}
	*n = (size_t)p->dias;
	return 0;
}

static const struct relatorios_ops stub_ops = {
    .tempo_medio = stub_tempo_medio,
    .volume_diario = stub_volume,
};

struct fx {
	struct fake_app f;
	struct stub stub;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	fake_app_init(&x->f);
	x->f.app.relatorios.ops = &stub_ops;
	x->f.app.relatorios.self = &x->stub;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	fake_app_cleanup(&x->f);
	free(x);
	return 0;
}

/* periodo_parse of de..ate must fail with exactly the given fields in errors. */
static void recusa(const char *de, const char *ate, const char *campo1, const char *campo2)
{
	struct periodo p;
	struct field_errors fe;

	field_errors_init(&fe);
	if (periodo_parse(de, ate, &p, &fe) != APP_EINVALID)
		fail_msg("periodo_parse(%s, %s) aceitou", de ? de : "NULL", ate ? ate : "NULL");
	assert_int_equal(fe.count, campo2 ? 2 : 1);
	assert_true(field_errors_has(&fe, campo1));
	if (campo2)
		assert_true(field_errors_has(&fe, campo2));
	assert_int_equal(p.dias, 0);
}

static int aceita(const char *de, const char *ate)
{
	struct periodo p;
	struct field_errors fe;

	field_errors_init(&fe);
	if (periodo_parse(de, ate, &p, &fe) != 0)
		fail_msg("periodo_parse(%s, %s) recusou: %s", de, ate,
		         fe.count ? fe.items[0].mensagem : "?");
	assert_int_equal(fe.count, 0);
	assert_string_equal(p.de, de);
	assert_string_equal(p.ate, ate);
	return p.dias;
}

static void test_periodo_parse__datas_validas__dias_contados(void **state)
{
	(void)state;
	assert_int_equal(aceita("2026-11-23", "2026-11-23"), 1);
	assert_int_equal(aceita("2026-11-01", "2026-11-30"), 30);
	assert_int_equal(aceita("2024-02-28", "2024-03-01"), 3); /* 2024 is a leap year */
	assert_int_equal(aceita("2023-02-28", "2023-03-01"), 2);
	assert_int_equal(aceita("2025-12-31", "2026-01-01"), 2);
	assert_int_equal(aceita("2000-02-29", "2000-02-29"), 1); /* divisible by 400 */
}

static void test_periodo_parse__366_dias__aceito_367__recusado_em_ate(void **state)
{
	(void)state;
	assert_int_equal(aceita("2024-01-01", "2024-12-31"), 366);
	assert_int_equal(aceita("2025-01-01", "2026-01-01"), 366);
	recusa("2025-01-01", "2026-01-02", "ate", NULL);
	recusa("2020-01-01", "2026-01-01", "ate", NULL);
}

static void test_periodo_parse__ausentes__um_erro_por_parametro(void **state)
{
	(void)state;
	recusa(NULL, NULL, "de", "ate");
	recusa(NULL, "2026-01-01", "de", NULL);
	recusa("2026-01-01", NULL, "ate", NULL);
}

static void test_periodo_parse__formato_errado__recusado(void **state)
{
	static const char *const ruins[] = {
	    "",           "2026-1-01",   "2026-01-1",      "26-01-01",    "2026/01/01",
	    "20260101",   "2026-01-01 ", " 2026-01-01",    "2026-01-01x", "2026-01-01T00:00:00Z",
	    "+026-01-01", "2026-0a-01",  "２０２６-01-01", "2026--01-01", "-2026-01-01",
	};
	(void)state;
	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		recusa(ruins[i], "2026-01-31", "de", NULL);
		recusa("2026-01-01", ruins[i], "ate", NULL);
	}
}

static void test_periodo_parse__datas_inexistentes__recusadas(void **state)
{
	static const char *const ruins[] = {"2023-02-29", "2100-02-29", "2024-02-30", "2024-04-31",
	                                    "2024-06-31", "2024-09-31", "2024-11-31", "2024-13-01",
	                                    "2024-00-10", "2024-01-00", "2024-01-32", "0000-01-01"};
	(void)state;
	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++)
		recusa(ruins[i], "2024-12-31", "de", NULL);
}

static void test_periodo_parse__dois_ruins__duas_entradas(void **state)
{
	(void)state;
	recusa("ontem", "2024-02-30", "de", "ate");
}

static void test_periodo_parse__de_depois_de_ate__recusado_em_ate(void **state)
{
	(void)state;
	recusa("2026-11-24", "2026-11-23", "ate", NULL);
	recusa("2027-01-01", "2026-12-31", "ate", NULL);
}

static void test_relatorio_tempo_medio__periodo_invalido__nao_consulta(void **state)
{
	struct fx *x = *state;
	struct relatorio_tempo_medio t;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(relatorio_tempo_medio(&x->f.app, "2026-02-30", "2026-03-01", &fe, &t),
	                 APP_EINVALID);
	assert_int_equal(x->stub.calls, 0);
	assert_true(field_errors_has(&fe, "de"));
	assert_int_equal(t.ordens_consideradas, 0);
}

static void test_relatorio_tempo_medio__periodo_valido__consulta_com_o_periodo(void **state)
{
	struct fx *x = *state;
	struct relatorio_tempo_medio t;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(relatorio_tempo_medio(&x->f.app, "2026-11-01", "2026-11-30", &fe, &t), 0);
	assert_int_equal(x->stub.calls, 1);
	assert_string_equal(x->stub.visto.de, "2026-11-01");
	assert_string_equal(x->stub.visto.ate, "2026-11-30");
	assert_int_equal(x->stub.visto.dias, 30);
	assert_int_equal(t.ordens_consideradas, 2);
	assert_true(t.total.definido);
}

static void test_relatorio_tempo_medio__store_indisponivel__erro_e_saida_zerada(void **state)
{
	struct fx *x = *state;
	struct relatorio_tempo_medio t;
	struct field_errors fe;

	field_errors_init(&fe);
	x->stub.rc = APP_EUNAVAILABLE;
	assert_int_equal(relatorio_tempo_medio(&x->f.app, "2026-11-01", "2026-11-30", &fe, &t),
	                 APP_EUNAVAILABLE);
	assert_int_equal(t.ordens_consideradas, 0);
	assert_false(t.total.definido);
}

static void test_relatorio_volume_diario__um_dia_por_linha(void **state)
{
	struct fx *x = *state;
	struct volume_diario v;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(relatorio_volume_diario(&x->f.app, "2024-01-01", "2024-12-31", &fe, &v),
	                 0);
	assert_int_equal(v.n, 366);
	assert_string_equal(v.dias[365].dia, "dia-365");
	volume_diario_cleanup(&v);
	assert_null(v.dias);
	assert_int_equal(v.n, 0);
}

static void test_relatorio_volume_diario__periodo_invalido__nada_alocado(void **state)
{
	struct fx *x = *state;
	struct volume_diario v;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(relatorio_volume_diario(&x->f.app, "2026-01-02", "2026-01-01", &fe, &v),
	                 APP_EINVALID);
	assert_null(v.dias);
	assert_int_equal(v.n, 0);
	assert_int_equal(x->stub.calls, 0);
	volume_diario_cleanup(&v); /* harmless on an empty result */
}

static void test_relatorio_volume_diario__store_indisponivel__vazio(void **state)
{
	struct fx *x = *state;
	struct volume_diario v;
	struct field_errors fe;

	field_errors_init(&fe);
	x->stub.rc = APP_EUNAVAILABLE;
	assert_int_equal(relatorio_volume_diario(&x->f.app, "2026-01-01", "2026-01-31", &fe, &v),
	                 APP_EUNAVAILABLE);
	assert_null(v.dias);
	assert_int_equal(v.n, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_periodo_parse__datas_validas__dias_contados),
	    T(test_periodo_parse__366_dias__aceito_367__recusado_em_ate),
	    T(test_periodo_parse__ausentes__um_erro_por_parametro),
	    T(test_periodo_parse__formato_errado__recusado),
	    T(test_periodo_parse__datas_inexistentes__recusadas),
	    T(test_periodo_parse__dois_ruins__duas_entradas),
	    T(test_periodo_parse__de_depois_de_ate__recusado_em_ate),
	    T(test_relatorio_tempo_medio__periodo_invalido__nao_consulta),
	    T(test_relatorio_tempo_medio__periodo_valido__consulta_com_o_periodo),
	    T(test_relatorio_tempo_medio__store_indisponivel__erro_e_saida_zerada),
	    T(test_relatorio_volume_diario__um_dia_por_linha),
	    T(test_relatorio_volume_diario__periodo_invalido__nada_alocado),
	    T(test_relatorio_volume_diario__store_indisponivel__vazio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
