/*
 * End-to-end tests of revocation (issue 10): a token does not outlive its account. On the real
 * server, with the session registry refreshed every 200 ms (SESSOES_REFRESH_MS): after a logout
 * the account's older tokens are 401 and a new login works; a demoted staff user's token is 401
 * and the new one carries the new role (403 where it no longer reaches); a deactivated user's and
 * a deactivated customer's tokens are 401; a customer's logout ends their tokens; reactivating an
 * account, or giving a role back, does not bring its old tokens back; a new password ends them.
 *
 * Tokens carry iat in whole seconds and a logout ends those issued before its second: each test
 * lets a second pass between issuing the token it revokes and the logout.
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

#define SENHA     "senha-das-sessoes-1"
#define ESPERA_MS 5000

static struct test_server srv;
static char *admin;

/* GET path with token until it answers status (ESPERA_MS at most); the last status. */
static long ate_responder(const char *path, const char *token, long status)
{
	struct http_response r;
	long got = 0;
	for (long fim = mono_ms() + ESPERA_MS;; sleep_ms_(50)) {
		api_call(&srv, "GET", path, token, NULL, NULL, &r);
		got = r.status;
		if (got == status && status == 401) {
			json_t *p = assert_problem(&r, 401);
			assert_non_null(strstr(json_str(p, "detail"), "sessão encerrada"));
		}
		http_response_cleanup(&r);
		if (got == status || mono_ms() > fim)
			return got;
	}
}

static char *login(const char *email)
{
	char *t = api_login(&srv, email, SENHA);
	assert_non_null(t);
	return t;
}

static void test_logout__tokens_antigos_401_e_novo_login_funciona(void **state)
{
	char email[EMAIL_MAX];
	struct http_response r;
	(void)state;

	char *antigo = staff_token(&srv, "atendente", SENHA, email, NULL);
	char *outro_aparelho = login(email);
	assert_int_equal(ate_responder("/api/clientes", antigo, 200), 200);
	sleep_ms_(1100); /* the logout's second comes after the tokens' */
	api_call(&srv, "POST", "/api/auth/logout", antigo, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder("/api/clientes", antigo, 401), 401);
	assert_int_equal(ate_responder("/api/clientes", outro_aparelho, 401), 401);
	char *novo = login(email);
	assert_int_equal(ate_responder("/api/clientes", novo, 200), 200);
	free(novo);
	free(outro_aparelho);
	free(antigo);
}

static void test_rebaixado_e_depois_desativado__token_antigo_401(void **state)
{
	char email[EMAIL_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	char *outro_admin = staff_token(&srv, "admin", SENHA, email, uuid);
	assert_int_equal(ate_responder("/api/usuarios", outro_admin, 200), 200);
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), admin, "{\"perfil\":\"mecanico\"}",
	         NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder("/api/usuarios", outro_admin, 401), 401);
	/* Logged in again, the token is a mechanic's: users are out of reach. */
	char *mecanico = login(email);
	assert_int_equal(ate_responder("/api/usuarios", mecanico, 403), 403);
	api_call(&srv, "DELETE", pathf("/api/usuarios/%s", uuid), admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder("/api/servicos", mecanico, 401), 401);
	free(mecanico);
	free(outro_admin);
}

/*
 * A new password ends the account's sessions: the old password may be known, and so may the
 * tokens it opened. The new password logs in at once; the old one no longer does.
 */
static void test_nova_senha__tokens_antigos_401_e_nova_senha_entra(void **state)
{
	char email[EMAIL_MAX], uuid[UUID_MAX];
	struct http_response r;
	(void)state;

	char *antigo = staff_token(&srv, "mecanico", SENHA, email, uuid);
	assert_int_equal(ate_responder("/api/servicos", antigo, 200), 200);
	sleep_ms_(1100); /* the change's second comes after the token's */
	api_call(&srv, "PATCH", pathf("/api/usuarios/%s", uuid), admin,
	         "{\"senha\":\"outra-senha-das-sessoes\"}", NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder("/api/servicos", antigo, 401), 401);
	json_t *velha = json_pack("{s:s, s:s}", "email", email, "senha", SENHA);
	api_call_json(&srv, "POST", "/api/auth/login", NULL, velha, &r);
	json_decref(velha);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	char *novo = api_login(&srv, email, "outra-senha-das-sessoes");
	assert_non_null(novo);
	assert_int_equal(ate_responder("/api/servicos", novo, 200), 200);
	free(novo);
	free(antigo);
}

