/*
 * End-to-end tests of /api/usuarios on the real server (SPEC §5 Usuários, §4 roles): admin-only
 * CRUD, passwords never returned, unique e-mails whatever their case, validation, lists,
 * deactivated users locked out, and the last active admin kept: demoting or deactivating it is a
 * 409 naming the field, also when two admins demote each other at the same moment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>

#include <cmocka.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/pg_test.h"
#include "tests/support/server.h"

#define SENHA "senha-usuarios-1"

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

/* POST /api/usuarios, asserting 201; uuid_out gets the new uuid. */
static void criar(const char *nome, const char *email, const char *senha, const char *perfil,
                  char uuid_out[UUID_MAX])
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", nome, "email", email, "senha", senha,
	                      "perfil", perfil);
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	snprintf(uuid_out, UUID_MAX, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
}

static long login_status(const char *email, const char *senha)
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s}", "email", email, "senha", senha);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, b, &r);
	json_decref(b);
	long st = r.status;
	if (st != 200)
		assert_problem(&r, st);
	http_response_cleanup(&r);
	return st;
}

static void test_criar__201_with_location_and_no_password(void **state)
{
	char email[EMAIL_MAX], loc[128];
	struct http_response r;
	(void)state;

	random_email(email, "mecanico");
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Carlos Mecânico", "email", email,
	                      "senha", "senha-do-carlos", "perfil", "mecanico");
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	json_decref(b);
	assert_status(&r, 201);
	json_t *d = data_object(&r);
	const char *uuid = json_str(d, "uuid");
	assert_uuid(uuid);
	assert_string_equal(json_str(d, "nome"), "Carlos Mecânico");
	assert_string_equal(json_str(d, "email"), email);
	assert_string_equal(json_str(d, "perfil"), "mecanico");
	assert_true(json_is_true(json_object_get(d, "ativo")));
	assert_no_password_fields(r.json);
	assert_null(strstr(r.body, "senha-do-carlos"));
	const char *location = http_response_header(&r, "Location");
	if (!location)
		fail_msg("201 without Location");
	snprintf(loc, sizeof loc, "/api/usuarios/%s", uuid);
	size_t ll = strlen(location), want = strlen(loc);
	if (ll < want || strcmp(location + ll - want, loc) != 0)
		fail_msg("Location \"%s\" does not end with %s", location, loc);
	http_response_cleanup(&r);

	/* The new user can log in with the password given. */
	assert_int_equal(login_status(email, "senha-do-carlos"), 200);
}

static void test_criar__duplicate_email_in_other_case__409(void **state)
{
	char email[EMAIL_MAX], upper[EMAIL_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	random_email(email, "dup");
	criar("Primeiro Usuario", email, "senha-primeiro", "atendente", uuid);
	for (size_t i = 0; email[i]; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ? email[i] - 32 : email[i]);
	upper[strlen(email)] = '\0';
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Segundo Usuario", "email", upper,
	                      "senha", "senha-segundo", "perfil", "atendente");
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
	/* The same e-mail exactly, too. */
	json_object_set_new(b, "email", json_string(email));
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
	json_decref(b);
}

static void test_criar__validation__422(void **state)
{
	char email[EMAIL_MAX];
	struct http_response r;
	(void)state;

	random_email(email, "val");
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Usuario Valido", "email", email,
	                      "senha", "1234567", "perfil", "atendente");
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	assert_invalid_field(&r, "senha");
	http_response_cleanup(&r);

	json_object_set_new(b, "senha", json_string("12345678"));
	json_object_set_new(b, "perfil", json_string("gerente"));
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	assert_invalid_field(&r, "perfil");
	http_response_cleanup(&r);

	json_object_set_new(b, "perfil", json_string("cliente"));
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	assert_invalid_field(&r, "perfil");
	http_response_cleanup(&r);

	json_object_set_new(b, "perfil", json_string("ADMIN "));
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	if (r.status != 201)
		assert_invalid_field(&r, "perfil");
	http_response_cleanup(&r);

	json_object_set_new(b, "perfil", json_string("atendente"));
	json_object_set_new(b, "email", json_string("nao-e-um-email"));
	api_call_json(&srv, "POST", "/api/usuarios", admin, b, &r);
	assert_invalid_field(&r, "email");
	http_response_cleanup(&r);

	/* Several bad fields: one entry each. */
	json_t *all = json_pack("{s:s, s:s, s:s}", "email", "x", "senha", "123", "perfil", "chefe");
	api_call_json(&srv, "POST", "/api/usuarios", admin, all, &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "nome"), 1);
	assert_int_equal(problem_campo_count(p, "email"), 1);
	assert_int_equal(problem_campo_count(p, "senha"), 1);
	assert_int_equal(problem_campo_count(p, "perfil"), 1);
	http_response_cleanup(&r);
	json_decref(all);
	json_decref(b);
}

