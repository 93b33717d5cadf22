/*
 * End-to-end tests of the stock ledger on the real server (SPEC §5 "Peças e insumos", §6):
 * POST /api/pecas/{uuid}/movimentos answers 201 with the movement and its new balance, a balance
 * below zero is a 409 naming the part and changes nothing, also when ten requests race for five
 * units; the list is newest first and paged, the balance is always the sum of the movements, and
 * crossing the minimum writes an estoque.abaixo_do_minimo row to the eventos table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/pg_test.h"
#include "tests/support/server.h"

#define SENHA   "senha-estoque-1"
#define CORRIDA 10

static struct test_server srv;
static char *admin, *atendente, *mecanico;

static int group_setup(void **state)
{
	/* As many worker threads (hence database sessions) as racing requests. */
	const char *const env[] = {"HTTP_THREADS="
	                           "10",
	                           NULL};
	(void)state;
	test_server_start(&srv, env);
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

/* Creates a part with saldo units and minimum minimo; copies its uuid. */
static void criar_peca(const char *nome, int saldo, int minimo, char uuid[UUID_MAX])
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:i, s:i}", "nome", nome, "tipo", "PECA", "valor",
	                      "10.00", "quantidade_estoque", saldo, "estoque_minimo", minimo);
	api_post_ok(&srv, "/api/pecas", admin, b, 201, uuid);
	json_decref(b);
}

static long saldo(const char *peca)
{
	struct http_response r;
	api_call(&srv, "GET", pathf("/api/pecas/%s", peca), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	long v = (long)json_integer_value(json_object_get(data_object(&r), "quantidade_estoque"));
	http_response_cleanup(&r);
	return v;
}

/* The movements' total, and their sum over every page. */
static long total_movimentos(const char *peca, long *soma)
{
	struct http_response r;
	long total;

	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos?por_pagina=100", peca), mecanico,
	         NULL, NULL, &r);
	total = assert_list(&r, 1, 100, -1);
	*soma = 0;
	json_t *it;
	size_t i;
	json_array_foreach(data_array(&r), i, it) *soma +=
	    (long)json_integer_value(json_object_get(it, "quantidade"));
	http_response_cleanup(&r);
	return total;
}

static void movimentar(const char *peca, const char *body, struct http_response *r)
{
	api_call(&srv, "POST", pathf("/api/pecas/%s/movimentos", peca), admin, body, NULL, r);
}

static void test_movimento__201_com_location_e_saldo(void **state)
{
	char peca[UUID_MAX], loc_want[160];
	struct http_response r;
	(void)state;

	criar_peca("Amortecedor", 4, 0, peca);
	movimentar(peca, "{\"quantidade\": -3, \"motivo\": \"troca no carro ABC1234\"}", &r);
	assert_status(&r, 201);
	json_t *d = data_object(&r);
	assert_uuid(json_str(d, "uuid"));
	assert_int_equal(json_integer_value(json_object_get(d, "quantidade")), -3);
	assert_string_equal(json_str(d, "motivo"), "troca no carro ABC1234");
	assert_int_equal(json_integer_value(json_object_get(d, "saldo")), 1);
	assert_true(json_is_null(json_object_get(d, "ordem_uuid")));
	assert_rfc3339_utc(json_str(d, "criado_em"));
	snprintf(loc_want, sizeof loc_want, "/api/pecas/%s/movimentos/%s", peca,
	         json_str(d, "uuid"));
	const char *loc = http_response_header(&r, "Location");
	assert_non_null(loc);
	assert_non_null(strstr(loc, loc_want));
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 1);

	/* The Location answers the same movement. */
	api_call(&srv, "GET", loc_want, mecanico, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "saldo")), 1);
	http_response_cleanup(&r);

	movimentar(peca, "{\"quantidade\": 10, \"motivo\": \"compra NF 123\"}", &r);
	assert_status(&r, 201);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "saldo")), 11);
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 11);
}

static void test_movimento__sem_saldo__409_nomeia_peca_nada_muda(void **state)
{
	char peca[UUID_MAX];
	struct http_response r;
	long soma;
	(void)state;

	criar_peca("Bomba d'água", 2, 0, peca);
	movimentar(peca, "{\"quantidade\": -3, \"motivo\": \"uso\"}", &r);
	json_t *p = assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(p, "quantidade"), 1);
	assert_non_null(strstr(json_str(p, "detail"), "Bomba d'água"));
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 2);
	assert_int_equal(total_movimentos(peca, &soma), 1);
	assert_int_equal(soma, 2);

	/* Exactly the balance is fine. */
	movimentar(peca, "{\"quantidade\": -2, \"motivo\": \"uso\"}", &r);
	assert_status(&r, 201);
	assert_int_equal(json_integer_value(json_object_get(data_object(&r), "saldo")), 0);
	http_response_cleanup(&r);
	movimentar(peca, "{\"quantidade\": -1, \"motivo\": \"uso\"}", &r);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 0);
}

