/*
 * Unit tests of the answers when an allocation fails while they are built (presentation layer;
 * cmocka, domain/heap.h, jansson allocating through it): each view and each answer is built once
 * per allocation it makes, with exactly that allocation failing. A view is then NULL or whole
 * (never an object with a field or an item silently missing), and an answer is then whole (the
 * 200, or the problem with every member) or a 500 problem, rendered or the static one, and
 * finalizing it again changes nothing; LeakSanitizer checks the failure paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "domain/heap.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

#define ATTEMPTS_MAX 400

static struct ordem_detalhe detalhe(void)
{
	static struct ordem_item servicos[2], pecas[3];
	static struct ordem_historico_item historico[3];
	struct ordem_detalhe d;

	memset(&d, 0, sizeof d);
	snprintf(d.ordem.uuid.str, sizeof d.ordem.uuid.str, "0b1e4c1a-7d2f-4a8e-9c3b-5e6f7a8b9c0d");
	snprintf(d.ordem.numero, sizeof d.ordem.numero, "OS-2026-000001");
	d.ordem.status = ORDEM_EM_EXECUCAO;
	snprintf(d.cliente_nome, sizeof d.cliente_nome, "Maria da Silva");
	snprintf(d.placa, sizeof d.placa, "ABC1D23");
	for (size_t i = 0; i < 2; i++) {
		snprintf(servicos[i].nome, sizeof servicos[i].nome, "Serviço %zu", i);
		servicos[i].quantidade = 1;
		servicos[i].valor_unitario = 15000;
	}
	for (size_t i = 0; i < 3; i++) {
		snprintf(pecas[i].nome, sizeof pecas[i].nome, "Peça %zu", i);
		pecas[i].quantidade = 2;
		pecas[i].valor_unitario = 3550;
		historico[i].status = (enum ordem_status)i;
		snprintf(historico[i].por, sizeof historico[i].por, "atendente");
	}
	d.servicos = (struct ordem_itens){.itens = servicos, .n = 2};
	d.pecas = (struct ordem_itens){.itens = pecas, .n = 3};
	d.historico = historico;
	d.n_historico = 3;
	return d;
}

static char *dump(const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(s);
	return s;
}

/* Builds view(arg) with each of its allocations failing: NULL, or exactly the whole view. */
static void view_whole_or_null(json_t *(*build)(const void *), const void *arg)
{
	json_t *ref = build(arg);
	assert_non_null(ref);
	char *whole = dump(ref);
	json_decref(ref);
	unsigned long n;

	for (n = 1; n <= ATTEMPTS_MAX; n++) {
		heap_fail_at(n);
		json_t *j = build(arg);
		unsigned long made = heap_attempts();
		heap_fail_at(0);
		if (j) {
			char *got = dump(j);
			if (strcmp(got, whole) != 0)
				fail_msg(
				    "allocation %lu failing: a partial view\n%s\ninstead of\n%s", n,
				    got, whole);
			free(got);
			json_decref(j);
		}
		if (made < n)
			break;
	}
	assert_true(n > 1);
	free(whole);
}

static json_t *build_ordem(const void *arg)
{
	return view_ordem(arg);
}

static void test_view_ordem__cada_alocacao_falhando__nula_ou_inteira(void **state)
{
	struct ordem_detalhe d = detalhe();
	(void)state;
	view_whole_or_null(build_ordem, &d);
}

static json_t *build_cliente(const void *arg)
{
	return view_cliente(arg);
}

static json_t *build_veiculo(const void *arg)
{
	return view_veiculo(arg);
}

static json_t *build_usuario(const void *arg)
{
	return view_usuario(arg);
}

static json_t *build_servico(const void *arg)
{
	return view_servico(arg);
}

static json_t *build_peca(const void *arg)
{
	return view_peca(arg);
}

static json_t *build_movimento(const void *arg)
{
	return view_movimento(arg);
}

static void test_views_das_entidades__cada_alocacao_falhando__nulas_ou_inteiras(void **state)
{
	struct cliente c = {.ativo = true};
	struct veiculo v = {.ano = 2015, .ativo = true};
	struct usuario u = {.perfil = PERFIL_MECANICO, .ativo = true};
	struct servico sv = {.valor_centavos = 15000, .tempo_estimado_minutos = 30, .ativo = true};
	struct peca p = {.valor_centavos = 3550, .quantidade_estoque = 7, .ativo = true};
	struct movimento m = {.quantidade = -2, .saldo = 5};
	(void)state;

	snprintf(c.nome, sizeof c.nome, "Maria da Silva");
	snprintf(c.email, sizeof c.email, "maria@example.com");
	snprintf(v.placa, sizeof v.placa, "ABC1D23");
	snprintf(v.cor, sizeof v.cor, "prata");
	snprintf(u.nome, sizeof u.nome, "João Mecânico");
	snprintf(sv.nome, sizeof sv.nome, "Troca de óleo");
	snprintf(sv.descricao, sizeof sv.descricao, "com filtro");
	snprintf(p.nome, sizeof p.nome, "Filtro de óleo");
	snprintf(p.codigo, sizeof p.codigo, "F-1");
	snprintf(m.motivo, sizeof m.motivo, "ordem aprovada");
	view_whole_or_null(build_cliente, &c);
	view_whole_or_null(build_veiculo, &v);
	view_whole_or_null(build_usuario, &u);
	view_whole_or_null(build_servico, &sv);
	view_whole_or_null(build_peca, &p);
	view_whole_or_null(build_movimento, &m);
}