static void test_listar__meta_total_count_and_link(void **state)
{
	struct http_response r;
	char next[512], last[512], v[32];
	(void)state;

	api_call(&srv, "GET", "/api/usuarios", admin, NULL, NULL, &r);
	long total = assert_list(&r, 1, 20, -1);
	assert_true(total >= 3);
	size_t i;
	json_t *u;
	json_array_foreach(data_array(&r), i, u)
	{
		assert_uuid(json_str(u, "uuid"));
		json_str(u, "email");
		json_str(u, "perfil");
	}
	assert_no_password_fields(r.json);
	assert_true(link_rel(&r, "first", next, sizeof next));
	assert_true(link_rel(&r, "last", last, sizeof last));
	http_response_cleanup(&r);

	api_call(&srv, "GET", "/api/usuarios?por_pagina=1", admin, NULL, NULL, &r);
	assert_list(&r, 1, 1, total);
	assert_int_equal(json_array_size(data_array(&r)), 1);
	if (!link_rel(&r, "next", next, sizeof next))
		fail_msg("page 1 of %ld has no rel=\"next\": Link %s", total,
		         http_response_header(&r, "Link"));
	assert_true(strncmp(next, "/api/usuarios?", 14) == 0);
	assert_true(query_param(next, "pagina", v, sizeof v));
	assert_string_equal(v, "2");
	assert_true(query_param(next, "por_pagina", v, sizeof v));
	assert_string_equal(v, "1");
	assert_false(link_rel(&r, "prev", next, sizeof next));
	assert_true(link_rel(&r, "last", last, sizeof last));
	assert_true(query_param(last, "pagina", v, sizeof v));
	assert_int_equal(strtol(v, NULL, 10), total);
	http_response_cleanup(&r);
}

