/*
 * Unit tests of domain/placa: normalisation of old (AAA9999) and Mercosul (AAA9A99) plates typed in
 * any case, with or without separators (domain layer; cmocka, no fakes needed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "domain/placa.h"

static void assert_placa(const char *in, int rc_esperado, const char *esperado)
{
	char out[PLACA_MAX] = "XXXXXXX";

	int rc = placa_normalizar(in, out);
	if (rc != rc_esperado || strcmp(out, esperado) != 0)
		fail_msg("placa_normalizar(\"%s\") = %d \"%s\", esperado %d \"%s\"",
		         in ? in : "(null)", rc, out, rc_esperado, esperado);
}

static void test_placa_normalizar__antiga_maiuscula__igual(void **state)
{
	(void)state;
	assert_placa("ABC1234", 0, "ABC1234");
	assert_placa("XYZ0000", 0, "XYZ0000");
	assert_placa("AAA9999", 0, "AAA9999");
}

static void test_placa_normalizar__antiga_minuscula_com_hifen__maiuscula_sem_hifen(void **state)
{
	(void)state;
	assert_placa("abc-1234", 0, "ABC1234");
	assert_placa("aBc-1234", 0, "ABC1234");
	assert_placa("ABC-1234", 0, "ABC1234");
}

static void test_placa_normalizar__mercosul_qualquer_caixa__maiuscula(void **state)
{
	(void)state;
	assert_placa("ABC1D23", 0, "ABC1D23");
	assert_placa("abc1d23", 0, "ABC1D23");
	assert_placa("Bra2E19", 0, "BRA2E19");
	assert_placa("ZZZ9Z99", 0, "ZZZ9Z99");
}

static void test_placa_normalizar__espacos_nas_pontas_e_no_meio__removidos(void **state)
{
	(void)state;
	assert_placa(" ABC 1D23 ", 0, "ABC1D23");
	assert_placa("\tabc 1234\r\n", 0, "ABC1234");
	assert_placa("A B C 1 2 3 4", 0, "ABC1234");
	assert_placa("abc - 1d23", 0, "ABC1D23");
	assert_placa("-ABC1234-", 0, "ABC1234");
	assert_placa("AB-C1-234", 0, "ABC1234");
}

static void test_placa_normalizar__duas_letras__invalido(void **state)
{
	(void)state;
	assert_placa("AB12345", APP_EINVALID, "");
}

static void test_placa_normalizar__quatro_letras__invalido(void **state)
{
	(void)state;
	assert_placa("ABCD123", APP_EINVALID, "");
}

static void test_placa_normalizar__oito_caracteres__invalido(void **state)
{
	(void)state;
	assert_placa("ABC12345", APP_EINVALID, "");
	assert_placa("ABC-1D234", APP_EINVALID, "");
	assert_placa("ABC1234ABC1234", APP_EINVALID, "");
}

static void test_placa_normalizar__seis_caracteres__invalido(void **state)
{
	(void)state;
	assert_placa("ABC123", APP_EINVALID, "");
	assert_placa("ABC-1D2", APP_EINVALID, "");
}

static void test_placa_normalizar__duas_letras_no_fim__invalido(void **state)
{
	(void)state;
	assert_placa("ABC1DD3", APP_EINVALID, "");
	assert_placa("ABC12D3", APP_EINVALID, "");
	assert_placa("ABC123D", APP_EINVALID, "");
	assert_placa("ABCD234", APP_EINVALID, "");
}

static void test_placa_normalizar__digito_no_lugar_de_letra__invalido(void **state)
{
	(void)state;
	assert_placa("1BC1234", APP_EINVALID, "");
	assert_placa("A1C1234", APP_EINVALID, "");
	assert_placa("1234567", APP_EINVALID, "");
	assert_placa("ABCDEFG", APP_EINVALID, "");
}

static void test_placa_normalizar__letra_acentuada__invalido(void **state)
{
	(void)state;
	assert_placa("ÁBC1234", APP_EINVALID, "");
	assert_placa("ábc1234", APP_EINVALID, "");
	assert_placa("ABÇ1234", APP_EINVALID, "");
}

static void test_placa_normalizar__outros_caracteres__invalido(void **state)
{
	(void)state;
	assert_placa("ABC.1234", APP_EINVALID, "");
	assert_placa("ABC_1234", APP_EINVALID, "");
	assert_placa("ABC\t1234", APP_EINVALID, ""); /* only ' ' is removed inside */
	assert_placa("ABC/1234", APP_EINVALID, "");
	assert_placa("ABC1234!", APP_EINVALID, "");
}

static void test_placa_normalizar__nulo_vazio_ou_so_separadores__invalido(void **state)
{
	(void)state;
	assert_placa(NULL, APP_EINVALID, "");
	assert_placa("", APP_EINVALID, "");
	assert_placa("   ", APP_EINVALID, "");
	assert_placa("- -", APP_EINVALID, "");
}

static void test_placa_normalizar__entrada_justa_no_heap__nao_le_alem_do_fim(void **state)
{
	(void)state;
	const char *casos[] = {"abc1d23", "abc1d2", " ", "ABC12345"};
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		size_t n = strlen(casos[i]) + 1;
		char *in = malloc(n);
		char out[PLACA_MAX];

		assert_non_null(in);
		memcpy(in, casos[i], n);
		assert_int_equal(placa_normalizar(in, out), i == 0 ? 0 : APP_EINVALID);
		free(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_placa_normalizar__antiga_maiuscula__igual),
	    cmocka_unit_test(
	        test_placa_normalizar__antiga_minuscula_com_hifen__maiuscula_sem_hifen),
	    cmocka_unit_test(test_placa_normalizar__mercosul_qualquer_caixa__maiuscula),
	    cmocka_unit_test(test_placa_normalizar__espacos_nas_pontas_e_no_meio__removidos),
	    cmocka_unit_test(test_placa_normalizar__duas_letras__invalido),
	    cmocka_unit_test(test_placa_normalizar__quatro_letras__invalido),
	    cmocka_unit_test(test_placa_normalizar__oito_caracteres__invalido),
	    cmocka_unit_test(test_placa_normalizar__seis_caracteres__invalido),
	    cmocka_unit_test(test_placa_normalizar__duas_letras_no_fim__invalido),
	    cmocka_unit_test(test_placa_normalizar__digito_no_lugar_de_letra__invalido),
	    cmocka_unit_test(test_placa_normalizar__letra_acentuada__invalido),
	    cmocka_unit_test(test_placa_normalizar__outros_caracteres__invalido),
	    cmocka_unit_test(test_placa_normalizar__nulo_vazio_ou_so_separadores__invalido),
	    cmocka_unit_test(test_placa_normalizar__entrada_justa_no_heap__nao_le_alem_do_fim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