static void test_movimento__validacao_422_e_404(void **state)
{
	char peca[UUID_MAX], unknown[UUID_MAX], longo[600], body[700];
	struct http_response r;
	const char *ruins_q[] = {"0", "1.5", "\"1\"", "null", "true", "2147483648", "1000000001"};
	(void)state;

	criar_peca("Rolamento", 1, 0, peca);
	for (size_t i = 0; i < sizeof ruins_q / sizeof ruins_q[0]; i++) {
		snprintf(body, sizeof body, "{\"quantidade\": %s, \"motivo\": \"x\"}", ruins_q[i]);
		movimentar(peca, body, &r);
		assert_invalid_field(&r, "quantidade");
		http_response_cleanup(&r);
	}
	movimentar(peca, "{\"quantidade\": 1}", &r);
	assert_invalid_field(&r, "motivo");
	http_response_cleanup(&r);
	movimentar(peca, "{\"quantidade\": 1, \"motivo\": \"   \"}", &r);
	assert_invalid_field(&r, "motivo");
	http_response_cleanup(&r);
	memset(longo, 'm', 501);
	longo[501] = '\0';
	snprintf(body, sizeof body, "{\"quantidade\": 1, \"motivo\": \"%s\"}", longo);
	movimentar(peca, body, &r);
	assert_invalid_field(&r, "motivo");
	http_response_cleanup(&r);
	movimentar(peca, "{}", &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(json_array_size(json_object_get(p, "errors")), 2);
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 1);

	random_uuid_v4(unknown);
	api_call(&srv, "POST", pathf("/api/pecas/%s/movimentos", unknown), admin,
	         "{\"quantidade\": 1, \"motivo\": \"x\"}", NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos", unknown), admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "GET", "/api/pecas/xyz/movimentos", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos/%s", peca, unknown), admin, NULL,
	         NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

static void test_movimentos__lista_mais_novo_primeiro_paginada(void **state)
{
	char peca[UUID_MAX], body[128], next[512];
	struct http_response r;
	long soma;
	(void)state;

	criar_peca("Pastilha", 3, 0, peca); /* movement 1: estoque inicial +3 */
	for (int i = 1; i <= 4; i++) {
		snprintf(body, sizeof body, "{\"quantidade\": %d, \"motivo\": \"entrada %d\"}", i,
		         i);
		movimentar(peca, body, &r);
		assert_status(&r, 201);
		http_response_cleanup(&r);
	}
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos?por_pagina=2", peca), atendente, NULL,
	         NULL, &r);
	assert_list(&r, 1, 2, 5);
	json_t *a = data_array(&r);
	assert_string_equal(json_str(json_array_get(a, 0), "motivo"), "entrada 4");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "saldo")), 13);
	assert_string_equal(json_str(json_array_get(a, 1), "motivo"), "entrada 3");
	assert_true(link_rel(&r, "next", next, sizeof next));
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos?por_pagina=2&pagina=3", peca),
	         mecanico, NULL, NULL, &r);
	assert_list(&r, 3, 2, 5);
	a = data_array(&r);
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_str(json_array_get(a, 0), "motivo"), "estoque inicial");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "quantidade")),
	                 3);
	http_response_cleanup(&r);

	assert_int_equal(total_movimentos(peca, &soma), 5);
	assert_int_equal(soma, saldo(peca));
	assert_int_equal(soma, 13);
}

static void test_movimento__papeis(void **state)
{
	char peca[UUID_MAX];
	struct http_response r;
	const char *tokens[] = {mecanico, atendente};
	(void)state;

	criar_peca("Junta", 5, 0, peca);
	for (size_t i = 0; i < 2; i++) {
		api_call(&srv, "POST", pathf("/api/pecas/%s/movimentos", peca), tokens[i],
		         "{\"quantidade\": -1, \"motivo\": \"x\"}", NULL, &r);
		assert_problem(&r, 403);
		http_response_cleanup(&r);
		api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos", peca), tokens[i], NULL,
		         NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
	}
	api_call(&srv, "POST", pathf("/api/pecas/%s/movimentos", peca), NULL,
	         "{\"quantidade\": -1, \"motivo\": \"x\"}", NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 5);
}

/* One racing request; no cmocka assertions off the main thread. */
struct corredor {
	char url[256];
	const char *const *headers;
	pthread_barrier_t *largada;
	long status;
};