static void test_obter_alterar_desativar(void **state)
{
	char email[EMAIL_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	random_email(email, "ciclo");
	criar("Usuario Ciclo", email, "senha-ciclo-1", "atendente", uuid);

	api_call(&srv, "GET", pathf("/api/usuarios/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "uuid"), uuid);
	assert_string_equal(json_str(d, "email"), email);
	assert_string_equal(json_str(d, "perfil"), "atendente");
	assert_no_password_fields(r.json);
	http_response_cleanup(&r);

	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), admin,
	         "{\"nome\":\"Usuario Renomeado\",\"perfil\":\"mecanico\"}", NULL, &r);
	assert_status(&r, 200);
	d = data_object(&r);
	assert_string_equal(json_str(d, "nome"), "Usuario Renomeado");
	assert_string_equal(json_str(d, "perfil"), "mecanico");
	assert_string_equal(json_str(d, "email"), email);
	assert_no_password_fields(r.json);
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/usuarios/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "nome"), "Usuario Renomeado");
	http_response_cleanup(&r);

	/* A new password replaces the old one. */
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), admin,
	         "{\"senha\":\"senha-nova-2\"}", NULL, &r);
	assert_status(&r, 200);
	assert_no_password_fields(r.json);
	http_response_cleanup(&r);
	assert_int_equal(login_status(email, "senha-nova-2"), 200);
	assert_int_equal(login_status(email, "senha-ciclo-1"), 401);

	/* Validation applies to PATCH as well. */
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), admin, "{\"senha\":\"curta\"}",
	         NULL, &r);
	assert_invalid_field(&r, "senha");
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), admin, "{\"perfil\":\"rei\"}",
	         NULL, &r);
	assert_invalid_field(&r, "perfil");
	http_response_cleanup(&r);

	api_call(&srv, "DELETE", pathf("/api/usuarios/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	assert_int_equal(r.body_len, 0);
	http_response_cleanup(&r);

	/* Deactivated: the right password no longer opens a session. */
	assert_int_equal(login_status(email, "senha-nova-2"), 401);
}

static void test_desativado__login_como_desconhecido(void **state)
{
	char email[EMAIL_MAX], uuid[UUID_MAX];
	struct http_response r, a, b;
	char unknown[EMAIL_MAX];
	(void)state;

	random_email(email, "inativo");
	criar("Usuario Inativo", email, "senha-inativo-1", "atendente", uuid);
	api_call(&srv, "DELETE", pathf("/api/usuarios/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);

	/* The same answer as an unknown e-mail: nothing tells a deactivated account apart. */
	random_email(unknown, "ninguem");
	json_t *x = json_pack("{s:s, s:s}", "email", email, "senha", "senha-inativo-1");
	json_t *y = json_pack("{s:s, s:s}", "email", unknown, "senha", "senha-inativo-1");
	api_call_json(&srv, "POST", "/api/auth/login", NULL, x, &a);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, y, &b);
	json_decref(x);
	json_decref(y);
	assert_problem(&a, 401);
	assert_problem(&b, 401);
	json_object_del(a.json, "correlation_id");
	json_object_del(b.json, "correlation_id");
	if (!json_equal(a.json, b.json))
		fail_msg("deactivated and unknown answer differently:\n%s\n%s", a.body, b.body);
	http_response_cleanup(&a);
	http_response_cleanup(&b);
}

static void test_unknown_or_malformed_uuid__404(void **state)
{
	char unknown[UUID_MAX];
	struct http_response r;
	const char *methods[] = {"GET", "PATCH", "DELETE", NULL};
	(void)state;

	random_uuid_v4(unknown);
	for (size_t m = 0; methods[m]; m++) {
		const char *body =
		    strcmp(methods[m], "PATCH") == 0 ? "{\"nome\":\"Outro Nome\"}" : NULL;
		api_call(&srv, methods[m], pathf("/api/usuarios/%s", unknown), admin, body, NULL,
		         &r);
		assert_problem(&r, 404);
		http_response_cleanup(&r);
		api_call(&srv, methods[m], "/api/usuarios/nao-e-uuid", admin, body, NULL, &r);
		assert_problem(&r, 404);
		http_response_cleanup(&r);
		api_call(&srv, methods[m], "/api/usuarios/12345678-1234-1234-1234-1234567890123",
		         admin, body, NULL, &r);
		assert_problem(&r, 404);
		http_response_cleanup(&r);
	}
}

static void test_atendente_e_mecanico__403(void **state)
{
	char email[EMAIL_MAX];
	struct http_response r;
	const char *tokens[] = {atendente, mecanico};
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		api_call(&srv, "GET", "/api/usuarios", tokens[i], NULL, NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		random_email(email, "proibido");
		json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "nome", "Tentativa", "email", email,
		                      "senha", "senha-tentativa", "perfil", "admin");
		api_call_json(&srv, "POST", "/api/usuarios", tokens[i], b, &r);
		json_decref(b);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
	}
	/* And without a token: 401. */
	api_call(&srv, "GET", "/api/usuarios", NULL, NULL, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
}

/* Active admins left in the database. */
static long admins_ativos(PGconn *db)
{
	PGresult *q = PQexec(db, "SELECT count(*) FROM usuarios WHERE perfil = 'admin' AND ativo");
	assert_int_equal(PQresultStatus(q), PGRES_TUPLES_OK);
	long n = strtol(PQgetvalue(q, 0, 0), NULL, 10);
	PQclear(q);
	return n;
}

static void so_admins_novos(PGconn *db)
{
	/* The admins of earlier tests (whose tokens stay valid: they are only deactivated). */
	PGresult *q =
	    PQexec(db, "UPDATE usuarios SET ativo = false WHERE perfil = 'admin' AND ativo");
	assert_int_equal(PQresultStatus(q), PGRES_COMMAND_OK);
	PQclear(q);
}

static void test_ultimo_admin__rebaixar_ou_desativar__409_com_o_campo(void **state)
{
	char uuid[UUID_MAX], outro[UUID_MAX];
	struct http_response r;
	json_t *p;
	(void)state;

	PGconn *db = pg_test_connect(NULL);
	so_admins_novos(db);
	char *eu = staff_token(&srv, "admin", SENHA, NULL, uuid);
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), eu, "{\"perfil\":\"mecanico\"}",
	         NULL, &r);
	p = assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(p, "perfil"), 1);
	http_response_cleanup(&r);
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), eu, "{\"ativo\":false}", NULL, &r);
	p = assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(p, "ativo"), 1);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", pathf("/api/usuarios/%s", uuid), eu, NULL, NULL, &r);
	p = assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(p, "ativo"), 1);
	http_response_cleanup(&r);
	assert_int_equal(admins_ativos(db), 1);

	/* With another active admin, the first may step down. */
	char *segundo = staff_token(&srv, "admin", SENHA, NULL, outro);
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), eu, "{\"perfil\":\"atendente\"}",
	         NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	assert_int_equal(admins_ativos(db), 1);
	free(segundo);
	free(eu);
	PQfinish(db);
}

