/*
 * End-to-end tests of /api/veiculos on the real server (SPEC §5 Veículos): creation with plate
 * normalisation and uniqueness, the customer reference, the year range, filters, reads, full and
 * partial updates, deactivation and roles.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-veiculos-1"

static struct test_server srv;
static char *admin, *atendente, *mecanico;
static char cliente[UUID_MAX]; /* a customer for most vehicles */

static int group_setup(void **state)
{
	(void)state;
	test_server_start(&srv, NULL);
	staff_tokens(&srv, SENHA, &admin, &atendente, &mecanico);
	api_create_cliente(&srv, admin, "Dono do Carro", cliente, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	staff_tokens_free(&admin, &atendente, &mecanico);
	return 0;
}

static int next_year(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900 + 1;
}

/* A vehicle body; placa as typed. */
static json_t *corpo(const char *cliente_uuid, const char *placa, int ano)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "cliente_uuid", cliente_uuid, "placa",
	                 placa, "marca", "Chevrolet", "modelo", "Onix", "ano", ano, "cor", "Prata");
}

/* POST a vehicle, asserting 201; copies the uuid. */
static void criar(const char *cliente_uuid, const char *placa, int ano, char uuid_out[UUID_MAX])
{
	struct http_response r;
	json_t *b = corpo(cliente_uuid, placa, ano);
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(uuid_out, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
}

/* "ABC1D23" typed as "abc-1d23". */
static void typed_lower_dash(const char *placa, char out[PLACA_MAX])
{
	snprintf(out, PLACA_MAX, "%.3s-%.4s", placa, placa + 3);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static void test_criar__201_placa_normalizada(void **state)
{
	char placa[PLACA_MAX], typed[PLACA_MAX], spaced[PLACA_MAX + 8], loc[128];
	struct http_response r;
	(void)state;

	random_placa(placa, true);
	typed_lower_dash(placa, typed);
	json_t *b = corpo(cliente, typed, 2020);
	api_call_json(&srv, "POST", "/api/veiculos", atendente, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	json_t *d = data_object(&r);
	const char *uuid = json_str(d, "uuid");
	assert_uuid(uuid);
	assert_string_equal(json_str(d, "cliente_uuid"), cliente);
	assert_string_equal(json_str(d, "placa"), placa);
	assert_string_equal(json_str(d, "marca"), "Chevrolet");
	assert_string_equal(json_str(d, "modelo"), "Onix");
	assert_true(json_is_integer(json_object_get(d, "ano")));
	assert_int_equal(json_integer_value(json_object_get(d, "ano")), 2020);
	assert_string_equal(json_str(d, "cor"), "Prata");
	assert_true(json_is_true(json_object_get(d, "ativo")));
	assert_rfc3339_utc(json_str(d, "criado_em"));
	assert_rfc3339_utc(json_str(d, "atualizado_em"));
	const char *location = http_response_header(&r, "Location");
	if (!location)
		fail_msg("201 without Location");
	snprintf(loc, sizeof loc, "/api/veiculos/%s", uuid);
	size_t ll = strlen(location), wl = strlen(loc);
	if (ll < wl || strcmp(location + ll - wl, loc) != 0)
		fail_msg("Location \"%s\" does not end with %s", location, loc);
	http_response_cleanup(&r);

	/* Old format, with a space and surrounding blanks. */
	random_placa(placa, false);
	snprintf(spaced, sizeof spaced, "  %.3s %s ", placa, placa + 3);
	for (char *p = spaced; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	b = corpo(cliente, spaced, 1999);
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	assert_string_equal(json_str(data_object(&r), "placa"), placa);
	http_response_cleanup(&r);
}

static void test_criar__mesma_placa_digitada_diferente__409(void **state)
{
	char placa[PLACA_MAX], typed[PLACA_MAX], uuid[UUID_MAX], outro[UUID_MAX];
	struct http_response r;
	(void)state;

	random_placa(placa, true);
	criar(cliente, placa, 2010, uuid);
	typed_lower_dash(placa, typed);
	api_create_cliente(&srv, admin, "Dono do Carro", outro, NULL);
	json_t *b = corpo(outro, typed, 2011);
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	json_decref(b);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
}

static void test_criar__placa_invalida__422(void **state)
{
	const char *bad[] = {"AB12345", "ABCD123",   "ABC12345",   "1234ABC", "ABC-12D3",
	                     "ÁBC1234", "AB-C1234X", "ABC 1234 5", "",        NULL};
	struct http_response r;
	(void)state;

	for (size_t i = 0; bad[i]; i++) {
		json_t *b = corpo(cliente, bad[i], 2010);
		api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
		json_decref(b);
		if (r.status != 422)
			fail_msg("placa \"%s\": expected 422, got %ld", bad[i], r.status);
		assert_invalid_field(&r, "placa");
		http_response_cleanup(&r);
	}
}

static void test_criar__cliente_desconhecido_ou_malformado__422(void **state)
{
	char placa[PLACA_MAX], unknown[UUID_MAX];
	struct http_response r;
	(void)state;

	random_uuid_v4(unknown);
	random_placa(placa, true);
	json_t *b = corpo(unknown, placa, 2015);
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	assert_invalid_field(&r, "cliente_uuid");
	http_response_cleanup(&r);
	json_object_set_new(b, "cliente_uuid", json_string("nao-e-uuid"));
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	assert_invalid_field(&r, "cliente_uuid");
	http_response_cleanup(&r);
	json_object_del(b, "cliente_uuid");
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	assert_invalid_field(&r, "cliente_uuid");
	http_response_cleanup(&r);
	json_decref(b);
}

static void test_criar__ano__1886_ate_ano_que_vem(void **state)
{
	char placa[PLACA_MAX], uuid[UUID_MAX];
	struct http_response r;
	int bad[] = {1885, next_year() + 1, 0, -2020, 99999};
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		random_placa(placa, true);
		json_t *b = corpo(cliente, placa, bad[i]);
		api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
		json_decref(b);
		if (r.status != 422)
			fail_msg("ano %d: expected 422, got %ld", bad[i], r.status);
		assert_invalid_field(&r, "ano");
		http_response_cleanup(&r);
	}
	random_placa(placa, true);
	criar(cliente, placa, next_year(), uuid);
	random_placa(placa, false);
	criar(cliente, placa, 1886, uuid);
}

static void test_listar__filtros_placa_e_cliente(void **state)
{
	char dono[UUID_MAX], p1[PLACA_MAX], p2[PLACA_MAX], typed[PLACA_MAX], u1[UUID_MAX],
	    u2[UUID_MAX];
	struct http_response r;
	(void)state;

	api_create_cliente(&srv, admin, "Dono do Carro", dono, NULL);
	random_placa(p1, true);
	random_placa(p2, false);
	criar(dono, p1, 2012, u1);
	criar(dono, p2, 2013, u2);

	typed_lower_dash(p1, typed);
	const char *typings[] = {p1, typed, NULL};
	for (size_t i = 0; typings[i]; i++) {
		char *enc = url_encode(typings[i]);
		api_call(&srv, "GET", pathf("/api/veiculos?placa=%s", enc), admin, NULL, NULL, &r);
		free(enc);
		assert_list(&r, 1, 20, 1);
		json_t *v = json_array_get(data_array(&r), 0);
		assert_string_equal(json_str(v, "uuid"), u1);
		assert_string_equal(json_str(v, "placa"), p1);
		http_response_cleanup(&r);
	}

	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s", dono), atendente, NULL, NULL,
	         &r);
	assert_list(&r, 1, 20, 2);
	size_t i;
	json_t *v;
	json_array_foreach(data_array(&r), i, v)
	{
		assert_string_equal(json_str(v, "cliente_uuid"), dono);
	}
	http_response_cleanup(&r);

	/* Both filters, and a page size that splits the two. */
	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s&por_pagina=1", dono), admin,
	         NULL, NULL, &r);
	assert_list(&r, 1, 1, 2);
	char next[512], val[64];
	assert_true(link_rel(&r, "next", next, sizeof next));
	assert_true(strncmp(next, "/api/veiculos?", 14) == 0);
	assert_true(query_param(next, "cliente_uuid", val, sizeof val));
	assert_string_equal(val, dono);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/veiculos?cliente_uuid=%s&placa=%s", dono, p2), admin,
	         NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	http_response_cleanup(&r);

	api_call(&srv, "GET", "/api/veiculos", admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, -1);
	http_response_cleanup(&r);
}

static void test_obter_put_patch_delete(void **state)
{
	char placa[PLACA_MAX], outra[PLACA_MAX], uuid[UUID_MAX], u2[UUID_MAX], unknown[UUID_MAX];
	char dono2[UUID_MAX];
	struct http_response r;
	(void)state;

	random_placa(placa, true);
	criar(cliente, placa, 2016, uuid);

	api_call(&srv, "GET", pathf("/api/veiculos/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "uuid"), uuid);
	assert_string_equal(json_str(data_object(&r), "placa"), placa);
	http_response_cleanup(&r);
	random_uuid_v4(unknown);
	api_call(&srv, "GET", pathf("/api/veiculos/%s", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/veiculos/nao-e-uuid", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);

	/* PUT replaces everything: cor left out becomes null; the owner may change. */
	api_create_cliente(&srv, admin, "Dono do Carro", dono2, NULL);
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", dono2, "placa", placa,
	                      "marca", "Ford", "modelo", "Ka", "ano", 2017);
	api_call_json(&srv, "PUT", pathf("/api/veiculos/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "cliente_uuid"), dono2);
	assert_string_equal(json_str(d, "marca"), "Ford");
	assert_string_equal(json_str(d, "modelo"), "Ka");
	assert_int_equal(json_integer_value(json_object_get(d, "ano")), 2017);
	assert_true(json_is_null(json_object_get(d, "cor")));
	http_response_cleanup(&r);

	b = json_pack("{s:s, s:s, s:s, s:i}", "cliente_uuid", dono2, "placa", placa, "marca",
	              "Ford", "ano", 2017);
	api_call_json(&srv, "PUT", pathf("/api/veiculos/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_invalid_field(&r, "modelo");
	http_response_cleanup(&r);

	/* PATCH changes only what it names. */
	api_call(&srv, "PATCH", pathf("/api/veiculos/%s", uuid), atendente, "{\"cor\":\"Azul\"}",
	         NULL, &r);
	assert_status(&r, 200);
	d = data_object(&r);
	assert_string_equal(json_str(d, "cor"), "Azul");
	assert_string_equal(json_str(d, "marca"), "Ford");
	assert_string_equal(json_str(d, "placa"), placa);
	assert_string_equal(json_str(d, "cliente_uuid"), dono2);
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/veiculos/%s", uuid), admin, "{\"cor\":null}", NULL, &r);
	assert_status(&r, 200);
	assert_true(json_is_null(json_object_get(data_object(&r), "cor")));
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/veiculos/%s", uuid), admin, "{\"ano\":1800}", NULL, &r);
	assert_invalid_field(&r, "ano");
	http_response_cleanup(&r);
	random_uuid_v4(unknown);
	b = json_pack("{s:s}", "cliente_uuid", unknown);
	api_call_json(&srv, "PATCH", pathf("/api/veiculos/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_invalid_field(&r, "cliente_uuid");
	http_response_cleanup(&r);

	/* A plate that another vehicle has, typed differently. */
	random_placa(outra, false);
	criar(cliente, outra, 2001, u2);
	char typed[PLACA_MAX];
	typed_lower_dash(outra, typed);
	b = json_pack("{s:s}", "placa", typed);
	api_call_json(&srv, "PATCH", pathf("/api/veiculos/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_problem(&r, 409);
	http_response_cleanup(&r);

	api_call(&srv, "DELETE", pathf("/api/veiculos/%s", uuid), atendente, NULL, NULL, &r);
	assert_status(&r, 204);
	assert_int_equal(r.body_len, 0);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_true(json_is_false(json_object_get(data_object(&r), "ativo")));
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", pathf("/api/veiculos/%s", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void test_papeis__mecanico_403(void **state)
{
	char placa[PLACA_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	random_placa(placa, true);
	criar(cliente, placa, 2019, uuid);
	api_call(&srv, "GET", "/api/veiculos", mecanico, NULL, NULL, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos/%s", uuid), mecanico, NULL, NULL, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	random_placa(placa, true);
	json_t *b = corpo(cliente, placa, 2019);
	api_call_json(&srv, "POST", "/api/veiculos", mecanico, b, &r);
	json_decref(b);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/veiculos", NULL, NULL, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_criar__201_placa_normalizada),
	    cmocka_unit_test(test_criar__mesma_placa_digitada_diferente__409),
	    cmocka_unit_test(test_criar__placa_invalida__422),
	    cmocka_unit_test(test_criar__cliente_desconhecido_ou_malformado__422),
	    cmocka_unit_test(test_criar__ano__1886_ate_ano_que_vem),
	    cmocka_unit_test(test_listar__filtros_placa_e_cliente),
	    cmocka_unit_test(test_obter_put_patch_delete),
	    cmocka_unit_test(test_papeis__mecanico_403),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
