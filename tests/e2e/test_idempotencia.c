/*
 * End-to-end tests of Idempotency-Key on the real server (SPEC §5), through POST /api/clientes:
 * a repeat with the same key and body gets the first answer again (and creates nothing), another
 * body gets 409, eight identical requests at the same moment create one customer and get eight
 * identical answers, 4xx answers are replayed too (not a 404: its key is released), keys belong to
 * their caller, malformed keys are 400, and without a key nothing changes (the second create is a
 * 409 duplicate).
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

#define SENHA        "senha-idempotencia-1"
#define CONCORRENTES 8

static struct test_server srv;
static char *admin, *atendente;

static int group_setup(void **state)
{
	(void)state;
	http_global_init();
	test_server_start(&srv, NULL);
	admin = staff_token(&srv, "admin", SENHA, NULL, NULL);
	atendente = staff_token(&srv, "atendente", SENHA, NULL, NULL);
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

/* A fresh key for one test. */
static void nova_chave(char out[48])
{
	char hex[33];
	random_hex(hex, 32);
	snprintf(out, 48, "chave-%s", hex);
}

/* A customer body with a fresh CPF; digits of the CPF into cpf (may be NULL). */
static char *corpo_cliente(const char *nome, char cpf_out[CPF_MAX])
{
	char cpf[CPF_MAX];
	random_cpf(cpf, false);
	if (cpf_out)
		snprintf(cpf_out, CPF_MAX, "%s", cpf);
	json_t *b = json_pack("{s:s, s:s}", "nome", nome, "documento", cpf);
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	assert_non_null(text);
	return text;
}

/* POST /api/clientes with body and, when chave is not NULL, Idempotency-Key: chave. */
static void post_cliente(const char *token, const char *chave, const char *body,
                         struct http_response *r)
{
	char h[512];
	const char *extra[] = {h, NULL};
	snprintf(h, sizeof h, "Idempotency-Key: %s", chave ? chave : "");
	api_call(&srv, "POST", "/api/clientes", token, body, chave ? extra : NULL, r);
}

/* How many customers have this documento (digits). */
static long clientes_com(const char *cpf)
{
	struct http_response r;
	api_call(&srv, "GET", pathf("/api/clientes?documento=%s", cpf), admin, NULL, NULL, &r);
	long total = assert_list(&r, 1, 20, -1);
	http_response_cleanup(&r);
	return total;
}

static void test_mesma_chave_mesmo_corpo__mesma_resposta_sem_segundo_efeito(void **state)
{
	struct http_response a, b;
	char chave[48], cpf[CPF_MAX];
	char *body = corpo_cliente("Cliente Idempotente", cpf);
	(void)state;

	nova_chave(chave);
	post_cliente(admin, chave, body, &a);
	assert_status(&a, 201);
	assert_null(http_response_header(&a, "Idempotent-Replayed"));
	post_cliente(admin, chave, body, &b);
	assert_status(&b, 201);
	assert_string_equal(b.body, a.body); /* byte for byte, uuid and timestamps included */
	assert_string_equal(http_response_header(&b, "Location"),
	                    http_response_header(&a, "Location"));
	assert_string_equal(http_response_header(&b, "Idempotent-Replayed"), "true");
	assert_non_null(strstr(http_response_header(&b, "Content-Type"), "application/json"));
	assert_string_equal(json_str(data_object(&b), "uuid"), json_str(data_object(&a), "uuid"));
	assert_int_equal(clientes_com(cpf), 1);
	http_response_cleanup(&a);
	http_response_cleanup(&b);
	free(body);
}

static void test_mesma_chave_outro_corpo__409(void **state)
{
	struct http_response a, b;
	char chave[48], cpf2[CPF_MAX];
	char *body = corpo_cliente("Primeiro Corpo", NULL),
	     *outro = corpo_cliente("Outro Corpo", cpf2);
	(void)state;

	nova_chave(chave);
	post_cliente(admin, chave, body, &a);
	assert_status(&a, 201);
	post_cliente(admin, chave, outro, &b);
	json_t *p = assert_problem(&b, 409);
	assert_int_equal(problem_campo_count(p, "Idempotency-Key"), 1);
	assert_int_equal(clientes_com(cpf2), 0);
	http_response_cleanup(&a);
	http_response_cleanup(&b);
	free(body);
	free(outro);
}

