/*
 * End-to-end tests of service orders on the real server (SPEC §4, §5 Ordens de serviço, Reads,
 * External approval, §6 events): an order's whole life over HTTP with stock going down, and every
 * refusal: wrong state (409 with status_atual and transicoes_permitidas), short stock (409 and
 * nothing changed), wrong role (403), another customer's order (404), the webhook's signature
 * (401), its repetition (200) and the opposite decision (409); the queue's order and filters.
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
#include <sodium.h>

#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/pg_test.h"
#include "tests/support/server.h"

#define SENHA            "senha-ordens-e2e-1"
#define TOKEN_HEADER_MAX 1200
#define WEBHOOK_SECRET   "segredo-do-webhook-de-orcamento-de-teste"

static struct test_server srv;
static char *admin, *atendente, *mecanico;

static int group_setup(void **state)
{
	static const char *const env[] = {"WEBHOOK_SECRET=" WEBHOOK_SECRET, NULL};
	(void)state;
	assert_true(sodium_init() >= 0);
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

/* ---- fixtures over the API ---- */

/* POST path with body (json_t, borrowed) as token; asserts status; returns r (caller cleans). */
static void post(const char *path, const char *token, const json_t *body, long status,
                 struct http_response *r)
{
	api_call_json(&srv, "POST", path, token, body, r);
	assert_status(r, status);
}

static void copy_uuid(const struct http_response *r, char out[UUID_MAX])
{
	snprintf(out, UUID_MAX, "%s", json_str(data_object(r), "uuid"));
}

/* A new active customer; cpf_out (CPF_MAX, may be NULL) gets its CPF (digits). */
static void novo_cliente(char uuid[UUID_MAX], char *cpf_out)
{
	struct http_response r;
	char cpf[CPF_MAX];
	random_cpf(cpf, false);
	json_t *b = json_pack("{s:s, s:s}", "nome", "Cliente da Ordem", "documento", cpf);
	post("/api/clientes", admin, b, 201, &r);
	copy_uuid(&r, uuid);
	if (cpf_out)
		snprintf(cpf_out, CPF_MAX, "%s", cpf);
	json_decref(b);
	http_response_cleanup(&r);
}

static void novo_veiculo(const char *cliente, char uuid[UUID_MAX], char placa_out[PLACA_MAX])
{
	struct http_response r;
	char placa[PLACA_MAX];
	random_placa(placa, true);
	json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", cliente, "placa", placa,
	                      "marca", "Fiat", "modelo", "Uno", "ano", 2015);
	post("/api/veiculos", admin, b, 201, &r);
	copy_uuid(&r, uuid);
	if (placa_out)
		snprintf(placa_out, PLACA_MAX, "%s", placa);
	json_decref(b);
	http_response_cleanup(&r);
}

static void novo_servico(const char *nome, const char *valor, char uuid[UUID_MAX])
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s}", "nome", nome, "valor", valor);
	post("/api/servicos", admin, b, 201, &r);
	copy_uuid(&r, uuid);
	json_decref(b);
	http_response_cleanup(&r);
}

static void nova_peca(const char *nome, const char *valor, int estoque, char uuid[UUID_MAX])
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s, s:s, s:i}", "nome", nome, "tipo", "PECA", "valor", valor,
	                      "quantidade_estoque", estoque);
	post("/api/pecas", admin, b, 201, &r);
	copy_uuid(&r, uuid);
	json_decref(b);
	http_response_cleanup(&r);
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

static long movimentos(const char *peca)
{
	struct http_response r;
	api_call(&srv, "GET", pathf("/api/pecas/%s/movimentos", peca), admin, NULL, NULL, &r);
	long total = assert_list(&r, 1, 20, -1);
	http_response_cleanup(&r);
	return total;
}

/* Opens an order for cliente/veiculo with the extra members of extra (stolen, may be NULL). */
static void abrir(const char *cliente, const char *veiculo, json_t *extra, char uuid[UUID_MAX])
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s}", "cliente_uuid", cliente, "veiculo_uuid", veiculo);
	if (extra)
		json_object_update(b, extra);
	json_decref(extra);
	post("/api/ordens", atendente, b, 201, &r);
	copy_uuid(&r, uuid);
	char loc[128];
	snprintf(loc, sizeof loc, "/api/ordens/%s", uuid);
	const char *location = http_response_header(&r, "Location");
	assert_non_null(location);
	assert_non_null(strstr(location, loc));
	json_decref(b);
	http_response_cleanup(&r);
}

/* POST /api/ordens/{uuid}/{acao} as token; asserts status; r left for the caller. */
static void acao(const char *ordem, const char *nome, const char *token, long status,
                 struct http_response *r)
{
	api_call(&srv, "POST", pathf("/api/ordens/%s/%s", ordem, nome), token, NULL, NULL, r);
	assert_status(r, status);
}

static void acao_ok(const char *ordem, const char *nome, const char *token, const char *status)
{
	struct http_response r;
	acao(ordem, nome, token, 200, &r);
	assert_string_equal(json_str(data_object(&r), "status"), status);
	http_response_cleanup(&r);
}

