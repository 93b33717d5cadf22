/*
 * End-to-end tests of /api/relatorios on the real server (SPEC §5 Reads): the shape of both
 * reports, hours as numbers or null, one row per day with zeros, 400 with one errors entry per bad
 * date parameter, and the roles (admin and atendente only). The exact figures are proven by
 * tests/integration/test_pg_relatorios.c; here the period is one where no test opens orders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-relatorios-1"

static struct test_server srv;
static char *admin, *atendente, *mecanico;

static int group_setup(void **state)
{
	(void)state;
	test_server_start(&srv, NULL);
	staff_tokens(&srv, SENHA, &admin, &atendente, &mecanico);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	staff_tokens_free(&admin, &atendente, &mecanico);
	return 0;
}

static void test_tempo_medio__periodo_sem_ordens__zero_e_nulls(void **state)
{
	static const char *const etapas[] = {"RECEBIDA", "EM_DIAGNOSTICO", "AGUARDANDO_APROVACAO",
	                                     "EM_EXECUCAO"};
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", "/api/relatorios/tempo-medio?de=1990-01-01&ate=1990-12-31", atendente,
	         NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_true(json_is_integer(json_object_get(d, "ordens_consideradas")));
	assert_int_equal(json_integer_value(json_object_get(d, "ordens_consideradas")), 0);
	assert_true(json_is_null(json_object_get(d, "tempo_medio_execucao_horas")));
	assert_true(json_is_null(json_object_get(d, "tempo_medio_total_horas")));
	json_t *ps = json_object_get(d, "por_status");
	assert_true(json_is_object(ps));
	assert_int_equal(json_object_size(ps), 4);
	for (size_t i = 0; i < 4; i++) {
		json_t *v = json_object_get(ps, etapas[i]);
		assert_non_null(v);
		assert_true(json_is_null(v));
	}
	http_response_cleanup(&r);
}

static void test_tempo_medio__periodo_atual__horas_sao_numeros_ou_null(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", "/api/relatorios/tempo-medio?de=2025-06-01&ate=2026-05-31", admin,
	         NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	json_t *h = json_object_get(d, "tempo_medio_total_horas");
	assert_true(json_is_null(h) || json_is_number(h));
	http_response_cleanup(&r);
}

static void test_volume_diario__um_item_por_dia_com_zeros(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", "/api/relatorios/volume-diario?de=1990-02-27&ate=1990-03-02", admin,
	         NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *dias = data_array(&r);
	assert_int_equal(json_array_size(dias), 4);
	assert_string_equal(json_str(json_array_get(dias, 0), "dia"), "1990-02-27");
	assert_string_equal(json_str(json_array_get(dias, 1), "dia"), "1990-02-28");
	assert_string_equal(json_str(json_array_get(dias, 2), "dia"), "1990-03-01");
	assert_string_equal(json_str(json_array_get(dias, 3), "dia"), "1990-03-02");
	for (size_t i = 0; i < 4; i++) {
		json_t *dia = json_array_get(dias, i);
		assert_int_equal(json_object_size(dia), 4);
		assert_int_equal(json_integer_value(json_object_get(dia, "abertas")), 0);
		assert_int_equal(json_integer_value(json_object_get(dia, "finalizadas")), 0);
		assert_int_equal(json_integer_value(json_object_get(dia, "entregues")), 0);
	}
	http_response_cleanup(&r);
}

static void test_datas_ruins__400_um_erro_por_parametro(void **state)
{
	static const struct {
		const char *query;
		int de, ate; /* errors entries expected on each */
	} casos[] = {
	    {"", 1, 1},
	    {"?de=2026-01-01", 0, 1},
	    {"?ate=2026-01-01", 1, 0},
	    {"?de=2026-02-30&ate=2026-03-01", 1, 0},
	    {"?de=01/02/2026&ate=2026-13-01", 1, 1},
	    {"?de=2026-03-02&ate=2026-03-01", 0, 1},
	    {"?de=2025-01-01&ate=2026-01-02", 0, 1}, /* 367 days */
	    {"?de=&ate=2026-01-01", 1, 0},
	};
	static const char *const rotas[] = {"/api/relatorios/tempo-medio",
	                                    "/api/relatorios/volume-diario"};
	(void)state;

	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
			struct http_response r;
			api_call(&srv, "GET", pathf("%s%s", rotas[k], casos[i].query), admin, NULL,
			         NULL, &r);
			json_t *p = assert_problem(&r, 400);
			if (problem_campo_count(p, "de") != (size_t)casos[i].de ||
			    problem_campo_count(p, "ate") != (size_t)casos[i].ate)
				fail_msg("%s%s: %s", rotas[k], casos[i].query, r.body);
			http_response_cleanup(&r);
		}
	}
}

static void test_papeis__mecanico_403_sem_token_401(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", "/api/relatorios/tempo-medio?de=2026-01-01&ate=2026-01-31", mecanico,
	         NULL, NULL, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/relatorios/volume-diario?de=2026-01-01&ate=2026-01-31", NULL,
	         NULL, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tempo_medio__periodo_sem_ordens__zero_e_nulls),
	    cmocka_unit_test(test_tempo_medio__periodo_atual__horas_sao_numeros_ou_null),
	    cmocka_unit_test(test_volume_diario__um_item_por_dia_com_zeros),
	    cmocka_unit_test(test_datas_ruins__400_um_erro_por_parametro),
	    cmocka_unit_test(test_papeis__mecanico_403_sem_token_401),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
