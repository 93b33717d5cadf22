/*
 * Unit tests of domain/ordem: the budget (Σ quantidade × valor_unitario per kind, and the total)
 * in whole centavos with its overflow guard, item quantities, descriptions and the decision names
 * (domain layer; cmocka, no fakes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/ordem.h"

static struct ordem_item item(int quantidade, int64_t valor)
{
	struct ordem_item it;
	memset(&it, 0, sizeof it);
	it.quantidade = quantidade;
	it.valor_unitario = valor;
	return it;
}

static void test_orcamento_calcular__servicos_e_pecas__somas_exatas(void **state)
{
	(void)state;
	struct ordem_item s[] = {item(1, 15000), item(2, 4999)};
	struct ordem_item p[] = {item(3, 3550), item(1, 1)};
	struct ordem_itens ls = {s, 2}, lp = {p, 2};
	struct orcamento o;

	assert_int_equal(orcamento_calcular(&ls, &lp, &o), 0);
	assert_int_equal(o.valor_servicos, 15000 + 9998);
	assert_int_equal(o.valor_pecas, 10650 + 1);
	assert_int_equal(o.valor_total, 24998 + 10651);
	char texto[DINHEIRO_TEXTO_MAX];
	dinheiro_format(o.valor_total, texto);
	assert_string_equal(texto, "356.49");
}

static void test_orcamento_calcular__listas_vazias__zero(void **state)
{
	(void)state;
	struct ordem_itens vazia = {NULL, 0};
	struct orcamento o;

	assert_int_equal(orcamento_calcular(&vazia, NULL, &o), 0);
	assert_int_equal(o.valor_servicos, 0);
	assert_int_equal(o.valor_pecas, 0);
	assert_int_equal(o.valor_total, 0);
}

static void test_orcamento_calcular__so_pecas__servicos_zero(void **state)
{
	(void)state;
	struct ordem_item p[] = {item(10000, 100)};
	struct ordem_itens lp = {p, 1};
	struct orcamento o;

	assert_int_equal(orcamento_calcular(NULL, &lp, &o), 0);
	assert_int_equal(o.valor_servicos, 0);
	assert_int_equal(o.valor_pecas, 1000000);
	assert_int_equal(o.valor_total, 1000000);
}

static void test_orcamento_calcular__linha_acima_do_limite__invalido_e_zerado(void **state)
{
	(void)state;
	struct ordem_item s[] = {item(10000, DINHEIRO_MAX_CENTAVOS)};
	struct ordem_itens ls = {s, 1};
	struct orcamento o = {1, 2, 3};

	assert_int_equal(orcamento_calcular(&ls, NULL, &o), APP_EINVALID);
	assert_int_equal(o.valor_servicos, 0);
	assert_int_equal(o.valor_pecas, 0);
	assert_int_equal(o.valor_total, 0);
}

static void test_orcamento_calcular__soma_acima_do_limite__invalido(void **state)
{
	(void)state;
	/* Each line is within range; their sum is not. */
	struct ordem_item s[] = {item(1, DINHEIRO_MAX_CENTAVOS), item(1, 1)};
	struct ordem_itens ls = {s, 2};
	struct orcamento o;
	assert_int_equal(orcamento_calcular(&ls, NULL, &o), APP_EINVALID);

	/* Services and parts each within range; the total is not. */
	struct ordem_item a[] = {item(1, DINHEIRO_MAX_CENTAVOS)}, b[] = {item(1, 1)};
	struct ordem_itens la = {a, 1}, lb = {b, 1};
	assert_int_equal(orcamento_calcular(&la, &lb, &o), APP_EINVALID);

	/* Exactly the limit is fine. */
	struct ordem_item c[] = {item(1, DINHEIRO_MAX_CENTAVOS - 1)};
	struct ordem_itens lc = {c, 1};
	assert_int_equal(orcamento_calcular(&lc, &lb, &o), 0);
	assert_int_equal(o.valor_total, DINHEIRO_MAX_CENTAVOS);
}

