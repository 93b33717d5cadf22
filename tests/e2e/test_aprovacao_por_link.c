/*
 * End-to-end tests of the budget link's page on the real server (README "The budget link"):
 * GET /orcamentos/{token} shows the order's budget with both buttons and the security headers
 * (the CSP's hash checked against the style the page carries); POST decisao=APROVADO answers
 * 303, runs the same command as the API (EM_EXECUCAO, stock down, history "por: link") and the
 * page then shows the decision without buttons; REPROVADO cancels; repeating is a no-op and the
 * opposite decision a 409 page; a part short in stock is a 409 page with a readable reason and
 * nothing changes; tampered tokens, another key, another order's uuid → 404, expired → 410, a
 * server without ORCAMENTO_LINK_SECRET → 404 "Link desativado"; a malformed path segment is the
 * usual 404 problem; bad forms are 400/415; database texts are escaped; the page needs no
 * x-api-key but is rate limited. Tokens are signed here with orcamento_link_assinar, as the
 * notifier does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "infrastructure/auth/orcamento_link.h"
#include "tests/support/api.h"
#include "tests/support/http_client.h"
#include "tests/support/server.h"

#define SENHA       "senha-orcamento-link-1"
#define LINK_SECRET "segredo-dos-links-de-orcamento-e2e-0123456789"
#define OUTRA_CHAVE "outra-chave-de-links-de-orcamento-e2e-abcdef"
#define FORM        "Content-Type: application/x-www-form-urlencoded"
#define LINK_MAX    ORCAMENTO_LINK_TOKEN_MAX

static struct test_server srv;
static char *admin, *atendente, *mecanico;

static int group_setup(void **state)
{
	static const char *const env[] = {"ORCAMENTO_LINK_SECRET=" LINK_SECRET, NULL};
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

struct ordem_teste {
	char ordem[UUID_MAX], peca[UUID_MAX], numero[32];
};

static void novo_servico(const char *nome, const char *valor, char uuid[UUID_MAX])
{
	json_t *b = json_pack("{s:s, s:s, s:s}", "nome", nome, "descricao", nome, "valor", valor);
	api_post_ok(&srv, "/api/servicos", admin, b, 201, uuid);
	json_decref(b);
}

static void nova_peca(const char *nome, const char *valor, int estoque, char uuid[UUID_MAX])
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:i}", "nome", nome, "tipo", "PECA", "valor", valor,
	                      "quantidade_estoque", estoque);
	api_post_ok(&srv, "/api/pecas", admin, b, 201, uuid);
	json_decref(b);
}

/*
 * An order in AGUARDANDO_APROVACAO for a new customer's vehicle of that model: one service
 * (servico, valor) and qtd units of a new part (peca, 35.50, with estoque in stock).
 */
static void ordem_aguardando(const char *modelo, const char *servico, const char *valor,
                             const char *peca, int estoque, int qtd, struct ordem_teste *t)
{
	char cli[UUID_MAX], vei[UUID_MAX], srvc[UUID_MAX], cpf[CPF_MAX], placa[PLACA_MAX];
	struct http_response r;

	random_cpf(cpf, false);
	json_t *b = json_pack("{s:s, s:s}", "nome", "Cliente do Link", "documento", cpf);
	api_post_ok(&srv, "/api/clientes", admin, b, 201, cli);
	json_decref(b);
	random_placa(placa, true);
	b = json_pack("{s:s, s:s, s:s, s:s, s:i}", "cliente_uuid", cli, "placa", placa, "marca",
	              "Fiat", "modelo", modelo, "ano", 2015);
	api_post_ok(&srv, "/api/veiculos", admin, b, 201, vei);
	json_decref(b);
	novo_servico(servico, valor, srvc);
	nova_peca(peca, "35.50", estoque, t->peca);
	b = json_pack("{s:s, s:s, s:[{s:s}], s:[{s:s, s:i}]}", "cliente_uuid", cli, "veiculo_uuid",
	              vei, "servicos", "servico_uuid", srvc, "pecas", "peca_uuid", t->peca,
	              "quantidade", qtd);
	api_call_json(&srv, "POST", "/api/ordens", atendente, b, &r);
	assert_status(&r, 201);
	snprintf(t->ordem, sizeof t->ordem, "%s", json_str(data_object(&r), "uuid"));
	snprintf(t->numero, sizeof t->numero, "%s", json_str(data_object(&r), "numero"));
	http_response_cleanup(&r);
	json_decref(b);
	const char *acoes[] = {"diagnostico", "orcamento"};
	for (size_t i = 0; i < 2; i++) {
		api_call(&srv, "POST", pathf("/api/ordens/%s/%s", t->ordem, acoes[i]), mecanico,
		         NULL, NULL, &r);
		assert_status(&r, 200);
		http_response_cleanup(&r);
	}
}