struct rebaixa {
	char url[256], auth[1024];
	pthread_barrier_t *largada;
	long status;
};

static void *rebaixar(void *arg)
{
	struct rebaixa *c = arg;
	struct http_response r;
	const char *h[] = {c->auth, "Content-Type: application/json", NULL};
	const char *body = "{\"perfil\":\"mecanico\"}";

	pthread_barrier_wait(c->largada);
	http_request("PATCH", c->url, h, body, strlen(body), &r);
	c->status = r.status;
	http_response_cleanup(&r);
	return NULL;
}

/* Two admins demoting each other at the same moment, ten times: one 200, one 409, one left. */
static void test_ultimo_admin__dois_se_rebaixam_juntos__sobra_um(void **state)
{
	(void)state;
	PGconn *db = pg_test_connect(NULL);

	for (int rodada = 0; rodada < 10; rodada++) {
		char uuid[2][UUID_MAX];
		struct rebaixa c[2];
		pthread_t t[2];
		pthread_barrier_t largada;
		char *token[2];

		so_admins_novos(db);
		for (int i = 0; i < 2; i++)
			token[i] = staff_token(&srv, "admin", SENHA, NULL, uuid[i]);
		pthread_barrier_init(&largada, NULL, 2);
		for (int i = 0; i < 2; i++) {
			/* Each demotes the other. */
			test_server_url(&srv, pathf("/api/usuarios/%s", uuid[1 - i]), c[i].url,
			                sizeof c[i].url);
			snprintf(c[i].auth, sizeof c[i].auth, "Authorization: Bearer %s", token[i]);
			c[i].largada = &largada;
			assert_int_equal(pthread_create(&t[i], NULL, rebaixar, &c[i]), 0);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&largada);
		assert_int_equal(c[0].status + c[1].status, 200 + 409);
		assert_int_equal(admins_ativos(db), 1);
		free(token[0]);
		free(token[1]);
	}
	PQfinish(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_criar__201_with_location_and_no_password),
	    cmocka_unit_test(test_criar__duplicate_email_in_other_case__409),
	    cmocka_unit_test(test_criar__validation__422),
	    cmocka_unit_test(test_listar__meta_total_count_and_link),
	    cmocka_unit_test(test_obter_alterar_desativar),
	    cmocka_unit_test(test_desativado__login_como_desconhecido),
	    cmocka_unit_test(test_unknown_or_malformed_uuid__404),
	    cmocka_unit_test(test_atendente_e_mecanico__403),
	    cmocka_unit_test(test_ultimo_admin__rebaixar_ou_desativar__409_com_o_campo),
	    cmocka_unit_test(test_ultimo_admin__dois_se_rebaixam_juntos__sobra_um),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