static void status_de(const char *ordem, char out[32])
{
	struct http_response r;
	api_call(&srv, "GET", pathf("/api/ordens/%s/status", ordem), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	snprintf(out, 32, "%s", json_str(data_object(&r), "status"));
	http_response_cleanup(&r);
}

static void add_peca(const char *ordem, const char *peca, int qtd, long status)
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:i}", "peca_uuid", peca, "quantidade", qtd);
	api_call_json(&srv, "POST", pathf("/api/ordens/%s/pecas", ordem), mecanico, b, &r);
	assert_status(&r, status);
	json_decref(b);
	http_response_cleanup(&r);
}

/* Asserts a 409 of the state machine: status_atual and exactly the transitions listed. */
static void assert_conflito_estado(const struct http_response *r, const char *atual,
                                   const char *const *permitidas, size_t n)
{
	json_t *p = assert_problem(r, 409);
	assert_string_equal(json_str(p, "status_atual"), atual);
	json_t *t = json_object_get(p, "transicoes_permitidas");
	assert_true(json_is_array(t));
	assert_int_equal(json_array_size(t), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(t, i)), permitidas[i]);
}

/* A cliente token from POST /api/auth/cpf, with the plate of one of their vehicles. malloc'd. */
static char *token_cliente(const char *cpf, const char *placa)
{
	struct http_response r;
	json_t *b = json_pack("{s:s, s:s}", "cpf", cpf, "placa", placa);
	post("/api/auth/cpf", NULL, b, 200, &r);
	char *t = strdup(json_str(data_object(&r), "token"));
	json_decref(b);
	http_response_cleanup(&r);
	return t;
}

/* An order in AGUARDANDO_APROVACAO with qtd units of peca (and no service). */
static void ordem_aguardando(const char *cliente, const char *veiculo, const char *peca, int qtd,
                             char uuid[UUID_MAX])
{
	abrir(cliente, veiculo,
	      json_pack("{s:[{s:s, s:i}]}", "pecas", "peca_uuid", peca, "quantidade", qtd), uuid);
	acao_ok(uuid, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	acao_ok(uuid, "orcamento", mecanico, "AGUARDANDO_APROVACAO");
}

static long eventos(const char *tipo, const char *agregado)
{
	PGconn *c = pg_test_connect(NULL);
	const char *p[] = {tipo, agregado};
	PGresult *r = PQexecParams(c,
	                           "SELECT count(*) FROM eventos WHERE tipo = $1 AND "
	                           "agregado_uuid = $2::uuid",
	                           2, NULL, p, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	long n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return n;
}

/* ---- the whole life ---- */

static void test_vida_completa__abertura_ate_entrega_com_estoque_baixando(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], srvc[UUID_MAX], peca[UUID_MAX], os[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, NULL);
	novo_servico("Troca de óleo", "150.00", srvc);
	nova_peca("Filtro de óleo", "35.50", 10, peca);

	abrir(cli, vei,
	      json_pack("{s:s, s:[{s:s}]}", "descricao", "barulho no motor", "servicos",
	                "servico_uuid", srvc),
	      os);
	api_call(&srv, "GET", pathf("/api/ordens/%s", os), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "status"), "RECEBIDA");
	assert_string_equal(json_str(d, "descricao"), "barulho no motor");
	const char *numero = json_str(d, "numero");
	assert_int_equal(strncmp(numero, "OS-", 3), 0);
	assert_int_equal(strlen(numero), strlen("OS-2026-000123"));
	assert_string_equal(json_str(json_object_get(d, "cliente"), "uuid"), cli);
	assert_string_equal(json_str(json_object_get(d, "veiculo"), "uuid"), vei);
	assert_true(json_is_null(json_object_get(d, "orcamento")));
	json_t *s0 = json_array_get(json_object_get(d, "servicos"), 0);
	assert_string_equal(json_str(s0, "servico_uuid"), srvc);
	assert_string_equal(json_str(s0, "valor_unitario"), "150.00");
	assert_int_equal(json_array_size(json_object_get(d, "historico")), 1);
	assert_rfc3339_utc(json_str(d, "criada_em"));
	http_response_cleanup(&r);

	acao_ok(os, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	add_peca(os, peca, 2, 200);
	add_peca(os, peca, 1, 200); /* the same part again adds to its line */
	api_call(&srv, "GET", pathf("/api/ordens/%s", os), mecanico, NULL, NULL, &r);
	json_t *pecas = json_object_get(data_object(&r), "pecas");
	assert_int_equal(json_array_size(pecas), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(pecas, 0), "quantidade")), 3);
	assert_string_equal(json_str(json_array_get(pecas, 0), "valor_total"), "106.50");
	http_response_cleanup(&r);

	acao(os, "orcamento", mecanico, 200, &r);
	json_t *orc = json_object_get(data_object(&r), "orcamento");
	assert_string_equal(json_str(orc, "valor_servicos"), "150.00");
	assert_string_equal(json_str(orc, "valor_pecas"), "106.50");
	assert_string_equal(json_str(orc, "valor_total"), "256.50");
	assert_rfc3339_utc(json_str(orc, "gerado_em"));
	assert_true(json_is_null(json_object_get(orc, "decisao")));
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 10);

	acao(os, "aprovacao", atendente, 200, &r);
	d = data_object(&r);
	assert_string_equal(json_str(d, "status"), "EM_EXECUCAO");
	assert_string_equal(json_str(json_object_get(d, "orcamento"), "decisao"), "APROVADO");
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 7);

	acao_ok(os, "finalizacao", mecanico, "FINALIZADA");
	acao_ok(os, "entrega", atendente, "ENTREGUE");

	api_call(&srv, "GET", pathf("/api/ordens/%s/historico", os), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *h = data_array(&r);
	const char *estados[] = {"RECEBIDA",    "EM_DIAGNOSTICO", "AGUARDANDO_APROVACAO",
	                         "EM_EXECUCAO", "FINALIZADA",     "ENTREGUE"};
	assert_int_equal(json_array_size(h), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(json_str(json_array_get(h, i), "status"), estados[i]);
		assert_rfc3339_utc(json_str(json_array_get(h, i), "em"));
		assert_uuid(json_str(json_array_get(h, i), "por"));
	}
	http_response_cleanup(&r);

	api_call(&srv, "GET", pathf("/api/ordens/%s/status", os), admin, NULL, NULL, &r);
	d = data_object(&r);
	assert_string_equal(json_str(d, "uuid"), os);
	assert_string_equal(json_str(d, "status"), "ENTREGUE");
	json_str(d, "numero");
	assert_rfc3339_utc(json_str(d, "atualizada_em"));
	http_response_cleanup(&r);

	/* The outbox got every event of the order, in the same transactions. */
	assert_int_equal(eventos("ordem.criada", os), 1);
	assert_int_equal(eventos("ordem.status_alterado", os), 5);
	assert_int_equal(eventos("orcamento.gerado", os), 1);
	assert_int_equal(eventos("orcamento.aprovado", os), 1);
}

