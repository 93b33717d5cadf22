/*
 * End-to-end race of approvals (SPEC §5, issue 3 "Done means"): ten orders each need one unit of
 * the same part, of which five are in stock; their ten approvals are sent at the same moment from
 * ten threads. Exactly five must succeed (200) and five be refused (409 naming the part), and the
 * balance must end at zero, never below, with exactly five withdrawal movements.
 */
#include <pthread.h>
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

#define SENHA   "senha-ordens-race-1"
#define ORDENS  10
#define ESTOQUE 5

static struct test_server srv;
static char *admin;

static int group_setup(void **state)
{
	static const char *const env[] = {"HTTP_THREADS=12", "DB_POOL_SIZE=12", NULL};
	(void)state;
	test_server_start(&srv, env);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	test_server_stop_all();
	free(admin);
	return 0;
}

struct corrida {
	char url[256];              /* POST .../aprovacao */
	char auth[1024];            /* Authorization header */
	pthread_barrier_t *largada; /* everyone starts together */
	long status;                /* answer */
	char body[512];             /* start of the answer's body */
};

static void *aprovar(void *arg)
{
	struct corrida *c = arg;
	struct http_response r;
	const char *h[] = {c->auth, "Accept: application/json", NULL};

	pthread_barrier_wait(c->largada);
	http_request("POST", c->url, h, NULL, 0, &r);
	c->status = r.status;
	snprintf(c->body, sizeof c->body, "%s", r.body ? r.body : "");
	http_response_cleanup(&r);
	return NULL;
}

static void
test_corrida__dez_aprovacoes_cinco_unidades__cinco_200_cinco_409_saldo_zero(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], peca[UUID_MAX], os[ORDENS][UUID_MAX], cpf[CPF_MAX];
	char placa[PLACA_MAX];
	static struct corrida c[ORDENS];
	pthread_t t[ORDENS];
	pthread_barrier_t largada;
	struct http_response r;
	(void)state;

	random_cpf(cpf, false);
	json_t *b = json_pack("{s:s, s:s}", "nome", "Cliente Corrida", "documento", cpf);
	api_post_ok(&srv, "/api/clientes", admin, b, 201, cli);
	json_decref(b);
	random_placa(placa, false);
	b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", cli, "placa", placa, "marca",
	              "Ford", "modelo", "Ka", "ano", 2018);
	api_post_ok(&srv, "/api/veiculos", admin, b, 201, vei);
	json_decref(b);
	b = json_pack("{s:s, s:s, s:s, s:i}", "nome", "Sensor disputado", "tipo", "PECA", "valor",
	              "10.00", "quantidade_estoque", ESTOQUE);
	api_post_ok(&srv, "/api/pecas", admin, b, 201, peca);
	json_decref(b);

	for (int i = 0; i < ORDENS; i++) {
		b = json_pack("{s:s, s:s, s:[{s:s, s:i}]}", "cliente_uuid", cli, "veiculo_uuid",
		              vei, "pecas", "peca_uuid", peca, "quantidade", 1);
		api_post_ok(&srv, "/api/ordens", admin, b, 201, os[i]);
		json_decref(b);
		api_post_ok(&srv, pathf("/api/ordens/%s/diagnostico", os[i]), admin, NULL, 200,
		            NULL);
		api_post_ok(&srv, pathf("/api/ordens/%s/orcamento", os[i]), admin, NULL, 200, NULL);
	}

	pthread_barrier_init(&largada, NULL, ORDENS);
	for (int i = 0; i < ORDENS; i++) {
		test_server_url(&srv, pathf("/api/ordens/%s/aprovacao", os[i]), c[i].url,
		                sizeof c[i].url);
		snprintf(c[i].auth, sizeof c[i].auth, "Authorization: Bearer %s", admin);
		c[i].largada = &largada;
		assert_int_equal(pthread_create(&t[i], NULL, aprovar, &c[i]), 0);
	}
	int ok = 0, conflito = 0;
	for (int i = 0; i < ORDENS; i++) {
		pthread_join(t[i], NULL);
		if (c[i].status == 200)
			ok++;
		else if (c[i].status == 409 && strstr(c[i].body, "Sensor disputado"))
			conflito++;
		else
			fail_msg("approval %d: %ld %s", i, c[i].status, c[i].body);
	}
	pthread_barrier_destroy(&largada);
	assert_int_equal(ok, ESTOQUE);
	assert_int_equal(conflito, ORDENS - ESTOQUE);

	api_call(&srv, "GET", pathf("/api/pecas/%s", peca), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "quantidade_estoque")),
	                 0);
	http_response_cleanup(&r);
	/* The ledger: the initial entry and five withdrawals. */
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos", peca), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 1 + ESTOQUE);
	http_response_cleanup(&r);

	/* Each order is where its answer says. */
	int execucao = 0;
	for (int i = 0; i < ORDENS; i++) {
		api_call(&srv, "GET", pathf("/api/ordens/%s/status", os[i]), admin, NULL, NULL, &r);
		const char *st = json_str(data_object(&r), "status");
		if (c[i].status == 200) {
			assert_string_equal(st, "EM_EXECUCAO");
			execucao++;
		} else {
			assert_string_equal(st, "AGUARDANDO_APROVACAO");
		}
		http_response_cleanup(&r);
	}
	assert_int_equal(execucao, ESTOQUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_corrida__dez_aprovacoes_cinco_unidades__cinco_200_cinco_409_saldo_zero),
	};
	http_global_init();
	int failures = cmocka_run_group_tests(tests, group_setup, group_teardown);
	return test_server_finish(failures);
}
