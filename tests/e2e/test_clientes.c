/*
 * End-to-end tests of /api/clientes on the real server (SPEC §3, §5 Clientes): creation with CPF
 * or CNPJ, validation, uniqueness, reads, lists with pagination and filters, full and partial
 * updates, deactivation, the customer's vehicles, and roles.
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

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA "senha-clientes-1"

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

/* POST /api/clientes {nome, documento}; asserts 201 and copies the uuid. */
static void criar(const char *nome, const char *documento, char uuid_out[UUID_MAX])
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s}", "nome", nome, "documento", documento);
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(uuid_out, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
}

static void assert_location(const struct http_response *r, const char *prefix, const char *uuid)
{
	char want[128];
	const char *loc = http_response_header(r, "Location");
	if (!loc)
		fail_msg("201 without Location");
	snprintf(want, sizeof want, "%s/%s", prefix, uuid);
	size_t ll = strlen(loc), wl = strlen(want);
	if (ll < wl || strcmp(loc + ll - wl, want) != 0)
		fail_msg("Location \"%s\" does not end with %s", loc, want);
}

/* Checks every response field of a customer. */
static void assert_cliente(const json_t *d, const char *nome, const char *digits, const char *tipo,
                           const char *email, const char *telefone, bool ativo)
{
	assert_uuid(json_str(d, "uuid"));
	assert_string_equal(json_str(d, "nome"), nome);
	assert_string_equal(json_str(d, "documento"), digits);
	assert_string_equal(json_str(d, "tipo_documento"), tipo);
	if (email)
		assert_string_equal(json_str(d, "email"), email);
	else
		assert_true(json_is_null(json_object_get(d, "email")));
	if (telefone)
		assert_string_equal(json_str(d, "telefone"), telefone);
	else
		assert_true(json_is_null(json_object_get(d, "telefone")));
	assert_true(json_is_boolean(json_object_get(d, "ativo")));
	assert_int_equal(json_is_true(json_object_get(d, "ativo")), ativo);
	assert_rfc3339_utc(json_str(d, "criado_em"));
	assert_rfc3339_utc(json_str(d, "atualizado_em"));
}

static void test_criar__cpf_e_cnpj_formatados_ou_nao__201(void **state)
{
	struct {
		bool cnpj, formatted;
	} cases[] = {{false, true}, {false, false}, {true, true}, {true, false}};
	struct http_response r;
	(void)state;

	for (size_t i = 0; i < 4; i++) {
		char doc[CNPJ_MAX], digits[CNPJ_MAX], email[EMAIL_MAX];
		if (cases[i].cnpj)
			random_cnpj(doc, cases[i].formatted);
		else
			random_cpf(doc, cases[i].formatted);
		only_digits(doc, digits, sizeof digits);
		random_email(email, "cliente");
		json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Maria da Conceição",
		                      "documento", doc, "email", email, "telefone", "11987654321");
		api_call_json(&srv, "POST", "/api/clientes", atendente, b, &r);
		json_decref(b);
		assert_status(&r, 201);
		json_t *d = data_object(&r);
		assert_cliente(d, "Maria da Conceição", digits, cases[i].cnpj ? "CNPJ" : "CPF",
		               email, "11987654321", true);
		assert_location(&r, "/api/clientes", json_str(d, "uuid"));
		http_response_cleanup(&r);
	}
}