/* ---- refusals ---- */

static void test_estado_errado__409_com_status_atual_e_transicoes(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], srvc[UUID_MAX], os[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, NULL);
	novo_servico("Alinhamento", "80.00", srvc);
	abrir(cli, vei,
	      json_pack("{s:[{s:s, s:i}]}", "servicos", "servico_uuid", srvc, "quantidade", 2), os);

	const char *de_recebida[] = {"EM_DIAGNOSTICO", "CANCELADA"};
	acao(os, "orcamento", mecanico, 409, &r);
	assert_conflito_estado(&r, "RECEBIDA", de_recebida, 2);
	http_response_cleanup(&r);
	acao(os, "entrega", atendente, 409, &r);
	assert_conflito_estado(&r, "RECEBIDA", de_recebida, 2);
	http_response_cleanup(&r);

	acao_ok(os, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	const char *de_diag[] = {"AGUARDANDO_APROVACAO", "CANCELADA"};
	acao(os, "diagnostico", mecanico, 409, &r);
	assert_conflito_estado(&r, "EM_DIAGNOSTICO", de_diag, 2);
	http_response_cleanup(&r);

	/* PATCH .../status: the same rules; unknown state 422; no action leads there 409. */
	json_t *b = json_pack("{s:s}", "status", "ENTREGUE");
	api_call_json(&srv, "PATCH", pathf("/api/ordens/%s/status", os), admin, b, &r);
	assert_conflito_estado(&r, "EM_DIAGNOSTICO", de_diag, 2);
	http_response_cleanup(&r);
	json_decref(b);
	b = json_pack("{s:s}", "status", "QUEBRADA");
	api_call_json(&srv, "PATCH", pathf("/api/ordens/%s/status", os), admin, b, &r);
	assert_invalid_field(&r, "status");
	http_response_cleanup(&r);
	json_decref(b);
	b = json_pack("{s:s}", "status", "AGUARDANDO_APROVACAO");
	api_call_json(&srv, "PATCH", pathf("/api/ordens/%s/status", os), mecanico, b, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "status"), "AGUARDANDO_APROVACAO");
	assert_string_equal(json_str(json_object_get(data_object(&r), "orcamento"), "valor_total"),
	                    "160.00");
	http_response_cleanup(&r);
	json_decref(b);

	/* Items only in RECEBIDA or EM_DIAGNOSTICO. */
	b = json_pack("{s:s}", "servico_uuid", srvc);
	api_call_json(&srv, "POST", pathf("/api/ordens/%s/servicos", os), mecanico, b, &r);
	assert_problem(&r, 409);
	assert_string_equal(json_str(r.json, "status_atual"), "AGUARDANDO_APROVACAO");
	http_response_cleanup(&r);
	json_decref(b);

	/* Cancel, then nothing more is allowed. */
	acao_ok(os, "cancelamento", atendente, "CANCELADA");
	acao(os, "aprovacao", atendente, 409, &r);
	assert_conflito_estado(&r, "CANCELADA", NULL, 0);
	http_response_cleanup(&r);
}