/* A new customer with a CPF and a vehicle, and their token from POST /api/auth/cpf. */
static char *cliente_novo(char uuid[UUID_MAX])
{
	char cpf[CPF_MAX], placa[PLACA_MAX], body[192];
	struct http_response r;

	api_create_cliente(&srv, admin, "Cliente das Sessões", uuid, cpf);
	random_placa(placa, true);
	snprintf(body, sizeof body,
	         "{\"cliente_uuid\":\"%s\",\"placa\":\"%s\",\"marca\":\"Fiat\","
	         "\"modelo\":\"Uno\",\"ano\":2015}",
	         uuid, placa);
	api_call(&srv, "POST", "/api/veiculos", admin, body, NULL, &r);
	assert_status(&r, 201);
	http_response_cleanup(&r);
	snprintf(body, sizeof body, "{\"cpf\":\"%s\",\"placa\":\"%s\"}", cpf, placa);
	api_call(&srv, "POST", "/api/auth/cpf", NULL, body, NULL, &r);
	assert_status(&r, 200);
	char *t = strdup(json_str(data_object(&r), "token"));
	http_response_cleanup(&r);
	assert_non_null(t);
	return t;
}

static void test_cliente_desativado_ou_que_saiu__token_401(void **state)
{
	char uuid[UUID_MAX], outro[UUID_MAX];
	struct http_response r;
	(void)state;

	char *token = cliente_novo(uuid);
	char *proprio = strdup(pathf("/api/clientes/%s", uuid));
	assert_int_equal(ate_responder(proprio, token, 200), 200);
	api_call(&srv, "DELETE", proprio, admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder(proprio, token, 401), 401);
	free(proprio);
	free(token);

	token = cliente_novo(outro);
	proprio = strdup(pathf("/api/clientes/%s", outro));
	assert_int_equal(ate_responder(proprio, token, 200), 200);
	sleep_ms_(1100);
	api_call(&srv, "POST", "/api/auth/logout", token, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder(proprio, token, 401), 401);
	free(proprio);
	free(token);
}

/*
 * Deactivating or demoting ends the account's sessions for good: reactivating the account, or
 * giving the role back, does not bring the old tokens back (a leaked token is the usual reason
 * to deactivate someone). A new login works.
 */
static void test_desativado_ou_rebaixado_e_restaurado__token_antigo_continua_401(void **state)
{
	char email[EMAIL_MAX], uuid[UUID_MAX], cliente[UUID_MAX];
	struct http_response r;
	(void)state;

	char *antigo = staff_token(&srv, "atendente", SENHA, email, uuid);
	char *usuario = strdup(pathf("/api/usuarios/%s", uuid));
	assert_int_equal(ate_responder("/api/clientes", antigo, 200), 200);
	sleep_ms_(1100); /* the deactivation's second comes after the token's */
	api_call(&srv, "DELETE", usuario, admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder("/api/clientes", antigo, 401), 401);
	api_call(&srv, "PATCH", usuario, admin, "{\"ativo\":true}", NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	char *novo = login(email);
	assert_int_equal(ate_responder("/api/clientes", novo, 200), 200); /* reactivation seen */
	assert_int_equal(api_get_status(&srv, "/api/clientes", antigo), 401);

	/* Demoted and promoted back: the token of the first promotion stays refused. */
	sleep_ms_(1100);
	api_call(&srv, "PATCH", usuario, admin, "{\"perfil\":\"mecanico\"}", NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder("/api/clientes", novo, 401), 401);
	api_call(&srv, "PATCH", usuario, admin, "{\"perfil\":\"atendente\"}", NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	char *terceiro = login(email);
	assert_int_equal(ate_responder("/api/clientes", terceiro, 200), 200);
	assert_int_equal(api_get_status(&srv, "/api/clientes", novo), 401);
	free(terceiro);
	free(novo);
	free(usuario);
	free(antigo);

	/* A customer deactivated and reactivated. */
	char *token = cliente_novo(cliente);
	char *proprio = strdup(pathf("/api/clientes/%s", cliente));
	assert_int_equal(ate_responder(proprio, token, 200), 200);
	sleep_ms_(1100);
	api_call(&srv, "DELETE", proprio, admin, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
	assert_int_equal(ate_responder(proprio, token, 401), 401);
	api_call(&srv, "PATCH", proprio, admin, "{\"ativo\":true}", NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);
	sleep_ms_(1000); /* five refreshes of the registry: the reactivation is in it */
	assert_int_equal(api_get_status(&srv, proprio, token), 401);
	free(proprio);
	free(token);
}

static int setup(void **state)
{
	(void)state;
	const char *env[] = {"SESSOES_REFRESH_MS=200", NULL};
	test_server_start(&srv, env);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(admin);
	test_server_stop(&srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_logout__tokens_antigos_401_e_novo_login_funciona),
	    cmocka_unit_test(test_rebaixado_e_depois_desativado__token_antigo_401),
	    cmocka_unit_test(test_cliente_desativado_ou_que_saiu__token_401),
	    cmocka_unit_test(test_desativado_ou_rebaixado_e_restaurado__token_antigo_continua_401),
	    cmocka_unit_test(test_nova_senha__tokens_antigos_401_e_nova_senha_entra),
	};
	http_global_init();
	return test_server_finish(cmocka_run_group_tests(tests, setup, teardown));
}
