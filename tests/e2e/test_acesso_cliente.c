/*
 * End-to-end tests of a customer's own access on the real server (SPEC §4): login by CPF
 * (200 / 401 unknown / 401 inactive / 422 invalid), and with the customer token only their own
 * record and vehicles (another customer's answer 404, like a record that does not exist), every
 * write 403.
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

#define SENHA "senha-acesso-cliente-1"

struct pessoa {
	char cpf[CPF_MAX];        /* formatted */
	char uuid[UUID_MAX];      /* customer */
	char carros[2][UUID_MAX]; /* vehicles */
	char placas[2][PLACA_MAX];
};

static struct test_server srv;
static char *admin, *atendente;
static struct pessoa ana, beto, inativo; /* ana: 2 vehicles; beto: 1; inativo: deactivated */

static void novo_cliente(struct pessoa *p, const char *nome, int carros)
{
	struct http_response r;

	random_cpf(p->cpf, true);
	json_t *b = json_pack("{s:s, s:s}", "nome", nome, "documento", p->cpf);
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(p->uuid, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
	for (int i = 0; i < carros; i++) {
		random_placa(p->placas[i], i % 2);
		b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", p->uuid, "placa",
		              p->placas[i], "marca", "Fiat", "modelo", "Argo", "ano", 2022);
		api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
		json_decref(b);
		assert_status(&r, 201);
		snprintf(p->carros[i], UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
		http_response_cleanup(&r);
	}
}

/* POST /api/auth/cpf with body; the caller cleans r up. */
static void login_cpf(const char *body, struct http_response *r)
{
	api_call(&srv, "POST", "/api/auth/cpf", NULL, body, NULL, r);
}

/* Logs in by cpf, asserting 200; returns the token (malloc'd). */
static char *token_de(const struct pessoa *p)
{
	struct http_response r;
	char body[96];

	snprintf(body, sizeof body, "{\"cpf\": \"%s\"}", p->cpf);
	login_cpf(body, &r);
	assert_status(&r, 200);
	char *t = strdup(json_str(data_object(&r), "token"));
	http_response_cleanup(&r);
	assert_non_null(t);
	return t;
}

static int group_setup(void **state)
{
	struct http_response r;
	(void)state;

	test_server_start(&srv, NULL);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	atendente = staff_token(&srv, "atendente", SENHA, NULL, NULL);
	novo_cliente(&ana, "Ana Cliente", 2);
	novo_cliente(&beto, "Beto Cliente", 1);
	novo_cliente(&inativo, "Ivo Inativo", 0);
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", inativo.uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	free(admin);
	free(atendente);
	return 0;
}

static void test_login_cpf__cliente_ativo__200_token_de_cliente(void **state)
{
	struct http_response r, me;
	char body[96], digitos[16];
	(void)state;

	snprintf(body, sizeof body, "{\"cpf\": \"%s\"}", ana.cpf);
	login_cpf(body, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "token_type"), "Bearer");
	assert_true(json_integer_value(json_object_get(d, "expires_in")) > 0);
	json_t *c = json_object_get(d, "cliente");
	assert_true(json_is_object(c));
	assert_string_equal(json_str(c, "uuid"), ana.uuid);
	assert_string_equal(json_str(c, "nome"), "Ana Cliente");
	assert_int_equal(json_object_size(c), 2); /* no documento or contact data in the answer */

	/* The token works, with the customer's own data. */
	api_call(&srv, "GET", pathf("/api/clientes/%s", ana.uuid), json_str(d, "token"), NULL, NULL,
	         &me);
	assert_status(&me, 200);
	http_response_cleanup(&me);
	http_response_cleanup(&r);

	/* Digits only works too. */
	only_digits(ana.cpf, digitos, sizeof digitos);
	snprintf(body, sizeof body, "{\"cpf\": \"%s\"}", digitos);
	login_cpf(body, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
}

static void test_login_cpf__desconhecido_e_inativo__o_mesmo_401(void **state)
{
	struct http_response a, b;
	char cpf[CPF_MAX], body[96];
	(void)state;

	random_cpf(cpf, false);
	snprintf(body, sizeof body, "{\"cpf\": \"%s\"}", cpf);
	login_cpf(body, &a);
	snprintf(body, sizeof body, "{\"cpf\": \"%s\"}", inativo.cpf);
	login_cpf(body, &b);
	json_t *pa = assert_problem(&a, 401), *pb = assert_problem(&b, 401);
	assert_string_equal(json_str(pa, "detail"), json_str(pb, "detail"));
	assert_string_equal(json_str(pa, "title"), json_str(pb, "title"));
	assert_string_equal(json_str(pa, "type"), json_str(pb, "type"));
	assert_null(json_object_get(pa, "errors"));
	assert_null(json_object_get(pb, "errors"));
	assert_non_null(http_response_header(&a, "WWW-Authenticate"));
	assert_non_null(http_response_header(&b, "WWW-Authenticate"));
	assert_int_equal(a.body_len, b.body_len); /* they differ only in the correlation id */
	http_response_cleanup(&a);
	http_response_cleanup(&b);
}

static void test_login_cpf__cpf_invalido__422_no_campo_cpf(void **state)
{
	static const char *const corpos[] = {
	    "{\"cpf\": \"123.456.789-00\"}",     /* wrong check digits */
	    "{\"cpf\": \"111.111.111-11\"}",     /* all equal */
	    "{\"cpf\": \"1234567890\"}",         /* 10 digits */
	    "{\"cpf\": \"11.222.333/0001-81\"}", /* a CNPJ */
	    "{\"cpf\": 52998224725}",            /* not a string */
	    "{\"cpf\": null}",
	    "{}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof corpos / sizeof corpos[0]; i++) {
		struct http_response r;
		login_cpf(corpos[i], &r);
		assert_invalid_field(&r, "cpf");
		http_response_cleanup(&r);
	}
}

static void test_login_cpf__corpo_nao_json__400(void **state)
{
	struct http_response r;
	(void)state;

	login_cpf("cpf=52998224725", &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
}

static void test_cliente__lista_so_os_proprios_veiculos(void **state)
{
	struct http_response r;
	char *tok = token_de(&ana);
	(void)state;

	api_call(&srv, "GET", "/api/veiculos", tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	json_t *items = data_array(&r);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_string_equal(json_str(json_array_get(items, i), "cliente_uuid"), ana.uuid);
	http_response_cleanup(&r);

	/* Filters cannot reach another customer's vehicles. */
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", beto.uuid), tok, NULL, NULL,
	         &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?placa=%s", beto.placas[0]), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?placa=%s", ana.placas[1]), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", ana.uuid), tok, NULL, NULL,
	         &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", ana.uuid), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);
	free(tok);
}

static void test_cliente__proprio_registro_e_veiculo__200(void **state)
{
	struct http_response r;
	char *tok = token_de(&ana);
	(void)state;

	api_call(&srv, "GET", pathf("/api/clientes/%s", ana.uuid), tok, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "uuid"), ana.uuid);
	http_response_cleanup(&r);
	for (int i = 0; i < 2; i++) {
		api_call(&srv, "GET", pathf("/api/veiculos/%s", ana.carros[i]), tok, NULL, NULL,
		         &r);
		assert_status(&r, 200);
		assert_string_equal(json_str(data_object(&r), "cliente_uuid"), ana.uuid);
		http_response_cleanup(&r);
	}
	free(tok);
}

/* The problem of a missing resource and the one of another customer's must look alike. */
static void assert_404_como_inexistente(const char *tok, const char *path, const char *path_nada)
{
	struct http_response r, n;

	api_call(&srv, "GET", path, tok, NULL, NULL, &r);
	api_call(&srv, "GET", path_nada, tok, NULL, NULL, &n);
	json_t *pr = assert_problem(&r, 404), *pn = assert_problem(&n, 404);
	assert_string_equal(json_str(pr, "detail"), json_str(pn, "detail"));
	assert_string_equal(json_str(pr, "type"), json_str(pn, "type"));
	http_response_cleanup(&r);
	http_response_cleanup(&n);
}

static void test_cliente__dados_de_outro_cliente__404(void **state)
{
	char *tok = token_de(&ana), nada[UUID_MAX], path_nada[128];
	(void)state;

	random_uuid_v4(nada);
	snprintf(path_nada, sizeof path_nada, "/api/veiculos/%s", nada);
	assert_404_como_inexistente(tok, pathf("/api/veiculos/%s", beto.carros[0]), path_nada);
	snprintf(path_nada, sizeof path_nada, "/api/clientes/%s", nada);
	assert_404_como_inexistente(tok, pathf("/api/clientes/%s", beto.uuid), path_nada);
	snprintf(path_nada, sizeof path_nada, "/api/clientes/%s/veiculos", nada);
	assert_404_como_inexistente(tok, pathf("/api/clientes/%s/veiculos", beto.uuid), path_nada);
	free(tok);
}

static void test_cliente__escritas_e_listas_da_equipe__403(void **state)
{
	struct {
		const char *method;
		char path[128];
		const char *body;
	} casos[] = {
	    {"POST", "/api/clientes", "{\"nome\": \"Novo Nome\", \"documento\": \"52998224725\"}"},
	    {"PUT", "", "{\"nome\": \"Ana Mudada\", \"documento\": \"52998224725\"}"},
	    {"PATCH", "", "{\"nome\": \"Ana Mudada\"}"},
	    {"DELETE", "", NULL},
	    {"POST", "/api/veiculos", "{\"placa\": \"ABC1234\"}"},
	    {"PUT", "", "{\"placa\": \"ABC1234\"}"},
	    {"PATCH", "", "{\"cor\": \"Azul\"}"},
	    {"DELETE", "", NULL},
	    {"GET", "/api/clientes", NULL},
	    {"GET", "/api/usuarios", NULL},
	    {"GET", "/api/relatorios/tempo-medio?de=2026-01-01&ate=2026-01-31", NULL},
	    {"GET", "/api/relatorios/volume-diario?de=2026-01-01&ate=2026-01-31", NULL},
	};
	char *tok = token_de(&ana);
	struct http_response r;
	(void)state;

	for (int i = 1; i <= 3; i++)
		snprintf(casos[i].path, sizeof casos[i].path, "/api/clientes/%s", ana.uuid);
	for (int i = 5; i <= 7; i++)
		snprintf(casos[i].path, sizeof casos[i].path, "/api/veiculos/%s", ana.carros[0]);
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		api_call(&srv, casos[i].method, casos[i].path, tok, casos[i].body, NULL, &r);
		if (r.status != 403)
			fail_msg("%s %s: %ld %s", casos[i].method, casos[i].path, r.status, r.body);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
	}
	/* Nothing changed. */
	api_call(&srv, "GET", pathf("/api/clientes/%s", ana.uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "nome"), "Ana Cliente");
	assert_true(json_is_true(json_object_get(data_object(&r), "ativo")));
	http_response_cleanup(&r);
	free(tok);
}

static void test_equipe__continua_vendo_tudo(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "GET", pathf("/api/veiculos/%s", beto.carros[0]), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", ana.uuid), atendente, NULL,
	         NULL, &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", beto.uuid), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	http_response_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_login_cpf__cliente_ativo__200_token_de_cliente),
	    cmocka_unit_test(test_login_cpf__desconhecido_e_inativo__o_mesmo_401),
	    cmocka_unit_test(test_login_cpf__cpf_invalido__422_no_campo_cpf),
	    cmocka_unit_test(test_login_cpf__corpo_nao_json__400),
	    cmocka_unit_test(test_cliente__lista_so_os_proprios_veiculos),
	    cmocka_unit_test(test_cliente__proprio_registro_e_veiculo__200),
	    cmocka_unit_test(test_cliente__dados_de_outro_cliente__404),
	    cmocka_unit_test(test_cliente__escritas_e_listas_da_equipe__403),
	    cmocka_unit_test(test_equipe__continua_vendo_tudo),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