static void test_orcamento_sem_itens__422(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], srvc[UUID_MAX], os[UUID_MAX], item[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, NULL);
	novo_servico("Diagnóstico eletrônico", "99.90", srvc);
	abrir(cli, vei, json_pack("{s:[{s:s}]}", "servicos", "servico_uuid", srvc), os);
	acao_ok(os, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	api_call(&srv, "GET", pathf("/api/ordens/%s", os), mecanico, NULL, NULL, &r);
	snprintf(item, sizeof item, "%s",
	         json_str(json_array_get(json_object_get(data_object(&r), "servicos"), 0), "uuid"));
	http_response_cleanup(&r);
	/* Remove the only item: the budget then has nothing to price. */
	api_call(&srv, "DELETE", pathf("/api/ordens/%s/servicos/%s", os, item), mecanico, NULL,
	         NULL, &r);
	assert_status(&r, 200);
	assert_int_equal(json_array_size(json_object_get(data_object(&r), "servicos")), 0);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", pathf("/api/ordens/%s/servicos/%s", os, item), mecanico, NULL,
	         NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
	acao(os, "orcamento", mecanico, 422, &r);
	assert_invalid_field(&r, "itens");
	http_response_cleanup(&r);
	char st[32];
	status_de(os, st);
	assert_string_equal(st, "EM_DIAGNOSTICO");
}

static void test_estoque_curto__409_nomeia_a_peca_e_nada_muda(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], a[UUID_MAX], b[UUID_MAX], os[UUID_MAX], st[32];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, NULL);
	nova_peca("Pastilha de freio", "120.00", 5, a);
	nova_peca("Disco de freio ventilado", "300.00", 1, b);
	abrir(cli, vei,
	      json_pack("{s:[{s:s, s:i}, {s:s, s:i}]}", "pecas", "peca_uuid", a, "quantidade", 2,
	                "peca_uuid", b, "quantidade", 3),
	      os);
	acao_ok(os, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	acao_ok(os, "orcamento", mecanico, "AGUARDANDO_APROVACAO");
	long mov_a = movimentos(a), mov_b = movimentos(b);

	acao(os, "aprovacao", atendente, 409, &r);
	json_t *p = assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(p, "pecas"), 1);
	const char *msg = json_str(json_array_get(json_object_get(p, "errors"), 0), "mensagem");
	assert_non_null(strstr(msg, "Disco de freio ventilado"));
	assert_non_null(strstr(msg, "faltam 2"));
	assert_null(strstr(msg, "Pastilha"));
	http_response_cleanup(&r);

	status_de(os, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");
	assert_int_equal(saldo(a), 5); /* the part that was there is untouched too */
	assert_int_equal(saldo(b), 1);
	assert_int_equal(movimentos(a), mov_a);
	assert_int_equal(movimentos(b), mov_b);
	assert_int_equal(eventos("orcamento.aprovado", os), 0);
	api_call(&srv, "GET", pathf("/api/ordens/%s/historico", os), admin, NULL, NULL, &r);
	assert_int_equal(json_array_size(data_array(&r)), 3);
	http_response_cleanup(&r);
}