struct disparo {
	const char *url;
	const char *const *headers;
	const char *body;
	pthread_barrier_t *largada;
	struct http_response r;
	int rc;
};

static void *disparar(void *arg)
{
	struct disparo *d = arg;
	pthread_barrier_wait(d->largada);
	d->rc = http_request("POST", d->url, d->headers, d->body, strlen(d->body), &d->r);
	return NULL;
}

static void test_oito_iguais_ao_mesmo_tempo__um_cliente_e_oito_respostas_iguais(void **state)
{
	char chave[48], cpf[CPF_MAX], url[256], auth[4096], key[128];
	char *body = corpo_cliente("Cliente Concorrente", cpf);
	pthread_t t[CONCORRENTES];
	struct disparo d[CONCORRENTES];
	pthread_barrier_t largada;
	int replays = 0;
	(void)state;

	nova_chave(chave);
	test_server_url(&srv, "/api/clientes", url, sizeof url);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
	snprintf(key, sizeof key, "Idempotency-Key: %s", chave);
	const char *headers[] = {auth, key, "Content-Type: application/json",
	                         "Accept: application/json", NULL};
	pthread_barrier_init(&largada, NULL, CONCORRENTES);
	for (int i = 0; i < CONCORRENTES; i++) {
		d[i] = (struct disparo){
		    .url = url, .headers = headers, .body = body, .largada = &largada};
		assert_int_equal(pthread_create(&t[i], NULL, disparar, &d[i]), 0);
	}
	for (int i = 0; i < CONCORRENTES; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&largada);

	for (int i = 0; i < CONCORRENTES; i++) {
		assert_int_equal(d[i].rc, 0);
		assert_status(&d[i].r, 201);
		assert_string_equal(d[i].r.body, d[0].r.body);
		assert_string_equal(http_response_header(&d[i].r, "Location"),
		                    http_response_header(&d[0].r, "Location"));
		replays += http_response_header(&d[i].r, "Idempotent-Replayed") != NULL;
	}
	assert_int_equal(replays, CONCORRENTES - 1); /* one ran, seven were replays */
	assert_int_equal(clientes_com(cpf), 1);
	for (int i = 0; i < CONCORRENTES; i++)
		http_response_cleanup(&d[i].r);
	free(body);
}

/* A customer with one vehicle, created through the API; their uuids into the buffers. */
static void cliente_com_veiculo(char cliente[64], char veiculo[64])
{
	char cpf[CPF_MAX], placa[PLACA_MAX];
	struct http_response r;
	char *body = corpo_cliente("Cliente da Ordem Concorrente", cpf);

	post_cliente(admin, NULL, body, &r);
	assert_status(&r, 201);
	snprintf(cliente, 64, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
	free(body);
	random_placa(placa, true);
	json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", cliente, "placa", placa,
	                      "marca", "Fiat", "modelo", "Uno", "ano", 2018);
	api_call_json(&srv, "POST", "/api/veiculos", admin, v, &r);
	assert_status(&r, 201);
	snprintf(veiculo, 64, "%s", json_str(data_object(&r), "uuid"));
	http_response_cleanup(&r);
	json_decref(v);
}

