/*
 * End-to-end tests of /api/servicos and /api/pecas on the real server (SPEC §3, §4, §5): money
 * accepted as a string or a number with at most two decimals and always answered as a string with
 * two decimals, validation (422, one entry per field), reads, lists, PUT/PATCH/DELETE, the part
 * code unique in any case, the balance that editing cannot change, the abaixo_do_minimo filter,
 * and roles (admin writes; atendente and mecanico read).
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

#define SENHA "senha-catalogo-1"

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

static void assert_location(const struct http_response *r, const char *prefix, const char *uuid)
{
	char want[160];
	const char *loc = http_response_header(r, "Location");
	if (!loc)
		fail_msg("201 without Location");
	snprintf(want, sizeof want, "%s/%s", prefix, uuid);
	size_t ll = strlen(loc), wl = strlen(want);
	if (ll < wl || strcmp(loc + ll - wl, want) != 0)
		fail_msg("Location \"%s\" does not end with %s", loc, want);
}

/* POST path with the raw JSON body as admin; asserts status and copies data.uuid when 201. */
static void post_raw(const char *path, const char *body, long status, char uuid_out[UUID_MAX])
{
	struct http_response r;
	api_call(&srv, "POST", path, admin, body, NULL, &r);
	assert_status(&r, status);
	if (status == 201 && uuid_out)
		snprintf(uuid_out, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
}

/* A unique part code for this run. */
static void codigo_unico(char out[32], const char *prefixo)
{
	char hex[9];
	random_hex(hex, 8);
	snprintf(out, 32, "%s-%s", prefixo, hex);
}

/* ---- servicos ---- */

static void test_servicos__valor_em_texto_ou_numero__sempre_duas_casas(void **state)
{
	struct {
		const char *literal, *saida;
	} casos[] = {
	    {"\"150.00\"", "150.00"},
	    {"\"150\"", "150.00"},
	    {"\"150.5\"", "150.50"},
	    {"150", "150.00"},
	    {"150.5", "150.50"},
	    {"150.55", "150.55"},
	    {"0.1", "0.10"},
	    {"0.29", "0.29"},
	    {"0", "0.00"},
	    {"999999999.99", "999999999.99"},
	};
	char body[256];
	struct http_response r;
	(void)state;

	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		snprintf(body, sizeof body, "{\"nome\": \"Serviço %zu\", \"valor\": %s}", i,
		         casos[i].literal);
		api_call(&srv, "POST", "/api/servicos", admin, body, NULL, &r);
		assert_status(&r, 201);
		json_t *d = data_object(&r);
		if (strcmp(json_str(d, "valor"), casos[i].saida) != 0)
			fail_msg("valor %s: got \"%s\", want \"%s\"", casos[i].literal,
			         json_str(d, "valor"), casos[i].saida);
		assert_location(&r, "/api/servicos", json_str(d, "uuid"));
		http_response_cleanup(&r);
	}
}

static void test_servicos__valor_invalido__422_campo_valor(void **state)
{
	const char *ruins[] = {"150.555", "\"150.555\"", "-1",         "\"-1\"", "\"1e2\"",
	                       "\" 1\"",  "\"1,50\"",    "true",       "null",   "\"abc\"",
	                       "0.001",   "[1]",         "1000000000", "\"\""};
	char body[256];
	struct http_response r;
	(void)state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		snprintf(body, sizeof body, "{\"nome\": \"Serviço ruim\", \"valor\": %s}",
		         ruins[i]);
		api_call(&srv, "POST", "/api/servicos", admin, body, NULL, &r);
		assert_invalid_field(&r, "valor");
		json_t *p = r.json;
		assert_int_equal(json_array_size(json_object_get(p, "errors")), 1);
		http_response_cleanup(&r);
	}
}