static void test_perfis__403_fora_do_papel(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], srvc[UUID_MAX], os[UUID_MAX], cpf[CPF_MAX];
	char placa[PLACA_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cli, cpf);
	novo_veiculo(cli, vei, placa);
	novo_servico("Balanceamento", "60.00", srvc);
	abrir(cli, vei, json_pack("{s:[{s:s}]}", "servicos", "servico_uuid", srvc), os);
	char *cliente = token_cliente(cpf, placa);

	json_t *b = json_pack("{s:s, s:s}", "cliente_uuid", cli, "veiculo_uuid", vei);
	api_call_json(&srv, "POST", "/api/ordens", mecanico, b, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call_json(&srv, "POST", "/api/ordens", cliente, b, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	json_decref(b);

	acao(os, "diagnostico", atendente, 403, &r);
	http_response_cleanup(&r);
	acao(os, "diagnostico", cliente, 403, &r);
	http_response_cleanup(&r);
	acao(os, "cancelamento", mecanico, 403, &r);
	http_response_cleanup(&r);
	acao(os, "cancelamento", cliente, 403, &r);
	http_response_cleanup(&r);
	/* PATCH: the action found from the target state must be the caller's. */
	b = json_pack("{s:s}", "status", "EM_DIAGNOSTICO");
	api_call_json(&srv, "PATCH", pathf("/api/ordens/%s/status", os), atendente, b, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	api_call_json(&srv, "PATCH", pathf("/api/ordens/%s/status", os), cliente, b, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	json_decref(b);
	b = json_pack("{s:s}", "status", "CANCELADA");
	api_call_json(&srv, "PATCH", pathf("/api/ordens/%s/status", os), mecanico, b, &r);
	assert_problem(&r, 403);
	http_response_cleanup(&r);
	json_decref(b);

	acao_ok(os, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	acao_ok(os, "orcamento", mecanico, "AGUARDANDO_APROVACAO");
	acao(os, "aprovacao", mecanico, 403, &r);
	http_response_cleanup(&r);
	/* Nothing moved on any refusal. */
	char st[32];
	status_de(os, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");
	free(cliente);
}

static void test_cliente__ve_e_aprova_so_as_proprias_outra_404(void **state)
{
	char ca[UUID_MAX], cb[UUID_MAX], va[UUID_MAX], vb[UUID_MAX], peca[UUID_MAX];
	char oa[UUID_MAX], ob[UUID_MAX], cpf_a[CPF_MAX], placa_a[PLACA_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(ca, cpf_a);
	novo_cliente(cb, NULL);
	novo_veiculo(ca, va, placa_a);
	novo_veiculo(cb, vb, NULL);
	nova_peca("Correia dentada", "90.00", 10, peca);
	ordem_aguardando(ca, va, peca, 1, oa);
	ordem_aguardando(cb, vb, peca, 1, ob);
	char *tok = token_cliente(cpf_a, placa_a);

	/* The list holds only A's orders, whatever the filter says. */
	api_call(&srv, "GET", "/api/ordens", tok, NULL, NULL, &r);
	long total = assert_list(&r, 1, 20, -1);
	json_t *items = data_array(&r);
	assert_int_equal(total, 1);
	assert_string_equal(json_str(json_array_get(items, 0), "uuid"), oa);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/ordens?cliente_uuid=%s", cb), tok, NULL, NULL, &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);

	const char *leituras[] = {"", "/status", "/historico"};
	for (size_t i = 0; i < 3; i++) {
		api_call(&srv, "GET", pathf("/api/ordens/%s%s", ob, leituras[i]), tok, NULL, NULL,
		         &r);
		assert_problem(&r, 404);
		http_response_cleanup(&r);
		api_call(&srv, "GET", pathf("/api/ordens/%s%s", oa, leituras[i]), tok, NULL, NULL,
		         &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
	}
	acao(ob, "aprovacao", tok, 404, &r);
	http_response_cleanup(&r);
	acao(ob, "reprovacao", tok, 404, &r);
	http_response_cleanup(&r);
	char st[32];
	status_de(ob, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");

	/* Their own budget: approved by the customer, recorded as them. */
	acao(oa, "aprovacao", tok, 200, &r);
	assert_string_equal(json_str(data_object(&r), "status"), "EM_EXECUCAO");
	json_t *h = json_object_get(data_object(&r), "historico");
	assert_string_equal(json_str(json_array_get(h, json_array_size(h) - 1), "por"), ca);
	http_response_cleanup(&r);
	free(tok);
}

/* The optional {motivo} of an action is still checked: 415 for another type, 400 for a non-object.
 */
static void test_acao_com_corpo_invalido__415_ou_400_e_nada_muda(void **state)
{
	char cliente[UUID_MAX], veiculo[UUID_MAX], placa[PLACA_MAX], ordem[UUID_MAX], st[32];
	char auth[TOKEN_HEADER_MAX], url[256];
	struct http_response r;
	(void)state;

	novo_cliente(cliente, NULL);
	novo_veiculo(cliente, veiculo, placa);
	abrir(cliente, veiculo, NULL, ordem);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", mecanico);
	const char *const texto[] = {auth, "Content-Type: text/plain", NULL};
	test_server_url(&srv, pathf("/api/ordens/%s/diagnostico", ordem), url, sizeof url);
	assert_int_equal(http_request("POST", url, texto, "{}", 2, &r), 0);
	assert_problem(&r, 415);
	http_response_cleanup(&r);
	api_call(&srv, "POST", pathf("/api/ordens/%s/diagnostico", ordem), mecanico, "[1]", NULL,
	         &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
	status_de(ordem, st);
	assert_string_equal(st, "RECEBIDA");
	acao_ok(ordem, "diagnostico", mecanico, "EM_DIAGNOSTICO"); /* no body at all is fine */
}

/* SPEC §5: DELETE of a customer is refused with 409 while they have an open order. */
static void test_desativar_cliente_com_ordem_aberta__409_e_depois_de_cancelar__204(void **state)
{
	char cliente[UUID_MAX], veiculo[UUID_MAX], placa[PLACA_MAX], ordem[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cliente, NULL);
	novo_veiculo(cliente, veiculo, placa);
	abrir(cliente, veiculo, NULL, ordem);
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", cliente), atendente, NULL, NULL, &r);
	assert_problem(&r, 409);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/clientes/%s", cliente), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_true(json_is_true(json_object_get(data_object(&r), "ativo")));
	http_response_cleanup(&r);

	acao_ok(ordem, "cancelamento", atendente, "CANCELADA");
	api_call(&srv, "DELETE", pathf("/api/clientes/%s", cliente), atendente, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
}

/* A vehicle in the shop keeps its owner and stays active until its order closes (README). */
static void
test_veiculo_com_ordem_aberta__troca_de_dono_e_delete_409_e_depois_de_cancelar__ok(void **state)
{
	char cliente[UUID_MAX], outro[UUID_MAX], veiculo[UUID_MAX], ordem[UUID_MAX], body[96];
	struct http_response r;
	(void)state;

	novo_cliente(cliente, NULL);
	novo_cliente(outro, NULL);
	novo_veiculo(cliente, veiculo, NULL);
	abrir(cliente, veiculo, NULL, ordem);
	snprintf(body, sizeof body, "{\"cliente_uuid\": \"%s\"}", outro);
	api_call(&srv, "PATCH", pathf("/api/veiculos/%s", veiculo), atendente, body, NULL, &r);
	assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(r.json, "cliente_uuid"), 1);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", pathf("/api/veiculos/%s", veiculo), atendente, NULL, NULL, &r);
	assert_problem(&r, 409);
	assert_int_equal(problem_campo_count(r.json, "ativo"), 1);
	http_response_cleanup(&r);
	api_call(&srv, "GET", pathf("/api/veiculos/%s", veiculo), atendente, NULL, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "cliente_uuid"), cliente);
	assert_true(json_is_true(json_object_get(data_object(&r), "ativo")));
	http_response_cleanup(&r);
	/* Other changes go on: the colour, say. */
	api_call(&srv, "PATCH", pathf("/api/veiculos/%s", veiculo), atendente,
	         "{\"cor\": \"Azul\"}", NULL, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);

	acao_ok(ordem, "cancelamento", atendente, "CANCELADA");
	api_call(&srv, "PATCH", pathf("/api/veiculos/%s", veiculo), atendente, body, NULL, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "cliente_uuid"), outro);
	http_response_cleanup(&r);
	api_call(&srv, "DELETE", pathf("/api/veiculos/%s", veiculo), atendente, NULL, NULL, &r);
	assert_status(&r, 204);
	http_response_cleanup(&r);
}

static void test_reprovacao_com_motivo__cancelada_reprovado(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], peca[UUID_MAX], os[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, NULL);
	nova_peca("Amortecedor", "250.00", 4, peca);
	ordem_aguardando(cli, vei, peca, 2, os);
	api_call(&srv, "POST", pathf("/api/ordens/%s/reprovacao", os), atendente,
	         "{\"motivo\": \"caro demais\"}", NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(d, "status"), "CANCELADA");
	assert_string_equal(json_str(json_object_get(d, "orcamento"), "decisao"), "REPROVADO");
	assert_rfc3339_utc(json_str(json_object_get(d, "orcamento"), "decidido_em"));
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 4);
	assert_int_equal(eventos("orcamento.reprovado", os), 1);

	api_call(&srv, "POST", pathf("/api/ordens/%s/cancelamento", os), atendente, "[1]", NULL,
	         &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
}

static void test_abrir__validacao_422(void **state)
{
	char ca[UUID_MAX], cb[UUID_MAX], vb[UUID_MAX], va[UUID_MAX], desconhecido[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(ca, NULL);
	novo_cliente(cb, NULL);
	novo_veiculo(ca, va, NULL);
	novo_veiculo(cb, vb, NULL);
	random_uuid_v4(desconhecido);

	json_t *b = json_pack("{s:s, s:s}", "cliente_uuid", ca, "veiculo_uuid", vb);
	api_call_json(&srv, "POST", "/api/ordens", atendente, b, &r);
	assert_invalid_field(&r, "veiculo_uuid");
	http_response_cleanup(&r);
	json_decref(b);

	b = json_pack("{s:s, s:s}", "cliente_uuid", desconhecido, "veiculo_uuid", va);
	api_call_json(&srv, "POST", "/api/ordens", atendente, b, &r);
	assert_invalid_field(&r, "cliente_uuid");
	http_response_cleanup(&r);
	json_decref(b);

	api_call(&srv, "POST", "/api/ordens", atendente, "{}", NULL, &r);
	json_t *p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "cliente_uuid"), 1);
	assert_int_equal(problem_campo_count(p, "veiculo_uuid"), 1);
	http_response_cleanup(&r);

	b = json_pack("{s:s, s:s, s:[{s:s}], s:[{s:s}, {s:s, s:i}]}", "cliente_uuid", ca,
	              "veiculo_uuid", va, "servicos", "servico_uuid", desconhecido, "pecas",
	              "peca_uuid", desconhecido, "peca_uuid", desconhecido, "quantidade", 0);
	api_call_json(&srv, "POST", "/api/ordens", atendente, b, &r);
	p = assert_problem(&r, 422);
	assert_int_equal(problem_campo_count(p, "pecas[0].quantidade"), 1);
	assert_int_equal(problem_campo_count(p, "pecas[1].quantidade"), 1);
	http_response_cleanup(&r);
	json_decref(b);

	b = json_pack("{s:s, s:s, s:[{s:s}]}", "cliente_uuid", ca, "veiculo_uuid", va, "servicos",
	              "servico_uuid", desconhecido);
	api_call_json(&srv, "POST", "/api/ordens", atendente, b, &r);
	assert_invalid_field(&r, "servicos[0].servico_uuid");
	http_response_cleanup(&r);
	json_decref(b);

	/* Nothing was opened by any of these. */
	api_call(&srv, "GET", pathf("/api/ordens?cliente_uuid=%s", ca), admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 0);
	http_response_cleanup(&r);
}

/* ---- reads ---- */

static void test_listar__fila_ordenada_filtros_e_400(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], placa[PLACA_MAX], peca[UUID_MAX];
	char rec[UUID_MAX], diag[UUID_MAX], agu[UUID_MAX], exe[UUID_MAX], fim[UUID_MAX];
	char rec2[UUID_MAX], can[UUID_MAX];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, placa);
	nova_peca("Vela de ignição", "25.00", 100, peca);
	/* Created in this order: rec, diag, agu, exe, fim, rec2, can. */
	abrir(cli, vei, json_pack("{s:[{s:s, s:i}]}", "pecas", "peca_uuid", peca, "quantidade", 1),
	      rec);
	abrir(cli, vei, json_pack("{s:[{s:s, s:i}]}", "pecas", "peca_uuid", peca, "quantidade", 1),
	      diag);
	acao_ok(diag, "diagnostico", mecanico, "EM_DIAGNOSTICO");
	ordem_aguardando(cli, vei, peca, 1, agu);
	ordem_aguardando(cli, vei, peca, 1, exe);
	acao_ok(exe, "aprovacao", atendente, "EM_EXECUCAO");
	ordem_aguardando(cli, vei, peca, 1, fim);
	acao_ok(fim, "aprovacao", atendente, "EM_EXECUCAO");
	acao_ok(fim, "finalizacao", mecanico, "FINALIZADA");
	abrir(cli, vei, NULL, rec2);
	abrir(cli, vei, NULL, can);
	acao_ok(can, "cancelamento", atendente, "CANCELADA");

	const char *fila[] = {exe, agu, diag, rec, rec2};
	api_call(&srv, "GET", pathf("/api/ordens?cliente_uuid=%s", cli), mecanico, NULL, NULL, &r);
	assert_list(&r, 1, 20, 5);
	json_t *items = data_array(&r);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(json_str(json_array_get(items, i), "uuid"), fila[i]);
	json_t *primeiro = json_array_get(items, 0);
	assert_string_equal(json_str(primeiro, "status"), "EM_EXECUCAO");
	assert_string_equal(json_str(json_object_get(primeiro, "veiculo"), "placa"), placa);
	assert_string_equal(json_str(primeiro, "valor_total"), "25.00");
	assert_true(json_is_null(json_object_get(json_array_get(items, 3), "valor_total")));
	http_response_cleanup(&r);

	/* Paging keeps the order. */
	api_call(&srv, "GET", pathf("/api/ordens?cliente_uuid=%s&por_pagina=2&pagina=2", cli),
	         admin, NULL, NULL, &r);
	assert_list(&r, 2, 2, 5);
	assert_string_equal(json_str(json_array_get(data_array(&r), 0), "uuid"), diag);
	http_response_cleanup(&r);

	/* Any states, terminal ones included. */
	api_call(&srv, "GET", pathf("/api/ordens?cliente_uuid=%s&status=CANCELADA,FINALIZADA", cli),
	         admin, NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	items = data_array(&r);
	assert_string_equal(json_str(json_array_get(items, 0), "uuid"), fim);
	assert_string_equal(json_str(json_array_get(items, 1), "uuid"), can);
	http_response_cleanup(&r);

	/* By plate, typed any way. */
	char *placa_baixa = strdup(placa);
	for (char *c = placa_baixa; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	api_call(&srv, "GET", pathf("/api/ordens?placa=%s&status=RECEBIDA", placa_baixa), admin,
	         NULL, NULL, &r);
	assert_list(&r, 1, 20, 2);
	http_response_cleanup(&r);
	free(placa_baixa);

	const char *ruins[] = {"status=ABERTA", "status=", "status=RECEBIDA,,X", "cliente_uuid=123",
	                       "placa=%21%21"};
	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		api_call(&srv, "GET", pathf("/api/ordens?%s", ruins[i]), admin, NULL, NULL, &r);
		assert_problem(&r, 400);
		http_response_cleanup(&r);
	}
	api_call(&srv, "GET", "/api/ordens/nao-e-uuid", admin, NULL, NULL, &r);
	assert_problem(&r, 404);
	http_response_cleanup(&r);
}

/* ---- webhook ---- */

static void assinar(const char *body, char out[80])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char hex[2 * sizeof mac + 1];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)WEBHOOK_SECRET,
	                            strlen(WEBHOOK_SECRET));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, 80, "sha256=%s", hex);
}