static json_t *build_lista_de_ordens(const void *arg)
{
	/* What RESPONSE_LISTA builds, through a response: the body, or NULL when it failed. */
	const struct lista *l = arg;
	struct lista copia = *l;
	struct response res = {.status = 500};
	struct request req;
	struct pagina page = {.pagina = 1, .por_pagina = 20};

	memset(&req, 0, sizeof req);
	req.path = "/api/ordens";
	copia.itens = malloc(l->n * sizeof(struct ordem_resumo));
	assert_non_null(copia.itens);
	memcpy(copia.itens, l->itens, l->n * sizeof(struct ordem_resumo));
	RESPONSE_LISTA(&res, &req, 0, &page, &copia, struct ordem_resumo, view_ordem_resumo);
	json_t *body = res.view_failed ? NULL : json_incref(res.body);
	response_cleanup(&res);
	return body;
}

static void test_lista__cada_alocacao_falhando__nula_ou_inteira(void **state)
{
	struct ordem_resumo itens[4];
	struct lista l = {.itens = itens, .n = 4, .total = 4};
	(void)state;

	memset(itens, 0, sizeof itens);
	for (size_t i = 0; i < 4; i++) {
		snprintf(itens[i].numero, sizeof itens[i].numero, "OS-2026-00000%zu", i);
		snprintf(itens[i].cliente_nome, sizeof itens[i].cliente_nome, "Cliente %zu", i);
	}
	view_whole_or_null(build_lista_de_ordens, &l);
}

static void test_resposta__cada_alocacao_falhando__200_inteira_ou_problema_500(void **state)
{
	struct ordem_detalhe d = detalhe();
	struct request req;
	unsigned long n;
	(void)state;

	memset(&req, 0, sizeof req);
	req.path = "/api/ordens/0b1e4c1a-7d2f-4a8e-9c3b-5e6f7a8b9c0d";
	snprintf(req.correlation_id, sizeof req.correlation_id, "corr-oom-2");
	for (n = 1; n <= ATTEMPTS_MAX; n++) {
		struct response res = {.status = 500};
		heap_fail_at(n);
		response_created(&res, "/api/ordens", d.ordem.uuid.str, view_ordem(&d));
		bool built = response_finalize(&res, &req);
		unsigned long made = heap_attempts();
		heap_fail_at(0);
		if (res.status == 201) {
			assert_true(built);
			assert_non_null(res.raw);
			assert_non_null(strstr(res.raw, "\"numero\":\"OS-2026-000001\""));
		} else {
			/* A problem: rendered, or the static one when not even that could be. */
			assert_int_equal(res.status, 500);
			assert_true(res.problem);
			const char *body = res.raw ? res.raw : res.fixed;
			assert_non_null(body);
			assert_non_null(strstr(body, "\"status\":500"));
			assert_string_equal(res.raw_type, "application/problem+json");
		}
		response_cleanup(&res);
		if (made < n)
			break;
	}
	assert_true(n > 1);
}

static void test_problema__cada_alocacao_falhando__inteiro_ou_500(void **state)
{
	struct field_errors fe;
	struct request req;
	unsigned long n;
	(void)state;

	memset(&req, 0, sizeof req);
	req.path = "/api/clientes";
	snprintf(req.correlation_id, sizeof req.correlation_id, "corr-oom-3");
	field_errors_init(&fe);
	field_errors_add(&fe, "nome", "deve ter de 3 a 120 caracteres");
	field_errors_add(&fe, "documento", "CPF inválido");
	for (n = 1; n <= ATTEMPTS_MAX; n++) {
		struct response res = {.status = 500};
		heap_fail_at(n);
		response_error(&res, &req, APP_EINVALID, &fe);
		response_finalize(&res, &req);
		unsigned long made = heap_attempts();
		heap_fail_at(0);
		const char *body = res.raw ? res.raw : res.fixed;
		assert_non_null(body);
		assert_string_equal(res.raw_type, "application/problem+json");
		if (res.status == 422) { /* whole: every member and both errors */
			const char *members[] = {"\"type\"",
			                         "\"title\"",
			                         "\"status\":422",
			                         "\"detail\"",
			                         "\"instance\":\"/api/clientes\"",
			                         "\"correlation_id\":\"corr-oom-3\"",
			                         "\"nome\"",
			                         "\"documento\""};
			for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
				if (!strstr(body, members[i]))
					fail_msg("allocation %lu failing: %s missing from %s", n,
					         members[i], body);
		} else {
			assert_int_equal(res.status, 500);
			assert_non_null(strstr(body, "\"status\":500"));
		}
		/* Finalizing again (the I/O thread does) changes nothing. */
		const char *antes = body;
		unsigned status = res.status;
		assert_true(response_finalize(&res, &req));
		assert_int_equal(res.status, status);
		assert_ptr_equal(res.raw ? res.raw : res.fixed, antes);
		response_cleanup(&res);
		if (made < n)
			break;
	}
	assert_true(n > 1);
}

int main(void)
{
	json_set_alloc_funcs(heap_alloc, heap_free);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_view_ordem__cada_alocacao_falhando__nula_ou_inteira),
	    cmocka_unit_test(test_views_das_entidades__cada_alocacao_falhando__nulas_ou_inteiras),
	    cmocka_unit_test(test_lista__cada_alocacao_falhando__nula_ou_inteira),
	    cmocka_unit_test(test_resposta__cada_alocacao_falhando__200_inteira_ou_problema_500),
	    cmocka_unit_test(test_problema__cada_alocacao_falhando__inteiro_ou_500),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