static void *correr(void *arg)
{
	struct corredor *c = arg;
	struct http_response r;
	const char *body = "{\"quantidade\": -1, \"motivo\": \"corrida\"}";

	memset(&r, 0, sizeof r);
	pthread_barrier_wait(c->largada);
	http_request("POST", c->url, c->headers, body, strlen(body), &r);
	c->status = r.status;
	http_response_cleanup(&r);
	return NULL;
}

static void test_corrida__dez_retiradas_de_cinco__cinco_201_cinco_409(void **state)
{
	char peca[UUID_MAX], auth[4096];
	struct corredor cs[CORRIDA];
	pthread_t th[CORRIDA];
	pthread_barrier_t largada;
	int criados = 0, conflitos = 0;
	long soma;
	(void)state;

	criar_peca("Disputada", 5, 0, peca);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
	const char *headers[] = {"Accept: application/json", "Content-Type: application/json", auth,
	                         NULL};
	pthread_barrier_init(&largada, NULL, CORRIDA);
	for (int i = 0; i < CORRIDA; i++) {
		cs[i].headers = headers;
		cs[i].largada = &largada;
		cs[i].status = 0;
		test_server_url(&srv, pathf("/api/pecas/%s/movimentos", peca), cs[i].url,
		                sizeof cs[i].url);
		assert_int_equal(pthread_create(&th[i], NULL, correr, &cs[i]), 0);
	}
	for (int i = 0; i < CORRIDA; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&largada);
	for (int i = 0; i < CORRIDA; i++) {
		if (cs[i].status == 201)
			criados++;
		else if (cs[i].status == 409)
			conflitos++;
		else
			fail_msg("racer %d: status %ld", i, cs[i].status);
	}
	assert_int_equal(criados, 5);
	assert_int_equal(conflitos, 5);
	assert_int_equal(saldo(peca), 0);
	assert_int_equal(total_movimentos(peca, &soma), 6);
	assert_int_equal(soma, 0);
}

static void test_abaixo_do_minimo__evento_na_tabela_e_filtro(void **state)
{
	char peca[UUID_MAX];
	struct http_response r;
	(void)state;

	criar_peca("Filtro de ar", 4, 3, peca);
	api_call(&srv, "GET", "/api/pecas?abaixo_do_minimo=true&por_pagina=100", admin, NULL, NULL,
	         &r);
	assert_status(&r, 200);
	assert_null(strstr(r.body, peca));
	http_response_cleanup(&r);

	movimentar(peca, "{\"quantidade\": -1, \"motivo\": \"uso\"}", &r); /* 3: at the minimum */
	assert_status(&r, 201);
	http_response_cleanup(&r);
	movimentar(peca, "{\"quantidade\": -2, \"motivo\": \"uso\"}", &r); /* 1: crossed */
	assert_status(&r, 201);
	const char *corr = http_response_header(&r, "X-Correlation-Id");
	char correlation[160];
	snprintf(correlation, sizeof correlation, "%s", corr ? corr : "");
	http_response_cleanup(&r);

	api_call(&srv, "GET", "/api/pecas?abaixo_do_minimo=true&por_pagina=100", admin, NULL, NULL,
	         &r);
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, peca));
	http_response_cleanup(&r);

	PGconn *c = pg_test_connect(NULL);
	const char *prm[] = {peca};
	PGresult *res =
	    PQexecParams(c,
	                 "SELECT tipo, dados->>'saldo', dados->>'estoque_minimo', "
	                 "dados->>'peca_uuid', correlation_id FROM eventos "
	                 "WHERE agregado_uuid = $1 AND tipo = 'estoque.abaixo_do_minimo'",
	                 1, NULL, prm, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(PQgetvalue(res, 0, 1), "1");
	assert_string_equal(PQgetvalue(res, 0, 2), "3");
	assert_string_equal(PQgetvalue(res, 0, 3), peca);
	assert_string_equal(PQgetvalue(res, 0, 4), correlation);
	PQclear(res);
	res = PQexecParams(c,
	                   "SELECT count(*) FROM eventos WHERE agregado_uuid = $1 "
	                   "AND tipo = 'estoque.movimentado'",
	                   1, NULL, prm, NULL, NULL, 0);
	assert_string_equal(PQgetvalue(res, 0, 0), "3"); /* initial stock and two withdrawals */
	PQclear(res);
	PQfinish(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_movimento__201_com_location_e_saldo),
	    cmocka_unit_test(test_movimento__sem_saldo__409_nomeia_peca_nada_muda),
	    cmocka_unit_test(test_movimento__validacao_422_e_404),
	    cmocka_unit_test(test_movimentos__lista_mais_novo_primeiro_paginada),
	    cmocka_unit_test(test_movimento__papeis),
	    cmocka_unit_test(test_corrida__dez_retiradas_de_cinco__cinco_201_cinco_409),
	    cmocka_unit_test(test_abaixo_do_minimo__evento_na_tabela_e_filtro),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