static void status_de(const char *ordem, char out[32])
{
	struct http_response r;
	api_call(&srv, "GET", pathf("/api/ordens/%s/status", ordem), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	snprintf(out, 32, "%s", json_str(data_object(&r), "status"));
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

/* ---- the link ---- */

/* The token of order ordem with key, valid for validade seconds from now (negative: expired). */
static void assinar(const char *key, const char *ordem, long validade, char out[LINK_MAX])
{
	struct uuid u;
	assert_int_equal(uuid_parse(ordem, &u), 0);
	orcamento_link_assinar(key, strlen(key), &u, (int64_t)time(NULL) + validade, out);
	assert_true(strlen(out) > 80);
}

static void pagina(const struct test_server *s, const char *method, const char *token,
                   const char *const headers[], const char *body, struct http_response *r)
{
	char url[512];
	test_server_url(s, pathf("/orcamentos/%s", token), url, sizeof url);
	assert_int_equal(http_request(method, url, headers, body, body ? strlen(body) : 0, r), 0);
}

static void ver(const char *token, struct http_response *r)
{
	static const char *const h[] = {"Accept: text/html", NULL};
	pagina(&srv, "GET", token, h, NULL, r);
}

static void decidir(const char *token, const char *body, struct http_response *r)
{
	static const char *const h[] = {FORM, NULL};
	pagina(&srv, "POST", token, h, body, r);
}

static void assert_header(const struct http_response *r, const char *name, const char *value)
{
	const char *v = http_response_header(r, name);
	if (!v || strcmp(v, value) != 0)
		fail_msg("%s: \"%s\", expected \"%s\"", name, v ? v : "(none)", value);
}

static void assert_contem(const struct http_response *r, const char *part)
{
	if (!r->body || !strstr(r->body, part))
		fail_msg("the page lacks \"%s\":\n%s", part, r->body ? r->body : "(no body)");
}

static void assert_nao_contem(const struct http_response *r, const char *part)
{
	if (r->body && strstr(r->body, part))
		fail_msg("the page has \"%s\":\n%s", part, r->body);
}

/*
 * An HTML page with status and every security header. The CSP is exactly the strict one, its
 * style hash the SHA-256 of the <style> the page carries: the browser applies that style and
 * nothing else (no other style, no script at all). A 303 carries the same CSP.
 */
static void assert_pagina(const struct http_response *r, long status)
{
	static char csp[256]; /* of the last page, for the 303 */
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[64];

	assert_status(r, status);
	assert_header(r, "Content-Type", "text/html; charset=utf-8");
	assert_header(r, "X-Content-Type-Options", "nosniff");
	assert_header(r, "Referrer-Policy", "no-referrer");
	assert_header(r, "Cache-Control", "no-store");
	assert_header(r, "X-Frame-Options", "DENY");
	assert_non_null(http_response_header(r, "X-Correlation-Id"));
	if (status != 303) {
		assert_contem(r, "<html lang=\"pt-BR\">");
		assert_contem(r, "<meta name=\"viewport\"");
		assert_nao_contem(r, "<script");
		const char *a = strstr(r->body, "<style>"), *b = a ? strstr(a, "</style>") : NULL;
		assert_non_null(b);
		a += strlen("<style>");
		crypto_hash_sha256(h, (const unsigned char *)a, (unsigned long long)(b - a));
		sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
		snprintf(csp, sizeof csp,
		         "default-src 'none'; style-src 'sha256-%s'; form-action 'self'; "
		         "frame-ancestors 'none'; base-uri 'none'",
		         b64);
	}
	assert_true(csp[0]);
	assert_header(r, "Content-Security-Policy", csp);
}

static void assert_botoes(const struct http_response *r, bool presentes)
{
	if (presentes) {
		assert_contem(r, "<form method=\"post\">");
		assert_contem(r, "id=\"aprovar\" name=\"decisao\" value=\"APROVADO\"");
		assert_contem(r, "id=\"recusar\" name=\"decisao\" value=\"REPROVADO\"");
	} else {
		assert_nao_contem(r, "<form");
		assert_nao_contem(r, "id=\"aprovar\"");
		assert_nao_contem(r, "id=\"recusar\"");
	}
}

/* ---- tests ---- */

static void test_get__numero_itens_total_botoes_e_csp(void **state)
{
	struct ordem_teste t;
	char token[LINK_MAX];
	struct http_response r;
	(void)state;

	ordem_aguardando("Uno Mille", "Troca de óleo", "150.00", "Filtro de óleo", 10, 2, &t);
	assinar(LINK_SECRET, t.ordem, 3600, token);
	ver(token, &r);
	assert_pagina(&r, 200);
	assert_contem(&r, t.numero);
	assert_contem(&r, "Fiat Uno Mille");
	assert_contem(&r, "Troca de óleo");
	assert_contem(&r, "R$&nbsp;150,00");
	assert_contem(&r, "Filtro de óleo");
	assert_contem(&r, "R$&nbsp;71,00");  /* 2 × 35,50 */
	assert_contem(&r, "R$&nbsp;221,00"); /* the total */
	assert_botoes(&r, true);
	http_response_cleanup(&r);

	/* HEAD answers the same headers, and nothing changed. */
	char url[512], st[32];
	test_server_url(&srv, pathf("/orcamentos/%s", token), url, sizeof url);
	assert_int_equal(http_request("HEAD", url, NULL, NULL, 0, &r), 0);
	assert_status(&r, 200);
	assert_non_null(strstr(http_response_header(&r, "Content-Security-Policy"), "'sha256-"));
	http_response_cleanup(&r);
	status_de(t.ordem, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");
}

static void test_post_aprovado__303_em_execucao_estoque_e_decisao_sem_botoes(void **state)
{
	struct ordem_teste t;
	char token[LINK_MAX], location[256], st[32];
	struct http_response r;
	(void)state;

	ordem_aguardando("Palio", "Alinhamento", "80.00", "Pastilha de freio", 10, 2, &t);
	assinar(LINK_SECRET, t.ordem, 3600, token);
	ver(token, &r);
	assert_pagina(&r, 200);
	assert_botoes(&r, true);
	http_response_cleanup(&r);
	decidir(token, "decisao=APROVADO", &r);
	assert_pagina(&r, 303);
	snprintf(location, sizeof location, "/orcamentos/%s", token);
	assert_header(&r, "Location", location);
	http_response_cleanup(&r);

	status_de(t.ordem, st);
	assert_string_equal(st, "EM_EXECUCAO");
	assert_int_equal(saldo(t.peca), 8);
	api_call(&srv, "GET", pathf("/api/ordens/%s", t.ordem), admin, NULL, NULL, &r);
	assert_status(&r, 200);
	json_t *d = data_object(&r);
	assert_string_equal(json_str(json_object_get(d, "orcamento"), "decisao"), "APROVADO");
	json_t *h = json_object_get(d, "historico");
	json_t *ultimo = json_array_get(h, json_array_size(h) - 1);
	assert_string_equal(json_str(ultimo, "status"), "EM_EXECUCAO");
	assert_string_equal(json_str(ultimo, "por"), "link");
	http_response_cleanup(&r);

	/* The page after the redirect: the decision, no buttons. */
	ver(token, &r);
	assert_pagina(&r, 200);
	assert_contem(&r, "Orçamento aprovado");
	assert_contem(&r, t.numero);
	assert_botoes(&r, false);
	http_response_cleanup(&r);

	/* The same decision again (a second click, a reload): 303, nothing more happens. */
	decidir(token, "decisao=APROVADO", &r);
	assert_pagina(&r, 303);
	http_response_cleanup(&r);
	assert_int_equal(saldo(t.peca), 8);

	/* The opposite decision: 409 page with the reason, nothing changes. */
	decidir(token, "decisao=REPROVADO", &r);
	assert_pagina(&r, 409);
	assert_contem(&r, "já foi aprovado");
	assert_contem(&r, "Orçamento aprovado");
	assert_botoes(&r, false);
	http_response_cleanup(&r);
	status_de(t.ordem, st);
	assert_string_equal(st, "EM_EXECUCAO");
	assert_int_equal(saldo(t.peca), 8);
}

static void test_post_reprovado__cancelada_sem_mexer_no_estoque(void **state)
{
	struct ordem_teste t;
	char token[LINK_MAX], st[32];
	struct http_response r;
	(void)state;

	ordem_aguardando("Gol", "Revisão", "300.00", "Correia dentada", 4, 1, &t);
	assinar(LINK_SECRET, t.ordem, 3600, token);
	/* Percent-encoded and with a charset parameter, as some browsers send it. */
	static const char *const h[] = {
	    "Content-Type: application/x-www-form-urlencoded; charset=UTF-8", NULL};
	pagina(&srv, "POST", token, h, "decisao=REPROVAD%4F", &r);
	assert_pagina(&r, 303);
	http_response_cleanup(&r);
	status_de(t.ordem, st);
	assert_string_equal(st, "CANCELADA");
	assert_int_equal(saldo(t.peca), 4);

	ver(token, &r);
	assert_pagina(&r, 200);
	assert_contem(&r, "Orçamento recusado");
	assert_botoes(&r, false);
	http_response_cleanup(&r);

	decidir(token, "decisao=APROVADO", &r);
	assert_pagina(&r, 409);
	assert_botoes(&r, false);
	http_response_cleanup(&r);
	assert_int_equal(saldo(t.peca), 4);
}

static void test_estoque_curto__409_com_mensagem_legivel_e_nada_muda(void **state)
{
	struct ordem_teste t;
	char token[LINK_MAX], st[32];
	struct http_response r;
	(void)state;

	ordem_aguardando("Siena", "Troca de freios", "200.00", "Disco de freio ventilado", 1, 3,
	                 &t);
	assinar(LINK_SECRET, t.ordem, 3600, token);
	decidir(token, "decisao=APROVADO", &r);
	assert_pagina(&r, 409);
	assert_contem(&r, "Não foi possível aprovar o orçamento agora");
	assert_contem(&r, "Disco de freio ventilado");
	assert_contem(&r, "faltam 2");
	assert_contem(&r, "role=\"alert\"");
	assert_contem(&r, t.numero);
	assert_botoes(&r, true); /* it still awaits a decision: refusing, or later approving */
	http_response_cleanup(&r);
	status_de(t.ordem, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");
	assert_int_equal(saldo(t.peca), 1);
}

static void test_token_adulterado_outra_chave_outra_ordem__404_expirado__410(void **state)
{
	struct ordem_teste t, outra;
	char token[LINK_MAX], x[LINK_MAX], st[32], desconhecida[UUID_MAX];
	struct http_response r;
	(void)state;

	ordem_aguardando("Argo", "Balanceamento", "60.00", "Válvula", 5, 1, &t);
	ordem_aguardando("Mobi", "Balanceamento", "60.00", "Válvula", 5, 1, &outra);
	assinar(LINK_SECRET, t.ordem, 3600, token);

	/* One character changed in the uuid, in the expiry, in the MAC. */
	size_t posicoes[] = {3, 40, strlen(token) - 5};
	for (size_t i = 0; i < 3; i++) {
		memcpy(x, token, sizeof x);
		x[posicoes[i]] = x[posicoes[i]] == '1' ? '2' : '1';
		ver(x, &r);
		assert_pagina(&r, 404);
		assert_contem(&r, "Link inválido");
		assert_botoes(&r, false);
		http_response_cleanup(&r);
	}
	/* Another order's uuid under this token's MAC. */
	memcpy(x, token, sizeof x);
	memcpy(x, outra.ordem, 36);
	ver(x, &r);
	assert_pagina(&r, 404);
	assert_contem(&r, "Link inválido");
	http_response_cleanup(&r);
	/* The right order, signed with another key: GET and POST. */
	assinar(OUTRA_CHAVE, t.ordem, 3600, x);
	ver(x, &r);
	assert_pagina(&r, 404);
	assert_contem(&r, "Link inválido");
	assert_nao_contem(&r, t.numero);
	http_response_cleanup(&r);
	decidir(x, "decisao=APROVADO", &r);
	assert_pagina(&r, 404);
	http_response_cleanup(&r);
	/* A JWT in the path: an API token is no link. */
	ver("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", &r);
	assert_pagina(&r, 404);
	http_response_cleanup(&r);

	/* Expired: 410, for the page and for the decision. */
	assinar(LINK_SECRET, t.ordem, -60, x);
	ver(x, &r);
	assert_pagina(&r, 410);
	assert_contem(&r, "Link expirado");
	assert_nao_contem(&r, t.numero);
	http_response_cleanup(&r);
	decidir(x, "decisao=APROVADO", &r);
	assert_pagina(&r, 410);
	http_response_cleanup(&r);

	/* Well signed for an order that does not exist. */
	random_uuid_v4(desconhecida);
	assinar(LINK_SECRET, desconhecida, 3600, x);
	ver(x, &r);
	assert_pagina(&r, 404);
	assert_contem(&r, "não encontrada");
	http_response_cleanup(&r);

	status_de(t.ordem, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");
	assert_int_equal(saldo(t.peca), 5);
}

static void test_segmento_malformado__404_de_rota(void **state)
{
	char longo[200], url[512], token[LINK_MAX], desconhecida[UUID_MAX];
	struct http_response r;
	(void)state;

	memset(longo, 'a', 128);
	longo[128] = '\0';
	const char *caminhos[] = {
	    "/orcamentos/",
	    "/orcamentos/abc%20def",
	    "/orcamentos/abc~def",
	    "/orcamentos/abc!def",
	    "/orcamentos/a/b",
	    "/orcamentos",
	    pathf("/orcamentos/%s", longo),
	};
	for (size_t i = 0; i < sizeof caminhos / sizeof caminhos[0]; i++) {
		test_server_url(&srv, caminhos[i], url, sizeof url);
		assert_int_equal(http_request("GET", url, NULL, NULL, 0, &r), 0);
		json_t *p = assert_problem(&r, 404);
		assert_string_equal(json_str(p, "detail"), "rota não encontrada");
		http_response_cleanup(&r);
	}
	/* 127 characters is still a token (an invalid one). */
	longo[127] = '\0';
	ver(longo, &r);
	assert_pagina(&r, 404);
	assert_contem(&r, "Link inválido");
	http_response_cleanup(&r);

	/* A known path with another method: 405 with Allow. */
	random_uuid_v4(desconhecida);
	assinar(LINK_SECRET, desconhecida, 3600, token);
	static const char *const h[] = {"Content-Type: application/json", NULL};
	pagina(&srv, "PUT", token, h, "{}", &r);
	assert_problem(&r, 405);
	assert_non_null(strstr(http_response_header(&r, "Allow"), "POST"));
	http_response_cleanup(&r);
}

static void test_formulario_invalido__400_ou_415_e_nada_muda(void **state)
{
	struct ordem_teste t;
	char token[LINK_MAX], st[32];
	struct http_response r;
	(void)state;

	ordem_aguardando("Toro", "Diagnóstico", "90.00", "Sensor", 3, 1, &t);
	assinar(LINK_SECRET, t.ordem, 3600, token);
	const char *ruins[] = {
	    "",
	    "decisao=",
	    "decisao=TALVEZ",
	    "decisao=aprovado",
	    "decisao=APROVADO&decisao=REPROVADO",
	    "decisao=APROVADO&x=1",
	    "decisao=APROVADO%00",
	    "decisao=APROVADO%4",
	    "Decisao=APROVADO",
	    "APROVADO",
	    "decisao=APROVADOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO",
	};
	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		decidir(token, ruins[i], &r);
		assert_pagina(&r, 400);
		assert_contem(&r, "Pedido inválido");
		http_response_cleanup(&r);
	}
	static const char *const json[] = {"Content-Type: application/json", NULL};
	pagina(&srv, "POST", token, json, "{\"decisao\": \"APROVADO\"}", &r);
	assert_pagina(&r, 415);
	http_response_cleanup(&r);
	pagina(&srv, "POST", token, NULL, NULL, &r);
	assert_pagina(&r, 415);
	http_response_cleanup(&r);

	status_de(t.ordem, st);
	assert_string_equal(st, "AGUARDANDO_APROVACAO");
	assert_int_equal(saldo(t.peca), 3);
}

static void test_script_no_modelo_e_no_servico__escapado(void **state)
{
	struct ordem_teste t;
	char token[LINK_MAX];
	struct http_response r;
	(void)state;

	ordem_aguardando("<script>alert(1)</script>", "<script>alert('s')</script> & <b>", "10.00",
	                 "Peça \"<img src=x onerror=alert(2)>\"", 5, 1, &t);
	assinar(LINK_SECRET, t.ordem, 3600, token);
	ver(token, &r);
	assert_pagina(&r, 200);
	assert_nao_contem(&r, "<script");
	assert_nao_contem(&r, "<img");
	assert_nao_contem(&r, "<b>");
	assert_contem(&r, "Fiat &lt;script&gt;alert(1)&lt;/script&gt;");
	assert_contem(&r, "&lt;script&gt;alert(&#39;s&#39;)&lt;/script&gt; &amp; &lt;b&gt;");
	assert_contem(&r, "Peça &quot;&lt;img src=x onerror=alert(2)&gt;&quot;");
	assert_botoes(&r, true);
	http_response_cleanup(&r);
}

static void test_sem_segredo__link_desativado_404(void **state)
{
	static struct test_server sem; /* server.c remembers its address until the end */
	char token[LINK_MAX], url[512], desconhecida[UUID_MAX];
	struct http_response r;
	(void)state;

	test_server_start(&sem, NULL); /* APP_ENV=test, no ORCAMENTO_LINK_SECRET: links are off */
	random_uuid_v4(desconhecida);
	assinar(LINK_SECRET, desconhecida, 3600, token);
	test_server_url(&sem, pathf("/orcamentos/%s", token), url, sizeof url);
	assert_int_equal(http_request("GET", url, NULL, NULL, 0, &r), 0);
	assert_pagina(&r, 404);
	assert_contem(&r, "Link desativado");
	http_response_cleanup(&r);
	static const char *const h[] = {FORM, NULL};
	const char *body = "decisao=APROVADO";
	assert_int_equal(http_request("POST", url, h, body, strlen(body), &r), 0);
	assert_pagina(&r, 404);
	assert_contem(&r, "Link desativado");
	http_response_cleanup(&r);
	test_server_stop(&sem);
}

static void test_gateway__pagina_sem_x_api_key_mas_com_limite(void **state)
{
	static struct test_server gw; /* server.c remembers its address until the end */
	static const char *const env[] = {"ORCAMENTO_LINK_SECRET=" LINK_SECRET,
	                                  "GATEWAY_API_KEY=chave-do-gateway-de-teste-0123456789",
	                                  "RATE_LIMIT_PER_MINUTE=3", NULL};
	char token[LINK_MAX], desconhecida[UUID_MAX];
	struct http_response r;
	(void)state;

	rate_limit_window_fresh();
	test_server_start(&gw, env);
	random_uuid_v4(desconhecida);
	assinar(LINK_SECRET, desconhecida, 3600, token);
	/* No x-api-key: the API refuses, the page answers (the order does not exist). */
	api_call(&gw, "GET", "/api/ping", NULL, NULL, NULL, &r);
	assert_problem(&r, 401);
	http_response_cleanup(&r);
	pagina(&gw, "GET", token, NULL, NULL, &r);
	assert_pagina(&r, 404);
	assert_contem(&r, "não encontrada");
	http_response_cleanup(&r);
	/* Beyond 3 requests of this client in a minute: 429 (a window may end meanwhile, once). */
	bool limitado = false;
	for (int i = 0; i < 10 && !limitado; i++) {
		pagina(&gw, "GET", token, NULL, NULL, &r);
		if (r.status == 429) {
			assert_problem(&r, 429);
			assert_non_null(http_response_header(&r, "Retry-After"));
			limitado = true;
		} else {
			assert_pagina(&r, 404);
		}
		http_response_cleanup(&r);
	}
	assert_true(limitado);
	test_server_stop(&gw);
}

/* `oficina serve` with env (a clean environment plus these): exit status, first line in out. */
static int serve_com(const char *env, char *out, size_t n)
{
	char cmd[1024];
	snprintf(
	    cmd, sizeof cmd,
	    "env -i PATH=/usr/bin:/bin APP_ENV=test PORT=0 JWT_SECRET=%s %s timeout 10 %s serve "
	    "2>&1",
	    TEST_JWT_SECRET, env, test_oficina_bin());
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	if (!fgets(out, (int)n, f))
		out[0] = '\0';
	while (fgetc(f) != EOF)
		;
	int st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_configuracao__segredo_curto_ou_reusado_impede_o_inicio(void **state)
{
	char linha[512];
	(void)state;

	assert_int_equal(serve_com("ORCAMENTO_LINK_SECRET=curta-demais", linha, sizeof linha), 1);
	assert_non_null(strstr(linha, "ORCAMENTO_LINK_SECRET"));
	assert_null(strstr(linha, "curta-demais")); /* a secret is never echoed */
	assert_int_equal(serve_com("ORCAMENTO_LINK_SECRET=" TEST_JWT_SECRET, linha, sizeof linha),
	                 1);
	assert_non_null(strstr(linha, "ORCAMENTO_LINK_SECRET"));
	assert_non_null(strstr(linha, "JWT_SECRET"));
	assert_int_equal(serve_com("ORCAMENTO_LINK_SECRET=" LINK_SECRET
	                           " ORCAMENTO_LINK_TTL_HOURS=721",
	                           linha, sizeof linha),
	                 1);
	assert_non_null(strstr(linha, "ORCAMENTO_LINK_TTL_HOURS"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_get__numero_itens_total_botoes_e_csp),
	    cmocka_unit_test(test_post_aprovado__303_em_execucao_estoque_e_decisao_sem_botoes),
	    cmocka_unit_test(test_post_reprovado__cancelada_sem_mexer_no_estoque),
	    cmocka_unit_test(test_estoque_curto__409_com_mensagem_legivel_e_nada_muda),
	    cmocka_unit_test(test_token_adulterado_outra_chave_outra_ordem__404_expirado__410),
	    cmocka_unit_test(test_segmento_malformado__404_de_rota),
	    cmocka_unit_test(test_formulario_invalido__400_ou_415_e_nada_muda),
	    cmocka_unit_test(test_script_no_modelo_e_no_servico__escapado),
	    cmocka_unit_test(test_sem_segredo__link_desativado_404),
	    cmocka_unit_test(test_gateway__pagina_sem_x_api_key_mas_com_limite),
	    cmocka_unit_test(test_configuracao__segredo_curto_ou_reusado_impede_o_inicio),
	};
	int failures = cmocka_run_group_tests(tests, group_setup, group_teardown);
	return test_server_finish(failures);
}