static void test_criar__documento_invalido__422_campo_documento(void **state)
{
	char cpf[CPF_MAX], cnpj[CNPJ_MAX], bad[CNPJ_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	random_cnpj(cnpj, false);
	const char *docs[6];
	char wrong_cpf[CPF_MAX], wrong_cnpj[CNPJ_MAX];
	snprintf(wrong_cpf, sizeof wrong_cpf, "%s", cpf);
	wrong_cpf[10] = (char)('0' + (wrong_cpf[10] - '0' + 1) % 10);
	snprintf(wrong_cnpj, sizeof wrong_cnpj, "%s", cnpj);
	wrong_cnpj[12] = (char)('0' + (wrong_cnpj[12] - '0' + 1) % 10);
	snprintf(bad, sizeof bad, "%.10s", cpf);
	docs[0] = wrong_cpf;
	docs[1] = wrong_cnpj;
	docs[2] = "111.111.111-11";
	docs[3] = bad; /* 10 digits */
	docs[4] = "abc.def.ghi-jk";
	docs[5] = NULL;
	for (size_t i = 0; docs[i]; i++) {
		json_t *b = json_pack("{s:s, s:s}", "nome", "Documento Ruim", "documento", docs[i]);
		api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
		json_decref(b);
		if (r.status != 422)
			fail_msg("documento \"%s\": expected 422, got %ld", docs[i], r.status);
		assert_invalid_field(&r, "documento");
		http_response_cleanup(&r);
	}
}

static void test_criar__varios_campos_ruins__uma_entrada_por_campo(void **state)
{
	struct http_response r;
	(void)state;

	api_call(&srv, "POST", "/api/clientes", admin,
	         "{\"nome\":\"AB\",\"documento\":\"123\",\"telefone\":123}", NULL, &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "nome"), 1);
	assert_int_equal(problem_campo_count(p, "documento"), 1);
	assert_int_equal(problem_campo_count(p, "telefone"), 1);
	http_response_cleanup(&r);

	api_call(&srv, "POST", "/api/clientes", admin, "{}", NULL, &r);
	p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "nome"), 1);
	assert_int_equal(problem_campo_count(p, "documento"), 1);
	http_response_cleanup(&r);
}