/* SPEC §5 and issue 3: eight identical POST /api/ordens with one key at once → one order. */
static void test_oito_ordens_iguais_ao_mesmo_tempo__uma_ordem(void **state)
{
	char chave[48], url[256], auth[4096], key[128], cliente[64], veiculo[64];
	pthread_t t[CONCORRENTES];
	struct disparo d[CONCORRENTES];
	pthread_barrier_t largada;
	struct http_response r;
	(void)state;

	cliente_com_veiculo(cliente, veiculo);
	json_t *b = json_pack("{s:s, s:s, s:s}", "cliente_uuid", cliente, "veiculo_uuid", veiculo,
	                      "descricao", "barulho na suspensão");
	char *body = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	nova_chave(chave);
	test_server_url(&srv, "/api/ordens", url, sizeof url);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", atendente);
	snprintf(key, sizeof key, "Idempotency-Key: %s", chave);
	const char *headers[] = {auth, key, "Content-Type: application/json",
	                         "Accept: application/json", NULL};
	pthread_barrier_init(&largada, NULL, CONCORRENTES);
	for (int i = 0; i < CONCORRENTES; i++) {
		d[i] = (struct disparo){
		    .url = url, .headers = headers, .body = body, .largada = &largada};
		assert_int_equal(pthread_create(&t[i], NULL, disparar, &d[i]), 0);
	}
	for (int i = 0; i < CONCORRENTES; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&largada);

	for (int i = 0; i < CONCORRENTES; i++) {
		assert_int_equal(d[i].rc, 0);
		assert_status(&d[i].r, 201);
		assert_string_equal(http_response_header(&d[i].r, "Location"),
		                    http_response_header(&d[0].r, "Location"));
	}
	for (int i = 0; i < CONCORRENTES; i++)
		http_response_cleanup(&d[i].r);
	api_call(&srv, "GET", pathf("/api/ordens?status=RECEBIDA&cliente_uuid=%s", cliente), admin,
	         NULL, NULL, &r);
	assert_int_equal(assert_list(&r, 1, 20, -1), 1); /* exactly one order was opened */
	http_response_cleanup(&r);
	free(body);
}

static void test_sem_chave__segundo_post_409_documento(void **state)
{
	struct http_response a, b;
	char *body = corpo_cliente("Cliente Sem Chave", NULL);
	(void)state;

	post_cliente(admin, NULL, body, &a);
	assert_status(&a, 201);
	post_cliente(admin, NULL, body, &b);
	json_t *p = assert_problem(&b, 409);
	assert_int_equal(problem_campo_count(p, "documento"), 1);
	assert_null(http_response_header(&b, "Idempotent-Replayed"));
	http_response_cleanup(&a);
	http_response_cleanup(&b);
	free(body);
}

static void test_resposta_4xx__guardada_e_repetida(void **state)
{
	struct http_response a, b;
	char chave[48];
	const char *body = "{\"nome\": \"X\", \"documento\": \"123\"}";
	(void)state;

	nova_chave(chave);
	post_cliente(admin, chave, body, &a);
	assert_invalid_field(&a, "documento");
	post_cliente(admin, chave, body, &b);
	assert_status(&b, 422);
	assert_string_equal(b.body, a.body); /* the first answer, its correlation_id included */
	assert_string_equal(http_response_header(&b, "Idempotent-Replayed"), "true");
	assert_non_null(
	    strstr(http_response_header(&b, "Content-Type"), "application/problem+json"));
	http_response_cleanup(&a);
	http_response_cleanup(&b);
}

/*
 * A 404 changes nothing and is not kept: the key is released, so that made-up identifiers do not
 * grow the table, and a retry runs again (and gets its own 404, not a replay).
 */
static void test_resposta_404__chave_liberada_e_nao_repetida(void **state)
{
	struct http_response a, b;
	char chave[48], h[96];
	const char *extra[] = {h, NULL};
	const char *path = "/api/pecas/00000000-0000-4000-8000-000000000000/movimentos";
	const char *body = "{\"quantidade\": 1, \"motivo\": \"entrada\"}";
	(void)state;

	nova_chave(chave);
	snprintf(h, sizeof h, "Idempotency-Key: %s", chave);
	api_call(&srv, "POST", path, admin, body, extra, &a);
	assert_problem(&a, 404);
	api_call(&srv, "POST", path, admin, body, extra, &b);
	assert_problem(&b, 404);
	assert_null(http_response_header(&b, "Idempotent-Replayed"));
	assert_string_not_equal(b.body, a.body); /* its own correlation_id: it ran again */
	http_response_cleanup(&a);
	http_response_cleanup(&b);
}

