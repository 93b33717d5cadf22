/*
 * Unit tests of domain/ordem_status: the service-order state machine against the table of SPEC §5,
 * written out again here independently of the module's own table. Every (state, action) pair
 * (7 × 7), every (state, target) pair of ordem_acao_para, the allowed targets of every state, and
 * the names (domain layer; cmocka, no fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/ordem_status.h"

#define R  ORDEM_RECEBIDA
#define D  ORDEM_EM_DIAGNOSTICO
#define A  ORDEM_AGUARDANDO_APROVACAO
#define E  ORDEM_EM_EXECUCAO
#define F  ORDEM_FINALIZADA
#define EN ORDEM_ENTREGUE
#define C  ORDEM_CANCELADA
#define X  ORDEM_STATUS_INVALIDO

/* SPEC §5: esperado[state][action] = the state reached, or X when refused. */
static const enum ordem_status esperado[ORDEM_STATUS_COUNT][ACAO_COUNT] = {
    /*            diag orc aprov reprov final entrega cancel */
    [ORDEM_RECEBIDA] = {D, X, X, X, X, X, C},
    [ORDEM_EM_DIAGNOSTICO] = {X, A, X, X, X, X, C},
    [ORDEM_AGUARDANDO_APROVACAO] = {X, X, E, C, X, X, C},
    [ORDEM_EM_EXECUCAO] = {X, X, X, X, F, X, X},
    [ORDEM_FINALIZADA] = {X, X, X, X, X, EN, X},
    [ORDEM_ENTREGUE] = {X, X, X, X, X, X, X},
    [ORDEM_CANCELADA] = {X, X, X, X, X, X, X},
};

static const char *const nomes[ORDEM_STATUS_COUNT] = {
    "RECEBIDA", "EM_DIAGNOSTICO", "AGUARDANDO_APROVACAO", "EM_EXECUCAO", "FINALIZADA",
    "ENTREGUE", "CANCELADA"};
static const char *const acoes[ACAO_COUNT] = {"diagnostico", "orcamento",   "aprovacao",
                                              "reprovacao",  "finalizacao", "entrega",
                                              "cancelamento"};

static void test_ordem_transicao__cada_par_estado_acao__como_a_spec(void **state)
{
	(void)state;
	int checked = 0;
	for (int s = 0; s < ORDEM_STATUS_COUNT; s++)
		for (int a = 0; a < ACAO_COUNT; a++) {
			enum ordem_status got =
			    ordem_transicao((enum ordem_status)s, (enum ordem_acao)a);
			if (got != esperado[s][a])
				fail_msg("%s + %s = %d, esperado %d", nomes[s], acoes[a], got,
				         esperado[s][a]);
			checked++;
		}
	assert_int_equal(checked, 49);
}

static void test_ordem_transicao__valores_fora_da_faixa__invalido(void **state)
{
	(void)state;
	assert_int_equal(ordem_transicao(ORDEM_STATUS_INVALIDO, ACAO_DIAGNOSTICO), X);
	assert_int_equal(ordem_transicao(ORDEM_STATUS_COUNT, ACAO_DIAGNOSTICO), X);
	assert_int_equal(ordem_transicao(ORDEM_RECEBIDA, ACAO_INVALIDA), X);
	assert_int_equal(ordem_transicao(ORDEM_RECEBIDA, ACAO_COUNT), X);
}

/* The action PATCH .../status takes from s to para, derived from the SPEC table. */
static enum ordem_acao acao_esperada(int s, int para)
{
	/* Only AGUARDANDO_APROVACAO → CANCELADA has two actions: a PATCH is staff cancelling. */
	if (s == A && para == C)
		return ACAO_CANCELAMENTO;
	for (int a = 0; a < ACAO_COUNT; a++)
		if (esperado[s][a] == para)
			return (enum ordem_acao)a;
	return ACAO_INVALIDA;
}

