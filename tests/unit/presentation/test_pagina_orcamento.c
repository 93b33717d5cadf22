/*
 * Unit tests of the budget link's HTML pages (presentation/http/pagina_orcamento.c): the CSP's
 * style hash recomputed from the style the pages carry (libsodium SHA-256, base64), the security
 * headers, every database text escaped, the buttons only while the budget awaits a decision,
 * money as Brazilians write it, nothing external (no script, image, font, stylesheet or URL),
 * and a page built whole or not at all when an allocation fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "domain/heap.h"
#include "presentation/http/pagina_orcamento.h"
#include "presentation/http/response.h"

#define ATTEMPTS_MAX 200
#define XSS          "<script>alert('x')</script>\"&"
#define XSS_ESCAPADO "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"

static struct ordem_item servicos[1], pecas[2];

static struct ordem_detalhe detalhe(enum ordem_status status, enum orcamento_decisao decisao)
{
	struct ordem_detalhe d;

	memset(&d, 0, sizeof d);
	memset(servicos, 0, sizeof servicos);
	memset(pecas, 0, sizeof pecas);
	snprintf(d.ordem.uuid.str, sizeof d.ordem.uuid.str, "0b1e4c1a-7d2f-4a8e-9c3b-5e6f7a8b9c0d");
	snprintf(d.ordem.numero, sizeof d.ordem.numero, "OS-2026-000042");
	d.ordem.status = status;
	d.ordem.decisao = decisao;
	d.ordem.tem_orcamento = true;
	d.ordem.orcamento = (struct orcamento){15000, 123441900, 123456900};
	snprintf(d.placa, sizeof d.placa, "ABC1D23");
	snprintf(d.marca, sizeof d.marca, "Fiat");
	snprintf(d.modelo, sizeof d.modelo, "Uno");
	d.ano = 2015;
	snprintf(servicos[0].nome, sizeof servicos[0].nome, "Troca de óleo");
	servicos[0].quantidade = 1;
	servicos[0].valor_unitario = 15000;
	snprintf(pecas[0].nome, sizeof pecas[0].nome, "Filtro de óleo");
	pecas[0].quantidade = 2;
	pecas[0].valor_unitario = 3550;
	snprintf(pecas[1].nome, sizeof pecas[1].nome, "Motor");
	pecas[1].quantidade = 1;
	pecas[1].valor_unitario = 123434800;
	d.servicos = (struct ordem_itens){.itens = servicos, .n = 1};
	d.pecas = (struct ordem_itens){.itens = pecas, .n = 2};
	return d;
}

/* Asserts that html loads nothing from anywhere and runs nothing. */
static void assert_autocontida(const char *html)
{
	const char *proibidos[] = {"<script", "<link",       "<img",   "<iframe", "<object",
	                           "src=",    "http:",       "https:", "//",      "@import",
	                           "url(",    "javascript:", " on"};
	for (size_t i = 0; i < sizeof proibidos / sizeof proibidos[0]; i++)
		if (strstr(html, proibidos[i]))
			fail_msg("the page has \"%s\":\n%s", proibidos[i], html);
	assert_non_null(strstr(html, "<html lang=\"pt-BR\">"));
	assert_non_null(strstr(html, "<meta name=\"viewport\" content=\"width=device-width, "
	                             "initial-scale=1\">"));
}

static void test_csp__hash_do_estilo_recalculado(void **state)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
	                                   sodium_base64_VARIANT_ORIGINAL)];
	char esperado[256];
	(void)state;

	assert_true(sodium_init() >= 0);
	crypto_hash_sha256(h, (const unsigned char *)pagina_orcamento_estilo,
	                   strlen(pagina_orcamento_estilo));
	sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
	snprintf(esperado, sizeof esperado,
	         "default-src 'none'; style-src 'sha256-%s'; form-action 'self'; "
	         "frame-ancestors 'none'; base-uri 'none'",
	         b64);
	if (strcmp(pagina_orcamento_csp, esperado) != 0)
		fail_msg("the style changed: the CSP must be\n%s\nnot\n%s", esperado,
		         pagina_orcamento_csp);
	/* The page carries exactly that text in its one <style>. */
	struct ordem_detalhe d = detalhe(ORDEM_AGUARDANDO_APROVACAO, DECISAO_NENHUMA);
	char *html = pagina_orcamento_html(&d, NULL);
	assert_non_null(html);
	char *style = strstr(html, "<style>");
	assert_non_null(style);
	assert_null(strstr(style + 1, "<style"));
	assert_memory_equal(style + 7, pagina_orcamento_estilo, strlen(pagina_orcamento_estilo));
	assert_memory_equal(style + 7 + strlen(pagina_orcamento_estilo), "</style>", 8);
	heap_free(html);
}