static void test_chave_de_outro_usuario__independente(void **state)
{
	struct http_response a, b;
	char chave[48], cpf2[CPF_MAX];
	char *body = corpo_cliente("Do Admin", NULL), *outro = corpo_cliente("Do Atendente", cpf2);
	(void)state;

	nova_chave(chave);
	post_cliente(admin, chave, body, &a);
	assert_status(&a, 201);
	post_cliente(atendente, chave, outro, &b); /* same key, another caller: not a reuse */
	assert_status(&b, 201);
	assert_null(http_response_header(&b, "Idempotent-Replayed"));
	assert_int_equal(clientes_com(cpf2), 1);
	http_response_cleanup(&a);
	http_response_cleanup(&b);
	free(body);
	free(outro);
}

static void test_chave_malformada__400_sem_efeito(void **state)
{
	char longa[300], cpf[CPF_MAX];
	char *body = corpo_cliente("Chave Ruim", cpf);
	const char *ruins[] = {longa, "chave-com-ç"};
	(void)state;

	memset(longa, 'k', 256);
	longa[256] = '\0';
	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		struct http_response r;
		post_cliente(admin, ruins[i], body, &r);
		json_t *p = assert_problem(&r, 400);
		assert_int_equal(problem_campo_count(p, "Idempotency-Key"), 1);
		http_response_cleanup(&r);
	}
	assert_int_equal(clientes_com(cpf), 0);

	/* 255 characters, spaces and symbols included, are fine. */
	struct http_response r;
	longa[255] = '\0';
	longa[10] = ' ';
	longa[11] = '~';
	post_cliente(admin, longa, body, &r);
	assert_status(&r, 201);
	http_response_cleanup(&r);
	free(body);
}

static void test_rota_sem_idempotencia__chave_ignorada(void **state)
{
	struct http_response c, a, b;
	char chave[48], uuid[UUID_MAX], p1[PLACA_MAX], p2[PLACA_MAX], h[96];
	const char *extra[] = {h, NULL};
	char *body = corpo_cliente("Dono Veiculos", NULL);
	(void)state;

	post_cliente(admin, NULL, body, &c);
	assert_status(&c, 201);
	snprintf(uuid, sizeof uuid, "%s", json_str(data_object(&c), "uuid"));
	nova_chave(chave);
	snprintf(h, sizeof h, "Idempotency-Key: %s", chave);
	random_placa(p1, false);
	random_placa(p2, true);
	json_t *v1 = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", uuid, "placa", p1,
	                       "marca", "VW", "modelo", "Gol", "ano", 2015);
	json_t *v2 = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", uuid, "placa", p2,
	                       "marca", "VW", "modelo", "Gol", "ano", 2015);
	char *t1 = json_dumps(v1, JSON_COMPACT), *t2 = json_dumps(v2, JSON_COMPACT);
	api_call(&srv, "POST", "/api/veiculos", admin, t1, extra, &a);
	api_call(&srv, "POST", "/api/veiculos", admin, t2, extra, &b);
	assert_status(&a, 201);
	assert_status(&b, 201);
	assert_null(http_response_header(&b, "Idempotent-Replayed"));
	json_decref(v1);
	json_decref(v2);
	free(t1);
	free(t2);
	http_response_cleanup(&c);
	http_response_cleanup(&a);
	http_response_cleanup(&b);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mesma_chave_mesmo_corpo__mesma_resposta_sem_segundo_efeito),
	    cmocka_unit_test(test_mesma_chave_outro_corpo__409),
	    cmocka_unit_test(test_oito_iguais_ao_mesmo_tempo__um_cliente_e_oito_respostas_iguais),
	    cmocka_unit_test(test_oito_ordens_iguais_ao_mesmo_tempo__uma_ordem),
	    cmocka_unit_test(test_sem_chave__segundo_post_409_documento),
	    cmocka_unit_test(test_resposta_4xx__guardada_e_repetida),
	    cmocka_unit_test(test_resposta_404__chave_liberada_e_nao_repetida),
	    cmocka_unit_test(test_chave_de_outro_usuario__independente),
	    cmocka_unit_test(test_chave_malformada__400_sem_efeito),
	    cmocka_unit_test(test_rota_sem_idempotencia__chave_ignorada),
	};
	return test_server_finish(cmocka_run_group_tests(tests, group_setup, group_teardown));
}