static void test_ordem_acao_para__cada_par_estado_destino__como_a_spec(void **state)
{
	(void)state;
	int checked = 0, validos = 0;
	for (int s = 0; s < ORDEM_STATUS_COUNT; s++)
		for (int p = 0; p < ORDEM_STATUS_COUNT; p++) {
			enum ordem_acao got =
			    ordem_acao_para((enum ordem_status)s, (enum ordem_status)p);
			enum ordem_acao want = acao_esperada(s, p);
			if (got != want)
				fail_msg("%s -> %s: ação %d, esperada %d", nomes[s], nomes[p], got,
				         want);
			if (got != ACAO_INVALIDA) {
				validos++;
				/* The action found does lead there. */
				assert_int_equal(ordem_transicao((enum ordem_status)s, got), p);
			}
			checked++;
		}
	assert_int_equal(checked, 49);
	assert_int_equal(validos, 8); /* D,C | A,C | E,C | F | EN */
	assert_int_equal(ordem_acao_para(ORDEM_RECEBIDA, X), ACAO_INVALIDA);
	assert_int_equal(ordem_acao_para(X, ORDEM_RECEBIDA), ACAO_INVALIDA);
}

static void assert_permitidas(enum ordem_status s, const enum ordem_status *want, size_t n)
{
	enum ordem_status out[ORDEM_STATUS_COUNT];
	size_t got = ordem_transicoes_permitidas(s, out);

	if (got != n)
		fail_msg("%s: %zu transições, esperadas %zu", nomes[s], got, n);
	for (size_t i = 0; i < n; i++)
		if (out[i] != want[i])
			fail_msg("%s: transição %zu = %d, esperada %d", nomes[s], i, out[i],
			         want[i]);
}

static void test_ordem_transicoes_permitidas__cada_estado(void **state)
{
	(void)state;
	const enum ordem_status r[] = {D, C}, d[] = {A, C}, a[] = {E, C}, e[] = {F}, f[] = {EN};
	assert_permitidas(R, r, 2);
	assert_permitidas(D, d, 2);
	assert_permitidas(A, a, 2);
	assert_permitidas(E, e, 1);
	assert_permitidas(F, f, 1);
	assert_permitidas(EN, NULL, 0);
	assert_permitidas(C, NULL, 0);
}

static void test_ordem_status__nomes_ida_e_volta(void **state)
{
	(void)state;
	for (int s = 0; s < ORDEM_STATUS_COUNT; s++) {
		assert_string_equal(ordem_status_nome((enum ordem_status)s), nomes[s]);
		assert_int_equal(ordem_status_parse(nomes[s]), s);
	}
	for (int a = 0; a < ACAO_COUNT; a++)
		assert_string_equal(ordem_acao_nome((enum ordem_acao)a), acoes[a]);
	assert_string_equal(ordem_status_nome(X), "");
	assert_string_equal(ordem_acao_nome(ACAO_INVALIDA), "");
	assert_int_equal(ordem_status_parse("recebida"), X); /* exact, upper case */
	assert_int_equal(ordem_status_parse(""), X);
	assert_int_equal(ordem_status_parse(NULL), X);
	assert_int_equal(ordem_status_parse("RECEBIDA "), X);
}

static void test_ordem_itens_editaveis_e_aberta__cada_estado(void **state)
{
	(void)state;
	for (int s = 0; s < ORDEM_STATUS_COUNT; s++) {
		assert_int_equal(ordem_itens_editaveis((enum ordem_status)s), s == R || s == D);
		assert_int_equal(ordem_aberta((enum ordem_status)s),
		                 s == R || s == D || s == A || s == E);
	}
	assert_false(ordem_aberta(X));
	assert_false(ordem_itens_editaveis(X));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ordem_transicao__cada_par_estado_acao__como_a_spec),
	    cmocka_unit_test(test_ordem_transicao__valores_fora_da_faixa__invalido),
	    cmocka_unit_test(test_ordem_acao_para__cada_par_estado_destino__como_a_spec),
	    cmocka_unit_test(test_ordem_transicoes_permitidas__cada_estado),
	    cmocka_unit_test(test_ordem_status__nomes_ida_e_volta),
	    cmocka_unit_test(test_ordem_itens_editaveis_e_aberta__cada_estado),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