static void test_aguardando__orcamento_inteiro_e_dois_botoes(void **state)
{
	struct ordem_detalhe d = detalhe(ORDEM_AGUARDANDO_APROVACAO, DECISAO_NENHUMA);
	(void)state;

	char *html = pagina_orcamento_html(&d, NULL);
	assert_non_null(html);
	assert_autocontida(html);
	assert_non_null(strstr(html, "OS-2026-000042"));
	assert_non_null(strstr(html, "ABC1D23"));
	assert_non_null(strstr(html, "Fiat Uno"));
	assert_non_null(strstr(html, "2015"));
	assert_non_null(strstr(html, "Troca de óleo"));
	assert_non_null(strstr(html, "R$&nbsp;150,00"));
	assert_non_null(strstr(html, "Filtro de óleo"));
	assert_non_null(strstr(html, "R$&nbsp;71,00"));        /* 2 × 35,50 */
	assert_non_null(strstr(html, "R$&nbsp;35,50 cada"));   /* the unit price, for 2 */
	assert_non_null(strstr(html, "R$&nbsp;1.234.348,00")); /* thousands */
	assert_non_null(strstr(html, "R$&nbsp;1.234.569,00")); /* the frozen total */
	assert_non_null(strstr(html, "<form method=\"post\">"));
	assert_non_null(strstr(html, "id=\"aprovar\" name=\"decisao\" value=\"APROVADO\""));
	assert_non_null(strstr(html, "id=\"recusar\" name=\"decisao\" value=\"REPROVADO\""));
	assert_null(strstr(html, " action="));
	heap_free(html);
}

static void test_decidido__decisao_sem_botoes(void **state)
{
	struct {
		enum ordem_status s;
		enum orcamento_decisao d;
		const char *texto;
	} casos[] = {
	    {ORDEM_EM_EXECUCAO, DECISAO_APROVADO, "Orçamento aprovado"},
	    {ORDEM_FINALIZADA, DECISAO_APROVADO, "Orçamento aprovado"},
	    {ORDEM_CANCELADA, DECISAO_REPROVADO, "Orçamento recusado"},
	    {ORDEM_CANCELADA, DECISAO_NENHUMA, "está cancelada"},
	    {ORDEM_EM_DIAGNOSTICO, DECISAO_NENHUMA, "está em diagnóstico"},
	};
	(void)state;

	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		struct ordem_detalhe d = detalhe(casos[i].s, casos[i].d);
		char *html = pagina_orcamento_html(&d, NULL);
		assert_non_null(html);
		assert_non_null(strstr(html, casos[i].texto));
		assert_null(strstr(html, "<form"));
		assert_null(strstr(html, "id=\"aprovar\""));
		assert_null(strstr(html, "id=\"recusar\""));
		heap_free(html);
	}
}

static void test_textos_do_banco__escapados(void **state)
{
	struct ordem_detalhe d = detalhe(ORDEM_AGUARDANDO_APROVACAO, DECISAO_NENHUMA);
	(void)state;

	snprintf(d.ordem.numero, sizeof d.ordem.numero, "<b>'\"&");
	snprintf(d.placa, sizeof d.placa, "<i>");
	snprintf(d.marca, sizeof d.marca, "%s", XSS);
	snprintf(d.modelo, sizeof d.modelo, "%s", XSS);
	snprintf(servicos[0].nome, sizeof servicos[0].nome, "%s", XSS);
	snprintf(pecas[0].nome, sizeof pecas[0].nome, "%s", XSS);
	char *html = pagina_orcamento_html(&d, "estoque insuficiente de \"<script>\"");
	assert_non_null(html);
	assert_autocontida(html);
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<i>"));
	assert_null(strstr(html, "alert('x')"));
	assert_non_null(strstr(html, "&lt;b&gt;&#39;&quot;&amp;"));
	assert_non_null(strstr(html, "&lt;i&gt;"));
	assert_non_null(strstr(html, XSS_ESCAPADO " " XSS_ESCAPADO)); /* marca modelo */
	assert_non_null(strstr(html, "estoque insuficiente de &quot;&lt;script&gt;&quot;"));
	assert_non_null(strstr(html, "role=\"alert\""));
	heap_free(html);

	html = pagina_orcamento_mensagem("<t>", "<p>" XSS, "<c>");
	assert_non_null(html);
	assert_autocontida(html);
	assert_null(strstr(html, "<t>"));
	assert_null(strstr(html, "<c>"));
	assert_non_null(strstr(html, "&lt;p&gt;" XSS_ESCAPADO));
	heap_free(html);
}

