/*
 * Unit tests of domain/veiculo_ano: the model year runs from 1886 to next year (domain layer;
 * cmocka, no fakes needed).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/veiculo_ano.h"

#define ANO_ATUAL 2026

static void test_veiculo_ano_valido__1885__invalido(void **state)
{
	(void)state;
	assert_false(veiculo_ano_valido(1885, ANO_ATUAL));
}

static void test_veiculo_ano_valido__1886__valido(void **state)
{
	(void)state;
	assert_true(veiculo_ano_valido(1886, ANO_ATUAL));
	assert_int_equal(VEICULO_ANO_MIN, 1886);
}

static void test_veiculo_ano_valido__ano_atual__valido(void **state)
{
	(void)state;
	assert_true(veiculo_ano_valido(ANO_ATUAL, ANO_ATUAL));
	assert_true(veiculo_ano_valido(2015, ANO_ATUAL));
}

static void test_veiculo_ano_valido__proximo_ano__valido(void **state)
{
	(void)state;
	assert_true(veiculo_ano_valido(ANO_ATUAL + 1, ANO_ATUAL));
}

static void test_veiculo_ano_valido__daqui_a_dois_anos__invalido(void **state)
{
	(void)state;
	assert_false(veiculo_ano_valido(ANO_ATUAL + 2, ANO_ATUAL));
}

static void test_veiculo_ano_valido__limite_segue_o_ano_atual__proximo_ano(void **state)
{
	(void)state;
	assert_true(veiculo_ano_valido(2031, 2030));
	assert_false(veiculo_ano_valido(2031, 2029));
}

static void test_veiculo_ano_valido__zero_negativo_e_extremos__invalido(void **state)
{
	(void)state;
	assert_false(veiculo_ano_valido(0, ANO_ATUAL));
	assert_false(veiculo_ano_valido(-2026, ANO_ATUAL));
	assert_false(veiculo_ano_valido(LONG_MIN, ANO_ATUAL));
	assert_false(veiculo_ano_valido(LONG_MAX, ANO_ATUAL));
	assert_false(veiculo_ano_valido(26, ANO_ATUAL)); /* a two-digit year */
}

static void test_veiculo_ano_valido__ano_atual_int_max__sem_overflow(void **state)
{
	(void)state;
	assert_true(veiculo_ano_valido(2026, INT_MAX));
	assert_true(veiculo_ano_valido((long)INT_MAX, INT_MAX));
	assert_false(veiculo_ano_valido(1886, 1884));
	assert_true(veiculo_ano_valido(1886, 1885));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_veiculo_ano_valido__1885__invalido),
	    cmocka_unit_test(test_veiculo_ano_valido__1886__valido),
	    cmocka_unit_test(test_veiculo_ano_valido__ano_atual__valido),
	    cmocka_unit_test(test_veiculo_ano_valido__proximo_ano__valido),
	    cmocka_unit_test(test_veiculo_ano_valido__daqui_a_dois_anos__invalido),
	    cmocka_unit_test(test_veiculo_ano_valido__limite_segue_o_ano_atual__proximo_ano),
	    cmocka_unit_test(test_veiculo_ano_valido__zero_negativo_e_extremos__invalido),
	    cmocka_unit_test(test_veiculo_ano_valido__ano_atual_int_max__sem_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