static void test_orcamento_calcular__item_invalido__invalido(void **state)
{
	(void)state;
	struct ordem_item zero[] = {item(0, 100)}, neg[] = {item(1, -1)},
	                  muito[] = {item(ORDEM_ITEM_QUANTIDADE_MAX + 1, 1)};
	struct ordem_itens l0 = {zero, 1}, l1 = {neg, 1}, l2 = {muito, 1};
	struct orcamento o;

	assert_int_equal(orcamento_calcular(&l0, NULL, &o), APP_EINVALID);
	assert_int_equal(orcamento_calcular(NULL, &l1, &o), APP_EINVALID);
	assert_int_equal(orcamento_calcular(&l2, NULL, &o), APP_EINVALID);
}

static void test_ordem_item_total__produto(void **state)
{
	(void)state;
	struct ordem_item it = item(3, 3550);
	int64_t t = -1;
	assert_int_equal(ordem_item_total(&it, &t), 0);
	assert_int_equal(t, 10650);
	it = item(2, DINHEIRO_MAX_CENTAVOS);
	assert_int_equal(ordem_item_total(&it, &t), APP_EINVALID);
	assert_int_equal(t, 0);
}

static void test_ordem_quantidade_valida__limites(void **state)
{
	(void)state;
	assert_false(ordem_quantidade_valida(0));
	assert_false(ordem_quantidade_valida(-1));
	assert_true(ordem_quantidade_valida(1));
	assert_true(ordem_quantidade_valida(ORDEM_ITEM_QUANTIDADE_MAX));
	assert_false(ordem_quantidade_valida(ORDEM_ITEM_QUANTIDADE_MAX + 1));
}

static void test_ordem_descricao_valida__limites(void **state)
{
	(void)state;
	static char longa[ORDEM_DESCRICAO_MAX + 2];
	assert_true(ordem_descricao_valida(NULL));
	assert_true(ordem_descricao_valida(""));
	assert_true(ordem_descricao_valida("barulho na suspensão"));
	memset(longa, 'a', ORDEM_DESCRICAO_MAX);
	longa[ORDEM_DESCRICAO_MAX] = '\0';
	assert_true(ordem_descricao_valida(longa));
	longa[ORDEM_DESCRICAO_MAX] = 'a';
	assert_false(ordem_descricao_valida(longa));
	assert_false(ordem_descricao_valida("a\x01"));
}

static void test_orcamento_decisao__nomes(void **state)
{
	(void)state;
	assert_string_equal(orcamento_decisao_nome(DECISAO_APROVADO), "APROVADO");
	assert_string_equal(orcamento_decisao_nome(DECISAO_REPROVADO), "REPROVADO");
	assert_string_equal(orcamento_decisao_nome(DECISAO_NENHUMA), "");
	assert_int_equal(orcamento_decisao_parse("APROVADO"), DECISAO_APROVADO);
	assert_int_equal(orcamento_decisao_parse("REPROVADO"), DECISAO_REPROVADO);
	assert_int_equal(orcamento_decisao_parse("aprovado"), DECISAO_NENHUMA);
	assert_int_equal(orcamento_decisao_parse(NULL), DECISAO_NENHUMA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_orcamento_calcular__servicos_e_pecas__somas_exatas),
	    cmocka_unit_test(test_orcamento_calcular__listas_vazias__zero),
	    cmocka_unit_test(test_orcamento_calcular__so_pecas__servicos_zero),
	    cmocka_unit_test(test_orcamento_calcular__linha_acima_do_limite__invalido_e_zerado),
	    cmocka_unit_test(test_orcamento_calcular__soma_acima_do_limite__invalido),
	    cmocka_unit_test(test_orcamento_calcular__item_invalido__invalido),
	    cmocka_unit_test(test_ordem_item_total__produto),
	    cmocka_unit_test(test_ordem_quantidade_valida__limites),
	    cmocka_unit_test(test_ordem_descricao_valida__limites),
	    cmocka_unit_test(test_orcamento_decisao__nomes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