static void test_criar__documento_duplicado_digitado_diferente__409(void **state)
{
	char raw[CPF_MAX], fmt[CPF_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	random_cpf(fmt, true);
	only_digits(fmt, raw, sizeof raw);
	criar("Primeiro Dono", raw, uuid);
	json_t *b = json_pack("{s:s, s:s}", "nome", "Segundo Dono", "documento", fmt);
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
	/* With surrounding blanks, too, if blanks are accepted at all. */
	char spaced[CPF_MAX + 4];
	snprintf(spaced, sizeof spaced, " %s ", fmt);
	json_object_set_new(b, "documento", json_string(spaced));
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	if (r.status != 409)
		assert_invalid_field(&r, "documento");
	http_response_cleanup(&r);
	json_decref(b);
}

static void test_criar__nome_curto_ou_longo__422(void **state)
{
	char cpf[CPF_MAX], uuid[UUID_MAX], longo[512], acentos[512];
	struct http_response r;
	(void)state;

	const char *curtos[] = {"Jo", "", "   ", NULL};
	for (size_t i = 0; curtos[i]; i++) {
		random_cpf(cpf, false);
		json_t *b = json_pack("{s:s, s:s}", "nome", curtos[i], "documento", cpf);
		api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
		json_decref(b);
		assert_invalid_field(&r, "nome");
		http_response_cleanup(&r);
	}
	memset(longo, 'a', 121);
	longo[121] = '\0';
	random_cpf(cpf, false);
	json_t *b = json_pack("{s:s, s:s}", "nome", longo, "documento", cpf);
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_invalid_field(&r, "nome");
	http_response_cleanup(&r);

	/* The limits themselves are fine: 3 and 120 characters (counted as characters). */
	random_cpf(cpf, false);
	criar("Ana", cpf, uuid);
	longo[120] = '\0';
	random_cpf(cpf, false);
	criar(longo, cpf, uuid);
	acentos[0] = '\0';
	for (int i = 0; i < 120; i++)
		strcat(acentos, "ã");
	random_cpf(cpf, false);
	criar(acentos, cpf, uuid);
	strcat(acentos, "é");
	random_cpf(cpf, false);
	b = json_pack("{s:s, s:s}", "nome", acentos, "documento", cpf);
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_invalid_field(&r, "nome");
	http_response_cleanup(&r);
}

static void test_obter__por_uuid_desconhecido_malformado(void **state)
{
	char cpf[CPF_MAX], uuid[UUID_MAX], unknown[UUID_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	criar("Cliente Obtido", cpf, uuid);
	api_call(&srv, "GET", pathf("/api/clientes/%s", uuid), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Cliente Obtido", cpf, "CPF", NULL, NULL, true);
	assert_string_equal(json_str(data_object(&r), "uuid"), uuid);
	http_response_cleanup(&r);

	random_uuid_v4(unknown);
	api_call(&srv, "GET", pathf("/api/clientes/%s", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/clientes/nao-e-uuid", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/clientes/123", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void test_listar__paginacao_meta_total_count_link(void **state)
{
	char marker[32], q[32], hex[11], cpf[CPF_MAX], uuid[UUID_MAX], nome[64], url[512], v[64];
	char seen[5][UUID_MAX];
	size_t nseen = 0;
	struct http_response r;
	(void)state;

	random_hex(hex, 10);
	snprintf(q, sizeof q, "pg%s", hex);
	snprintf(marker, sizeof marker, "PG%s", hex);
	for (size_t i = 0; i < sizeof marker; i++)
		marker[i] = (char)toupper((unsigned char)marker[i]);
	for (int i = 1; i <= 5; i++) {
		snprintf(nome, sizeof nome, "Paginacao %s %02d", marker, i);
		random_cpf(cpf, i % 2 == 0);
		criar(nome, cpf, uuid);
	}

	/* Default page size. */
	api_call(&srv, "GET", "/api/clientes", admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, -1);
	http_response_cleanup(&r);

	/* Page 1 of 3. */
	api_call(&srv, "GET", pathf("/api/clientes?q=%s&por_pagina=2", q), admin, NULL, NULL, &r);
	assert_list(&r, 1, 2, 5);
	assert_int_equal(json_array_size(data_array(&r)), 2);
	assert_true(link_rel(&r, "first", url, sizeof url));
	assert_true(strncmp(url, "/api/clientes?", 14) == 0);
	assert_true(query_param(url, "pagina", v, sizeof v));
	assert_string_equal(v, "1");
	assert_false(link_rel(&r, "prev", url, sizeof url));
	if (!link_rel(&r, "next", url, sizeof url))
		fail_msg("no rel=\"next\" in Link: %s", http_response_header(&r, "Link"));
	assert_true(strncmp(url, "/api/clientes?", 14) == 0);
	assert_true(query_param(url, "pagina", v, sizeof v));
	assert_string_equal(v, "2");
	assert_true(query_param(url, "por_pagina", v, sizeof v));
	assert_string_equal(v, "2");
	if (!query_param(url, "q", v, sizeof v))
		fail_msg("rel=\"next\" %s dropped the q parameter", url);
	assert_string_equal(v, q);
	assert_true(link_rel(&r, "last", url, sizeof url));
	assert_true(query_param(url, "pagina", v, sizeof v));
	assert_string_equal(v, "3");
	size_t i;
	json_t *c;
	json_array_foreach(data_array(&r), i, c)
	{
		snprintf(seen[nseen++], UUID_MAX, "%s", json_str(c, "uuid"));
	}
	http_response_cleanup(&r);

	/* Page 2: prev and next. */
	api_call(&srv, "GET", pathf("/api/clientes?q=%s&por_pagina=2&pagina=2", q), admin, NULL,
	         NULL, &r);
	assert_list(&r, 2, 2, 5);
	assert_int_equal(json_array_size(data_array(&r)), 2);
	assert_true(link_rel(&r, "prev", url, sizeof url));
	assert_true(query_param(url, "pagina", v, sizeof v));
	assert_string_equal(v, "1");
	assert_true(link_rel(&r, "next", url, sizeof url));
	assert_true(query_param(url, "pagina", v, sizeof v));
	assert_string_equal(v, "3");
	json_array_foreach(data_array(&r), i, c)
	{
		snprintf(seen[nseen++], UUID_MAX, "%s", json_str(c, "uuid"));
	}
	http_response_cleanup(&r);

	/* Page 3: the last one, one item, no next. */
	api_call(&srv, "GET", pathf("/api/clientes?q=%s&por_pagina=2&pagina=3", q), admin, NULL,
	         NULL, &r);
	assert_list(&r, 3, 2, 5);
	assert_int_equal(json_array_size(data_array(&r)), 1);
	assert_true(link_rel(&r, "prev", url, sizeof url));
	assert_false(link_rel(&r, "next", url, sizeof url));
	json_array_foreach(data_array(&r), i, c)
	{
		snprintf(seen[nseen++], UUID_MAX, "%s", json_str(c, "uuid"));
	}
	http_response_cleanup(&r);

	/* Every customer exactly once over the pages. */
	assert_int_equal(nseen, 5);
	for (size_t a = 0; a < 5; a++)
		for (size_t b = a + 1; b < 5; b++)
			assert_string_not_equal(seen[a], seen[b]);

	/* Past the end: 200 with no data. */
	api_call(&srv, "GET", pathf("/api/clientes?q=%s&por_pagina=2&pagina=4", q), admin, NULL,
	         NULL, &r);
	assert_list(&r, 4, 2, 5);
	assert_int_equal(json_array_size(data_array(&r)), 0);
	http_response_cleanup(&r);

	/* por_pagina 100 is the maximum. */
	api_call(&srv, "GET", "/api/clientes?por_pagina=100", admin, NULL, NULL, &r);
	assert_list(&r, 1, 100, -1);
	http_response_cleanup(&r);
}

static void test_listar__parametros_invalidos__400(void **state)
{
	/* Whitespace before the digits too (%09 and the like: fuzz_query found them taken). */
	const char *bad[] = {"por_pagina=101",  "por_pagina=0",    "pagina=0",    "pagina=-1",
	                     "pagina=abc",      "por_pagina=dez",  "pagina=%092", "pagina=%0A2",
	                     "por_pagina=%0B5", "por_pagina=%0C5", "pagina=%0D2", NULL};
	struct http_response r;
	(void)state;

	for (size_t i = 0; bad[i]; i++) {
		api_call(&srv, "GET", pathf("/api/clientes?%s", bad[i]), admin, NULL, NULL, &r);
		if (r.status != 400)
			fail_msg("?%s: expected 400, got %ld", bad[i], r.status);
		assert_problem(&r, 400);
		http_response_cleanup(&r);
	}
}

static void test_listar__filtro_documento_e_q(void **state)
{
	char fmt[CNPJ_MAX], raw[CNPJ_MAX], uuid[UUID_MAX], hex[11], nome[64];
	struct http_response r;
	(void)state;

	random_cnpj(fmt, true);
	only_digits(fmt, raw, sizeof raw);
	random_hex(hex, 10);
	snprintf(nome, sizeof nome, "Oficina Filtro ZX%s Ltda", hex);
	for (char *p = nome; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	criar(nome, fmt, uuid);

	const char *docs[] = {raw, fmt, NULL};
	for (size_t i = 0; docs[i]; i++) {
		char *enc = url_encode(docs[i]);
		api_call(&srv, "GET", pathf("/api/clientes?documento=%s", enc), admin, NULL, NULL,
		         &r);
		free(enc);
		assert_list(&r, 1, 20, 1);
		assert_string_equal(json_str(json_array_get(data_array(&r), 0), "uuid"), uuid);
		http_response_cleanup(&r);
	}

	/* A part of the name, in another case. */
	api_call(&srv, "GET", pathf("/api/clientes?q=filtro%%20zx%s", hex), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	assert_string_equal(json_str(json_array_get(data_array(&r), 0), "uuid"), uuid);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/clientes?q=zx%s", hex), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1);
	http_response_cleanup(&r);

	/* No match. */
	api_call(&srv, "GET", pathf("/api/clientes?q=nada-%s-nada", hex), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 0);
	assert_int_equal(json_array_size(data_array(&r)), 0);
	http_response_cleanup(&r);
}

static void test_put__substitui_tudo(void **state)
{
	char cpf[CPF_MAX], cpf2[CPF_MAX], uuid[UUID_MAX], email[EMAIL_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	random_email(email, "put");
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Antes do Put", "documento", cpf,
	                      "email", email, "telefone", "1133334444");
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(uuid, sizeof uuid, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);

	/* Full replacement: telefone left out becomes null. */
	random_cpf(cpf2, true);
	char digits2[CPF_MAX];
	only_digits(cpf2, digits2, sizeof digits2);
	b = json_pack("{s:s, s:s, s:s}", "nome", "Depois do Put", "documento", cpf2, "email",
	              email);
	api_call_json(&srv, "PUT", pathf("/api/clientes/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Depois do Put", digits2, "CPF", email, NULL, true);
	assert_string_equal(json_str(data_object(&r), "uuid"), uuid);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/clientes/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Depois do Put", digits2, "CPF", email, NULL, true);
	http_response_cleanup(&r);

	/* A required field missing. */
	b = json_pack("{s:s}", "nome", "Sem Documento");
	api_call_json(&srv, "PUT", pathf("/api/clientes/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_invalid_field(&r, "documento");
	http_response_cleanup(&r);

	/* Unknown customer. */
	char unknown[UUID_MAX];
	random_uuid_v4(unknown);
	random_cpf(cpf2, false);
	b = json_pack("{s:s, s:s}", "nome", "Ninguem Aqui", "documento", cpf2);
	api_call_json(&srv, "PUT", pathf("/api/clientes/%s", unknown), admin, b, &r);
	json_decref(b);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void test_patch__parcial_e_email_null(void **state)
{
	char cpf[CPF_MAX], other[CPF_MAX], uuid[UUID_MAX], uuid2[UUID_MAX], email[EMAIL_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	random_email(email, "patch");
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Antes do Patch", "documento", cpf,
	                      "email", email, "telefone", "1144445555");
	api_call_json(&srv, "POST", "/api/clientes", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(uuid, sizeof uuid, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);

	api_call(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin,
	         "{\"nome\":\"Depois do Patch\"}", NULL, &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Depois do Patch", cpf, "CPF", email, "1144445555", true);
	http_response_cleanup(&r);

	api_call(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin, "{\"email\":null}", NULL,
	         &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Depois do Patch", cpf, "CPF", NULL, "1144445555", true);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/clientes/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Depois do Patch", cpf, "CPF", NULL, "1144445555", true);
	http_response_cleanup(&r);

	/* An empty patch changes nothing. */
	api_call(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin, "{}", NULL, &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Depois do Patch", cpf, "CPF", NULL, "1144445555", true);
	http_response_cleanup(&r);

	/* Validation, and the uniqueness of documento. */
	api_call(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin, "{\"nome\":\"AB\"}", NULL,
	         &r);
	assert_invalid_field(&r, "nome");
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin, "{\"nome\":null}", NULL,
	         &r);
	assert_invalid_field(&r, "nome");
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin,
	         "{\"documento\":\"123.456.789-00\"}", NULL, &r);
	assert_invalid_field(&r, "documento");
	http_response_cleanup(&r);
	random_cpf(other, true);
	criar("Outro Cliente", other, uuid2);
	b = json_pack("{s:s}", "documento", other);
	api_call_json(&srv, "PATCH", pathf("/api/clientes/%s", uuid), admin, b, &r);
	json_decref(b);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
}

static void test_delete__204_e_get_mostra_inativo(void **state)
{
	char cpf[CPF_MAX], uuid[UUID_MAX], unknown[UUID_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	criar("Cliente Apagado", cpf, uuid);
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", uuid), atendente, NULL, NULL, &r);
	assert_status(&r, 204);
	assert_int_equal(r.body_len, 0);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/clientes/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_cliente(data_object(&r), "Cliente Apagado", cpf, "CPF", NULL, NULL, false);
	http_response_cleanup(&r);

	random_uuid_v4(unknown);
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", "/api/clientes/nao-e-uuid", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void novo_veiculo(const char *cliente_uuid, char placa_out[PLACA_MAX])
{
	struct http_response r;
	random_placa(placa_out, true);
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", cliente_uuid, "placa",
	                      placa_out, "marca", "Volkswagen", "modelo", "Gol", "ano", 2018);
	api_call_json(&srv, "POST", "/api/veiculos", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	http_response_cleanup(&r);
}

static void test_veiculos_do_cliente(void **state)
{
	char cpf[CPF_MAX], uuid[UUID_MAX], uuid2[UUID_MAX], p1[PLACA_MAX], p2[PLACA_MAX],
	    p3[PLACA_MAX];
	char unknown[UUID_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	criar("Dono de Dois", cpf, uuid);
	random_cpf(cpf, false);
	criar("Dono de Um", cpf, uuid2);
	novo_veiculo(uuid, p1);
	novo_veiculo(uuid, p2);
	novo_veiculo(uuid2, p3);

	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", uuid), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *list = data_array(&r);
	assert_int_equal(json_array_size(list), 2);
	size_t i;
	json_t *v;
	bool found1 = false, found2 = false;
	json_array_foreach(list, i, v)
	{
		assert_string_equal(json_str(v, "cliente_uuid"), uuid);
		found1 = found1 || strcmp(json_str(v, "placa"), p1) == 0;
		found2 = found2 || strcmp(json_str(v, "placa"), p2) == 0;
	}
	assert_true(found1 && found2);
	http_response_cleanup(&r);

	random_cpf(cpf, false);
	char empty[UUID_MAX];
	criar("Sem Carro", cpf, empty);
	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", empty), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(data_array(&r)), 0);
	http_response_cleanup(&r);

	random_uuid_v4(unknown);
	api_call(&srv, "GET", pathf("/api/clientes/%s/veiculos", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void test_papeis__mecanico_403_atendente_ok(void **state)
{
	char cpf[CPF_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	criar("Cliente Papeis", cpf, uuid);
	api_call(&srv, "GET", "/api/clientes", mecanico, NULL, NULL, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/clientes/%s", uuid), mecanico, NULL, NULL, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	random_cpf(cpf, false);
	json_t *b = json_pack("{s:s, s:s}", "nome", "Pelo Mecanico", "documento", cpf);
	api_call_json(&srv, "POST", "/api/clientes", mecanico, b, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", uuid), mecanico, NULL, NULL, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);

	api_call(&srv, "GET", "/api/clientes", atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	api_call_json(&srv, "POST", "/api/clientes", atendente, b, &r);
	assert_status(&r, 201);
	http_response_cleanup(&r);
	json_decref(b);

	api_call(&srv, "GET", "/api/clientes", NULL, NULL, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_criar__cpf_e_cnpj_formatados_ou_nao__201),
	    cmocka_unit_test(test_criar__documento_invalido__422_campo_documento),
	    cmocka_unit_test(test_criar__varios_campos_ruins__uma_entrada_por_campo),
	    cmocka_unit_test(test_criar__documento_duplicado_digitado_diferente__409),
	    cmocka_unit_test(test_criar__nome_curto_ou_longo__422),
	    cmocka_unit_test(test_obter__por_uuid_desconhecido_malformado),
	    cmocka_unit_test(test_listar__paginacao_meta_total_count_link),
	    cmocka_unit_test(test_listar__parametros_invalidos__400),
	    cmocka_unit_test(test_listar__filtro_documento_e_q),
	    cmocka_unit_test(test_put__substitui_tudo),
	    cmocka_unit_test(test_patch__parcial_e_email_null),
	    cmocka_unit_test(test_delete__204_e_get_mostra_inativo),
	    cmocka_unit_test(test_veiculos_do_cliente),
	    cmocka_unit_test(test_papeis__mecanico_403_atendente_ok),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