/* POST /api/webhooks/orcamento with body and an X-Signature header (NULL: none). */
static void webhook(const char *body, const char *signature, struct http_response *r)
{
	char header[128];
	const char *extra[] = {header, NULL};
	snprintf(header, sizeof header, "X-Signature: %s", signature ? signature : "");
	api_call(&srv, "POST", "/api/webhooks/orcamento", NULL, body, signature ? extra : NULL, r);
}

static void test_webhook__assinatura_repeticao_e_decisao_oposta(void **state)
{
	char cli[UUID_MAX], vei[UUID_MAX], peca[UUID_MAX], os[UUID_MAX], os2[UUID_MAX];
	char body[256], sig[80], st[32];
	struct http_response r;
	(void)state;

	novo_cliente(cli, NULL);
	novo_veiculo(cli, vei, NULL);
	nova_peca("Bomba d'água", "180.00", 3, peca);
	ordem_aguardando(cli, vei, peca, 1, os);
	snprintf(body, sizeof body, "{\"ordem_uuid\": \"%s\", \"decisao\": \"APROVADO\"}", os);

	/* Missing, malformed, wrong: 401 and nothing changes. */
	webhook(body, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	webhook(body, "sha256=abc", &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	assinar("{\"outro\": 1}", sig);
	webhook(body, sig, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	status_de(os, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");

	assinar(body, sig);
	webhook(body, sig, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "status"), "EM_EXECUCAO");
	json_t *h = json_object_get(data_object(&r), "historico");
	assert_string_equal(json_str(json_array_get(h, json_array_size(h) - 1), "por"), "webhook");
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 2);

	/* The same decision again: 200, nothing more happens. */
	webhook(body, sig, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "status"), "EM_EXECUCAO");
	http_response_cleanup(&r);
	assert_int_equal(saldo(peca), 2);
	assert_int_equal(eventos("orcamento.aprovado", os), 1);

	/* The opposite decision: 409. */
	snprintf(body, sizeof body, "{\"ordem_uuid\": \"%s\", \"decisao\": \"REPROVADO\"}", os);
	assinar(body, sig);
	webhook(body, sig, &r);
	assert_problem(&r, 409);
	assert_string_equal(json_str(r.json, "status_atual"), "EM_EXECUCAO");
	http_response_cleanup(&r);

	/* A refusal on another order. */
	ordem_aguardando(cli, vei, peca, 1, os2);
	snprintf(body, sizeof body, "{\"ordem_uuid\": \"%s\", \"decisao\": \"REPROVADO\"}", os2);
	assinar(body, sig);
	webhook(body, sig, &r);
	assert_status(&r, 200);
	assert_string_equal(json_str(data_object(&r), "status"), "CANCELADA");
	http_response_cleanup(&r);
	webhook(body, sig, &r);
	assert_status(&r, 200);
	http_response_cleanup(&r);

	/* Signed but bad: 400 for a body that is no JSON object, 422 for bad fields. */
	assinar("[]", sig);
	webhook("[]", sig, &r);
	assert_problem(&r, 400);
	http_response_cleanup(&r);
	snprintf(body, sizeof body, "{\"ordem_uuid\": \"%s\", \"decisao\": \"TALVEZ\"}", os2);
	assinar(body, sig);
	webhook(body, sig, &r);
	assert_invalid_field(&r, "decisao");
	http_response_cleanup(&r);
	char desconhecido[UUID_MAX];
	random_uuid_v4(desconhecido);
	snprintf(body, sizeof body, "{\"ordem_uuid\": \"%s\", \"decisao\": \"APROVADO\"}",
	         desconhecido);
	assinar(body, sig);
	webhook(body, sig, &r);
	assert_invalid_field(&r, "ordem_uuid");
	http_response_cleanup(&r);
}

static void test_webhook__sem_segredo_configurado__401(void **state)
{
	static struct test_server outro; /* server.c remembers its address until the end */
	char url[256], sig[80];
	const char *body = "{\"ordem_uuid\": \"00000000-0000-4000-8000-000000000000\", "
	                   "\"decisao\": \"APROVADO\"}";
	struct http_response r;
	(void)state;

	test_server_start(&outro, NULL); /* no WEBHOOK_SECRET: the webhook is disabled */
	assinar(body, sig);
	char header[128];
	snprintf(header, sizeof header, "X-Signature: %s", sig);
	const char *h[] = {"Content-Type: application/json", header, NULL};
	test_server_url(&outro, "/api/webhooks/orcamento", url, sizeof url);
	assert_int_equal(http_request("POST", url, h, body, strlen(body), &r), 0);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	test_server_stop(&outro);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vida_completa__abertura_ate_entrega_com_estoque_baixando),
	    cmocka_unit_test(test_estado_errado__409_com_status_atual_e_transicoes),
	    cmocka_unit_test(test_orcamento_sem_itens__422),
	    cmocka_unit_test(test_estoque_curto__409_nomeia_a_peca_e_nada_muda),
	    cmocka_unit_test(test_perfis__403_fora_do_papel),
	    cmocka_unit_test(test_cliente__ve_e_aprova_so_as_proprias_outra_404),
	    cmocka_unit_test(test_acao_com_corpo_invalido__415_ou_400_e_nada_muda),
	    cmocka_unit_test(
	        test_desativar_cliente_com_ordem_aberta__409_e_depois_de_cancelar__204),
	    cmocka_unit_test(
	        test_veiculo_com_ordem_aberta__troca_de_dono_e_delete_409_e_depois_de_cancelar__ok),
	    cmocka_unit_test(test_reprovacao_com_motivo__cancelada_reprovado),
	    cmocka_unit_test(test_abrir__validacao_422),
	    cmocka_unit_test(test_listar__fila_ordenada_filtros_e_400),
	    cmocka_unit_test(test_webhook__assinatura_repeticao_e_decisao_oposta),
	    cmocka_unit_test(test_webhook__sem_segredo_configurado__401),
	};
	int failures = cmocka_run_group_tests(tests, group_setup, group_teardown);
	return test_server_finish(failures);
}