static void test_servicos__campos_ruins__uma_entrada_por_campo(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "POST", "/api/servicos", admin, "{}", NULL, &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "nome"), 1);
	assert_int_equal(problem_campo_count(p, "valor"), 1);
	assert_int_equal(json_array_size(json_object_get(p, "errors")), 2);
	http_response_cleanup(&r);

	api_call(&srv, "POST", "/api/servicos", admin,
	         "{\"nome\": \"ab\", \"valor\": \"1.00\", \"tempo_estimado_minutos\": 0, "
	         "\"descricao\": 5}",
	         NULL, &r);
	p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "nome"), 1);
	assert_int_equal(problem_campo_count(p, "tempo_estimado_minutos"), 1);
	assert_int_equal(problem_campo_count(p, "descricao"), 1);
	assert_int_equal(json_array_size(json_object_get(p, "errors")), 3);
	http_response_cleanup(&r);

	api_call(&srv, "POST", "/api/servicos", admin,
	         "{\"nome\": \"Serviço\", \"valor\": 1, \"tempo_estimado_minutos\": 100001}", NULL,
	         &r);
	assert_invalid_field(&r, "tempo_estimado_minutos");
	http_response_cleanup(&r);
	api_call(&srv, "POST", "/api/servicos", admin,
	         "{\"nome\": \"Serviço\", \"valor\": 1, \"tempo_estimado_minutos\": 1.5}", NULL,
	         &r);
	assert_invalid_field(&r, "tempo_estimado_minutos");
	http_response_cleanup(&r);
}