static void test_veiculo_sem_marca_modelo_ano(void **state)
{
	struct ordem_detalhe d = detalhe(ORDEM_AGUARDANDO_APROVACAO, DECISAO_NENHUMA);
	(void)state;

	d.marca[0] = d.modelo[0] = '\0';
	d.ano = 0;
	d.pecas.n = 0;
	char *html = pagina_orcamento_html(&d, NULL);
	assert_non_null(html);
	assert_non_null(strstr(html, "<strong>ABC1D23</strong></p>"));
	assert_null(strstr(html, "<h2>Peças</h2>"));
	heap_free(html);
}

static void test_resposta__cabecalhos_de_seguranca(void **state)
{
	struct response res = {.status = 500};
	struct request req;
	(void)state;

	memset(&req, 0, sizeof req);
	pagina_orcamento_responder(&res, 410,
	                           pagina_orcamento_mensagem("Link expirado", "x", NULL));
	assert_true(response_finalize(&res, &req));
	assert_int_equal(res.status, 410);
	assert_string_equal(res.raw_type, "text/html; charset=utf-8");
	const char *want[][2] = {
	    {"Content-Security-Policy", pagina_orcamento_csp},
	    {"X-Content-Type-Options", "nosniff"},
	    {"Referrer-Policy", "no-referrer"},
	    {"Cache-Control", "no-store"},
	    {"X-Frame-Options", "DENY"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t j = 0;
		while (j < res.n_headers && strcmp(res.headers[j].name, want[i][0]) != 0)
			j++;
		assert_true(j < res.n_headers);
		assert_string_equal(res.headers[j].value, want[i][1]);
	}
	response_cleanup(&res);

	res = (struct response){.status = 500};
	pagina_orcamento_redirecionar(&res, "/orcamentos/abc.1.x");
	assert_true(response_finalize(&res, &req));
	assert_int_equal(res.status, 303);
	assert_int_equal(res.n_headers, 6);
	assert_string_equal(res.headers[5].name, "Location");
	assert_string_equal(res.headers[5].value, "/orcamentos/abc.1.x");
	response_cleanup(&res);

	/* No page (memory ran out): a 500 problem. */
	res = (struct response){.status = 500};
	pagina_orcamento_responder(&res, 200, NULL);
	response_finalize(&res, &req);
	assert_int_equal(res.status, 500);
	response_cleanup(&res);
}

static void test_cada_alocacao_falhando__pagina_inteira_ou_nula(void **state)
{
	struct ordem_detalhe d = detalhe(ORDEM_AGUARDANDO_APROVACAO, DECISAO_NENHUMA);
	unsigned long n;
	(void)state;

	/* Long enough to grow the buffer more than once. */
	for (size_t i = 0; i < 2; i++)
		memset(pecas[i].nome, 'x', 400), pecas[i].nome[400] = '\0';
	char *whole = pagina_orcamento_html(&d, "aviso");
	assert_non_null(whole);
	for (n = 1; n <= ATTEMPTS_MAX; n++) {
		heap_fail_at(n);
		char *html = pagina_orcamento_html(&d, "aviso");
		unsigned long made = heap_attempts();
		heap_fail_at(0);
		if (html) {
			assert_string_equal(html, whole);
			heap_free(html);
		}
		if (made < n)
			break;
	}
	assert_true(n > 1);
	heap_free(whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csp__hash_do_estilo_recalculado),
	    cmocka_unit_test(test_aguardando__orcamento_inteiro_e_dois_botoes),
	    cmocka_unit_test(test_decidido__decisao_sem_botoes),
	    cmocka_unit_test(test_textos_do_banco__escapados),
	    cmocka_unit_test(test_veiculo_sem_marca_modelo_ano),
	    cmocka_unit_test(test_resposta__cabecalhos_de_seguranca),
	    cmocka_unit_test(test_cada_alocacao_falhando__pagina_inteira_ou_nula),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