static void test_servicos__ler_alterar_desativar(void **state)
{
	char uuid[UUID_MAX], unknown[UUID_MAX];
	struct http_response r;
	(void)state;

	post_raw("/api/servicos",
	         "{\"nome\": \"Alinhamento\", \"descricao\": \"Quatro rodas\", \"valor\": 80, "
	         "\"tempo_estimado_minutos\": 45}",
	         201, uuid);
	api_call(&srv, "GET", pathf("/api/servicos/%s", uuid), mecanico, NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "uuid"), uuid);
	assert_string_equal(json_str(d, "nome"), "Alinhamento");
	assert_string_equal(json_str(d, "descricao"), "Quatro rodas");
	assert_string_equal(json_str(d, "valor"), "80.00");
	assert_int_equal(json_integer_value(json_object_get(d, "tempo_estimado_minutos")), 45);
	assert_true(json_is_true(json_object_get(d, "ativo")));
	assert_rfc3339_utc(json_str(d, "criado_em"));
	assert_rfc3339_utc(json_str(d, "atualizado_em"));
	http_response_cleanup(&r);

	/* PATCH: only what is sent; null clears an optional field. */
	api_call(&srv, "PATCH", pathf("/api/servicos/%s", uuid), admin,
	         "{\"valor\": \"95.9\", \"tempo_estimado_minutos\": null}", NULL, &r);
	assert_status(&r, 200);
	d = data_object(&r);
	assert_string_equal(json_str(d, "valor"), "95.90");
	assert_true(json_is_null(json_object_get(d, "tempo_estimado_minutos")));
	assert_string_equal(json_str(d, "descricao"), "Quatro rodas");
	http_response_cleanup(&r);

	/* PUT: everything; a missing optional field is cleared. */
	api_call(&srv, "PUT", pathf("/api/servicos/%s", uuid), admin,
	         "{\"nome\": \"Alinhamento 3D\", \"valor\": 120.5}", NULL, &r);
	assert_status(&r, 200);
	d = data_object(&r);
	assert_string_equal(json_str(d, "nome"), "Alinhamento 3D");
	assert_string_equal(json_str(d, "valor"), "120.50");
	assert_true(json_is_null(json_object_get(d, "descricao")));
	http_response_cleanup(&r);
	api_call(&srv, "PUT", pathf("/api/servicos/%s", uuid), admin, "{\"nome\": \"Só nome\"}",
	         NULL, &r);
	assert_invalid_field(&r, "valor");
	http_response_cleanup(&r);

	api_call(&srv, "DELETE", pathf("/api/servicos/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/servicos/%s", uuid), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_true(json_is_false(json_object_get(data_object(&r), "ativo")));
	http_response_cleanup(&r);

	random_uuid_v4(unknown);
	api_call(&srv, "GET", pathf("/api/servicos/%s", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/servicos/%s", unknown), admin, "{\"valor\": 1}", NULL,
	         &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", "/api/servicos/nao-e-uuid", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void test_servicos__lista_paginada_e_filtro_q(void **state)
{
	char nome[64], hex[9], q[32];
	struct http_response r;
	(void)state;

	random_hex(hex, 8);
	for (int i = 0; i < 3; i++) {
		snprintf(nome, sizeof nome, "Lista %s %d", hex, i);
		json_t *b = json_pack("{s:s, s:s}", "nome", nome, "valor", "10.00");
		api_call_json(&srv, "POST", "/api/servicos", admin, b, &r);
		json_decref(b);
		assert_status(&r, 201);
		http_response_cleanup(&r);
	}
	snprintf(q, sizeof q, "LISTA %s", hex);
	char *enc = url_encode(q);
	api_call(&srv, "GET", pathf("/api/servicos?q=%s&por_pagina=2", enc), mecanico, NULL, NULL,
	         &r);
	assert_list(&r, 1, 2, 3);
	assert_int_equal(json_array_size(data_array(&r)), 2);
	assert_string_equal(json_str(json_array_get(data_array(&r), 0), "valor"), "10.00");
	char next[512];
	assert_true(link_rel(&r, "next", next, sizeof next));
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/servicos?q=%s&por_pagina=2&pagina=2", enc), atendente,
	         NULL, NULL, &r);
	assert_list(&r, 2, 2, 3);
	assert_int_equal(json_array_size(data_array(&r)), 1);
	http_response_cleanup(&r);
	free(enc);

	api_call(&srv, "GET", "/api/servicos?por_pagina=0", admin, NULL, NULL, &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
}

static void test_servicos__papeis(void **state)
{
	char uuid[UUID_MAX];
	struct http_response r;
	const char *body = "{\"nome\": \"Por outro perfil\", \"valor\": 1}";
	const char *tokens[] = {mecanico, atendente};
	(void)state;

	post_raw("/api/servicos", body, 201, uuid);
	for (size_t i = 0; i < 2; i++) {
		api_call(&srv, "GET", "/api/servicos", tokens[i], NULL, NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
		api_call(&srv, "POST", "/api/servicos", tokens[i], body, NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		api_call(&srv, "PUT", pathf("/api/servicos/%s", uuid), tokens[i], body, NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		api_call(&srv, "PATCH", pathf("/api/servicos/%s", uuid), tokens[i], body, NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		api_call(&srv, "DELETE", pathf("/api/servicos/%s", uuid), tokens[i], NULL, NULL,
		         &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
	}
	api_call(&srv, "GET", "/api/servicos", NULL, NULL, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
}

/* ---- pecas ---- */

static void test_pecas__criar_e_ler_todos_os_campos(void **state)
{
	char codigo[32], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	codigo_unico(codigo, "FO");
	json_t *b =
	    json_pack("{s:s, s:s, s:s, s:f, s:i, s:i}", "nome", "Filtro de óleo", "codigo", codigo,
	              "tipo", "PECA", "valor", 25.9, "quantidade_estoque", 8, "estoque_minimo", 2);
	api_call_json(&srv, "POST", "/api/pecas", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	json_t *d = data_object(&r);
	snprintf(uuid, sizeof uuid, "%s", json_str(d, "uuid"));
	assert_location(&r, "/api/pecas", uuid);
	assert_string_equal(json_str(d, "nome"), "Filtro de óleo");
	assert_string_equal(json_str(d, "codigo"), codigo);
	assert_string_equal(json_str(d, "tipo"), "PECA");
	assert_string_equal(json_str(d, "valor"), "25.90");
	assert_int_equal(json_integer_value(json_object_get(d, "quantidade_estoque")), 8);
	assert_int_equal(json_integer_value(json_object_get(d, "estoque_minimo")), 2);
	assert_true(json_is_true(json_object_get(d, "ativo")));
	assert_rfc3339_utc(json_str(d, "criado_em"));
	http_response_cleanup(&r);

	/* An insumo without code nor minimum. */
	api_call(&srv, "POST", "/api/pecas", admin,
	         "{\"nome\": \"Graxa\", \"tipo\": \"INSUMO\", \"valor\": \"12\", "
	         "\"quantidade_estoque\": 0}",
	         NULL, &r);
	assert_status(&r, 201);
	d = data_object(&r);
	assert_true(json_is_null(json_object_get(d, "codigo")));
	assert_string_equal(json_str(d, "tipo"), "INSUMO");
	assert_string_equal(json_str(d, "valor"), "12.00");
	assert_int_equal(json_integer_value(json_object_get(d, "estoque_minimo")), 0);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/pecas/%s", uuid), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "codigo"), codigo);
	http_response_cleanup(&r);
}

static void test_pecas__validacao__422_por_campo(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "POST", "/api/pecas", admin, "{}", NULL, &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "nome"), 1);
	assert_int_equal(problem_campo_count(p, "tipo"), 1);
	assert_int_equal(problem_campo_count(p, "valor"), 1);
	assert_int_equal(problem_campo_count(p, "quantidade_estoque"), 1);
	http_response_cleanup(&r);

	api_call(&srv, "POST", "/api/pecas", admin,
	         "{\"nome\": \"Peça\", \"tipo\": \"PNEU\", \"valor\": 150.555, "
	         "\"quantidade_estoque\": -1, \"estoque_minimo\": -2}",
	         NULL, &r);
	p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "tipo"), 1);
	assert_int_equal(problem_campo_count(p, "valor"), 1);
	assert_int_equal(problem_campo_count(p, "quantidade_estoque"), 1);
	assert_int_equal(problem_campo_count(p, "estoque_minimo"), 1);
	assert_int_equal(json_array_size(json_object_get(p, "errors")), 4);
	http_response_cleanup(&r);

	api_call(&srv, "POST", "/api/pecas", admin,
	         "{\"nome\": \"Peça\", \"tipo\": \"PECA\", \"valor\": 1, "
	         "\"quantidade_estoque\": 2.5}",
	         NULL, &r);
	assert_invalid_field(&r, "quantidade_estoque");
	http_response_cleanup(&r);
}

static void test_pecas__codigo_duplicado_em_outra_caixa__409(void **state)
{
	char codigo[32], lower[32], body[256];
	struct http_response r;
	(void)state;

	codigo_unico(codigo, "DUP");
	snprintf(body, sizeof body,
	         "{\"nome\": \"Peça A\", \"codigo\": \"%s\", \"tipo\": \"PECA\", \"valor\": 1, "
	         "\"quantidade_estoque\": 0}",
	         codigo);
	post_raw("/api/pecas", body, 201, NULL);
	for (size_t i = 0; i <= strlen(codigo); i++)
		lower[i] =
		    (char)((codigo[i] >= 'A' && codigo[i] <= 'Z') ? codigo[i] + 32 : codigo[i]);
	snprintf(body, sizeof body,
	         "{\"nome\": \"Peça B\", \"codigo\": \"%s\", \"tipo\": \"PECA\", \"valor\": 1, "
	         "\"quantidade_estoque\": 0}",
	         lower);
	api_call(&srv, "POST", "/api/pecas", admin, body, NULL, &r);
	json_t *p = assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(p, "codigo"), 1);
	http_response_cleanup(&r);
}

static void test_pecas__editar_nao_muda_o_saldo(void **state)
{
	char uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	post_raw("/api/pecas",
	         "{\"nome\": \"Correia\", \"tipo\": \"PECA\", \"valor\": 70, "
	         "\"quantidade_estoque\": 6, \"estoque_minimo\": 1}",
	         201, uuid);
	api_call(&srv, "PATCH", pathf("/api/pecas/%s", uuid), admin, "{\"quantidade_estoque\": 60}",
	         NULL, &r);
	assert_invalid_field(&r, "quantidade_estoque");
	http_response_cleanup(&r);

	/* A PUT that sends back the balance it read is fine; everything else is replaced. */
	api_call(&srv, "PUT", pathf("/api/pecas/%s", uuid), admin,
	         "{\"nome\": \"Correia dentada\", \"tipo\": \"PECA\", \"valor\": \"75.5\", "
	         "\"quantidade_estoque\": 6}",
	         NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "nome"), "Correia dentada");
	assert_string_equal(json_str(d, "valor"), "75.50");
	assert_int_equal(json_integer_value(json_object_get(d, "quantidade_estoque")), 6);
	assert_int_equal(json_integer_value(json_object_get(d, "estoque_minimo")), 0);
	http_response_cleanup(&r);

	api_call(&srv, "PATCH", pathf("/api/pecas/%s", uuid), admin, "{\"estoque_minimo\": 4}",
	         NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "quantidade_estoque")),
	                 6);
	http_response_cleanup(&r);

	api_call(&srv, "DELETE", pathf("/api/pecas/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas/%s", uuid), mecanico, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_true(json_is_false(json_object_get(data_object(&r), "ativo")));
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "quantidade_estoque")),
	                 6);
	http_response_cleanup(&r);
}

/* Whether the list answer r holds uuid. */
static bool lista_tem(const struct http_response *r, const char *uuid)
{
	json_t *arr = data_array(r), *it;
	size_t i;
	json_array_foreach(arr, i, it) if (strcmp(json_str(it, "uuid"), uuid) == 0) return true;
	return false;
}

static void test_pecas__filtro_abaixo_do_minimo(void **state)
{
	char baixa[UUID_MAX], ok[UUID_MAX], nome[64], hex[9], body[256], q[32];
	struct http_response r;
	(void)state;

	random_hex(hex, 8);
	snprintf(nome, sizeof nome, "Filtro %s baixa", hex);
	snprintf(body, sizeof body,
	         "{\"nome\": \"%s\", \"tipo\": \"PECA\", \"valor\": 1, \"quantidade_estoque\": 1, "
	         "\"estoque_minimo\": 2}",
	         nome);
	post_raw("/api/pecas", body, 201, baixa);
	snprintf(nome, sizeof nome, "Filtro %s ok", hex);
	snprintf(body, sizeof body,
	         "{\"nome\": \"%s\", \"tipo\": \"PECA\", \"valor\": 1, \"quantidade_estoque\": 2, "
	         "\"estoque_minimo\": 2}",
	         nome);
	post_raw("/api/pecas", body, 201, ok);
	snprintf(q, sizeof q, "filtro %s", hex);
	char *enc = url_encode(q);

	api_call(&srv, "GET", pathf("/api/pecas?abaixo_do_minimo=true&q=%s", enc), mecanico, NULL,
	         NULL, &r);
	assert_list(&r, 1, 20, 1);
	assert_true(lista_tem(&r, baixa));
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas?abaixo_do_minimo=false&q=%s", enc), mecanico, NULL,
	         NULL, &r);
	assert_list(&r, 1, 20, 1);
	assert_true(lista_tem(&r, ok));
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas?q=%s", enc), atendente, NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas?q=%s&tipo=INSUMO", enc), atendente, NULL, NULL, &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);
	free(enc);

	/* The whole list with the filter never shows a part at or above its minimum. */
	api_call(&srv, "GET", "/api/pecas?abaixo_do_minimo=true&por_pagina=100", admin, NULL, NULL,
	         &r);
	assert_status(&r, 200);
	json_t *it;
	size_t i;
	json_array_foreach(data_array(&r), i, it)
	{
		assert_true(json_integer_value(json_object_get(it, "quantidade_estoque")) <
		            json_integer_value(json_object_get(it, "estoque_minimo")));
	}
	assert_false(lista_tem(&r, ok));
	http_response_cleanup(&r);

	const char *ruins[] = {"1", "TRUE", "sim", "", "yes"};
	for (size_t k = 0; k < 5; k++) {
		api_call(&srv, "GET", pathf("/api/pecas?abaixo_do_minimo=%s", ruins[k]), admin,
		         NULL, NULL, &r);
		json_t *p = assert_problem(&r, 400);
		assert_int_equal(problem_campo_count(p, "abaixo_do_minimo"), 1);
		http_response_cleanup(&r);
	}
	api_call(&srv, "GET", "/api/pecas?tipo=pneu", admin, NULL, NULL, &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
}

static void test_pecas__papeis(void **state)
{
	char uuid[UUID_MAX];
	struct http_response r;
	const char *body = "{\"nome\": \"Peça de perfil\", \"tipo\": \"PECA\", \"valor\": 1, "
	                   "\"quantidade_estoque\": 1}";
	const char *tokens[] = {mecanico, atendente};
	(void)state;

	post_raw("/api/pecas", body, 201, uuid);
	for (size_t i = 0; i < 2; i++) {
		api_call(&srv, "GET", "/api/pecas", tokens[i], NULL, NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
		api_call(&srv, "GET", pathf("/api/pecas/%s", uuid), tokens[i], NULL, NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
		api_call(&srv, "POST", "/api/pecas", tokens[i], body, NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		api_call(&srv, "PATCH", pathf("/api/pecas/%s", uuid), tokens[i], "{\"valor\": 2}",
		         NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		api_call(&srv, "DELETE", pathf("/api/pecas/%s", uuid), tokens[i], NULL, NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_servicos__valor_em_texto_ou_numero__sempre_duas_casas),
	    cmocka_unit_test(test_servicos__valor_invalido__422_campo_valor),
	    cmocka_unit_test(test_servicos__campos_ruins__uma_entrada_por_campo),
	    cmocka_unit_test(test_servicos__ler_alterar_desativar),
	    cmocka_unit_test(test_servicos__lista_paginada_e_filtro_q),
	    cmocka_unit_test(test_servicos__papeis),
	    cmocka_unit_test(test_pecas__criar_e_ler_todos_os_campos),
	    cmocka_unit_test(test_pecas__validacao__422_por_campo),
	    cmocka_unit_test(test_pecas__codigo_duplicado_em_outra_caixa__409),
	    cmocka_unit_test(test_pecas__editar_nao_muda_o_saldo),
	    cmocka_unit_test(test_pecas__filtro_abaixo_do_minimo),
	    cmocka_unit_test(test_pecas__papeis),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
