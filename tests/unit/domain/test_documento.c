/*
 * Unit tests of domain/documento: CPF and CNPJ parsing, check digits, separators, and the choice
 * between them by digit count (domain layer; cmocka, no fakes needed).
 *
 * The valid numbers were checked independently of this code with the Receita Federal algorithm;
 * the "resto" cases are numbers whose check digit comes from a remainder of 0 or 1, where a naive
 * 11 - r would give 11 or 10.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/documento.h"
#include "domain/errors.h"

/* Fills a buffer with garbage so that a test can see the function wrote out. */
#define SUJAR(buf) memset((buf), 'X', sizeof(buf) - 1), (buf)[sizeof(buf) - 1] = '\0'

static void assert_cpf(const char *in, int rc_esperado, const char *esperado)
{
	char out[CPF_DIGITOS + 1];

	SUJAR(out);
	int rc = cpf_parse(in, out);
	if (rc != rc_esperado || strcmp(out, esperado) != 0)
		fail_msg("cpf_parse(\"%s\") = %d \"%s\", esperado %d \"%s\"", in ? in : "(null)",
		         rc, out, rc_esperado, esperado);
}

static void assert_cnpj(const char *in, int rc_esperado, const char *esperado)
{
	char out[CNPJ_DIGITOS + 1];

	SUJAR(out);
	int rc = cnpj_parse(in, out);
	if (rc != rc_esperado || strcmp(out, esperado) != 0)
		fail_msg("cnpj_parse(\"%s\") = %d \"%s\", esperado %d \"%s\"", in ? in : "(null)",
		         rc, out, rc_esperado, esperado);
}

static void assert_documento(const char *in, int rc_esperado, const char *esperado,
                             enum tipo_documento tipo_esperado)
{
	char out[DOCUMENTO_MAX];
	enum tipo_documento tipo = (enum tipo_documento)99;

	SUJAR(out);
	int rc = documento_parse(in, out, &tipo);
	if (rc != rc_esperado || strcmp(out, esperado) != 0 || tipo != tipo_esperado)
		fail_msg("documento_parse(\"%s\") = %d \"%s\" tipo %d, esperado %d \"%s\" tipo %d",
		         in ? in : "(null)", rc, out, (int)tipo, rc_esperado, esperado,
		         (int)tipo_esperado);
}

/* The input in a heap block of exactly its size, so that AddressSanitizer sees any over-read. */
static char *copia_exata(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

/* CPF */

static void test_cpf_parse__validos_formatados__digitos(void **state)
{
	(void)state;
	assert_cpf("529.982.247-25", 0, "52998224725");
	assert_cpf("111.444.777-35", 0, "11144477735");
	assert_cpf("123.456.789-09", 0, "12345678909");
	assert_cpf("935.411.347-80", 0, "93541134780");
	assert_cpf("000.000.001-91", 0, "00000000191");
}

static void test_cpf_parse__validos_sem_formatacao__digitos(void **state)
{
	(void)state;
	assert_cpf("52998224725", 0, "52998224725");
	assert_cpf("11144477735", 0, "11144477735");
	assert_cpf("12345678909", 0, "12345678909");
	assert_cpf("98765432100", 0, "98765432100");
}

static void test_cpf_parse__resto_zero_ou_um__digito_zero(void **state)
{
	(void)state;
	/* 987654321-00: first remainder 0, second remainder 1. */
	assert_cpf("987.654.321-00", 0, "98765432100");
	assert_cpf("987.654.321-10", APP_EINVALID, "");
	assert_cpf("987.654.321-01", APP_EINVALID, "");
	/* First remainder 1 (100047514-00), first remainder 0 (100071271-03). */
	assert_cpf("100.047.514-00", 0, "10004751400");
	assert_cpf("100.071.271-03", 0, "10007127103");
	/* Second remainder 0 (100031676-90) and 1 (100039595-20). */
	assert_cpf("100.031.676-90", 0, "10003167690");
	assert_cpf("100.039.595-20", 0, "10003959520");
}

static void test_cpf_parse__separadores_em_qualquer_lugar__digitos(void **state)
{
	(void)state;
	assert_cpf("529982247-25", 0, "52998224725");
	assert_cpf("529.982.24725", 0, "52998224725");
	assert_cpf("5.2.9.9.8.2.2.4.7.2.5", 0, "52998224725");
	assert_cpf("-529982247.25-", 0, "52998224725");
}

static void test_cpf_parse__espacos_nas_pontas__ignorados(void **state)
{
	(void)state;
	assert_cpf("  529.982.247-25", 0, "52998224725");
	assert_cpf("529.982.247-25  ", 0, "52998224725");
	assert_cpf("\t\n 52998224725 \r\n\v\f", 0, "52998224725");
}

static void test_cpf_parse__primeiro_digito_verificador_errado__invalido(void **state)
{
	(void)state;
	/* 529982247 gives 2 as first check digit; each other value is refused. */
	char in[] = "529.982.247-25";
	for (char d = '0'; d <= '9'; d++) {
		if (d == '2')
			continue;
		in[12] = d;
		assert_cpf(in, APP_EINVALID, "");
	}
}

static void test_cpf_parse__segundo_digito_verificador_errado__invalido(void **state)
{
	(void)state;
	char in[] = "529.982.247-25";
	for (char d = '0'; d <= '9'; d++) {
		if (d == '5')
			continue;
		in[13] = d;
		assert_cpf(in, APP_EINVALID, "");
	}
}

static void test_cpf_parse__digito_verificador_errado__invalido(void **state)
{
	(void)state;
	assert_cpf("111.444.777-36", APP_EINVALID, "");
	assert_cpf("111.444.777-45", APP_EINVALID, "");
	assert_cpf("12345678900", APP_EINVALID, "");
	/* Two digits swapped keep the sum of digits but not the weighted sum. */
	assert_cpf("259.982.247-25", APP_EINVALID, "");
}

static void test_cpf_parse__digitos_todos_iguais__invalido(void **state)
{
	(void)state;
	/* Every one of these passes the check-digit arithmetic, which is why the rule exists. */
	char formatado[] = "000.000.000-00";
	char cru[] = "00000000000";
	for (char d = '0'; d <= '9'; d++) {
		for (size_t i = 0; formatado[i]; i++)
			if (formatado[i] != '.' && formatado[i] != '-')
				formatado[i] = d;
		memset(cru, d, CPF_DIGITOS);
		assert_cpf(formatado, APP_EINVALID, "");
		assert_cpf(cru, APP_EINVALID, "");
	}
}

static void test_cpf_parse__tamanho_errado__invalido(void **state)
{
	(void)state;
	assert_cpf("5299822472", APP_EINVALID, "");   /* 10 digits */
	assert_cpf("529982247250", APP_EINVALID, ""); /* 12 digits */
	assert_cpf("529.982.247-2", APP_EINVALID, "");
	assert_cpf("529.982.247-255", APP_EINVALID, "");
	assert_cpf("0529.982.247-25", APP_EINVALID, "");
	assert_cpf("1", APP_EINVALID, "");
	/* A CNPJ is not a CPF. */
	assert_cpf("11222333000181", APP_EINVALID, "");
}

static void test_cpf_parse__letras__invalido(void **state)
{
	(void)state;
	assert_cpf("529.982.247-2a", APP_EINVALID, "");
	assert_cpf("a52998224725", APP_EINVALID, "");
	assert_cpf("52998224725x", APP_EINVALID, "");
	assert_cpf("CPF 529.982.247-25", APP_EINVALID, "");
	assert_cpf("５29.982.247-25", APP_EINVALID, ""); /* fullwidth digit */
}

static void test_cpf_parse__espaco_no_meio__invalido(void **state)
{
	(void)state;
	assert_cpf("529 982 247 25", APP_EINVALID, "");
	assert_cpf("529.982.247 -25", APP_EINVALID, "");
	assert_cpf("529982\t24725", APP_EINVALID, "");
}

static void test_cpf_parse__outros_separadores__invalido(void **state)
{
	(void)state;
	assert_cpf("529/982/247-25", APP_EINVALID, "");
	assert_cpf("529,982,247-25", APP_EINVALID, "");
	assert_cpf("529_982_247_25", APP_EINVALID, "");
	assert_cpf("+52998224725", APP_EINVALID, "");
}

static void test_cpf_parse__nulo_ou_vazio__invalido(void **state)
{
	(void)state;
	assert_cpf(NULL, APP_EINVALID, "");
	assert_cpf("", APP_EINVALID, "");
	assert_cpf("   ", APP_EINVALID, "");
	assert_cpf("...-", APP_EINVALID, "");
}

static void test_cpf_parse__entrada_justa_no_heap__nao_le_alem_do_fim(void **state)
{
	(void)state;
	const char *casos[] = {"52998224725", "5299822472",  "529.982.247-", "",
	                       " ",           "529982247255"};
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		char *in = copia_exata(casos[i]);
		char out[CPF_DIGITOS + 1];
		int rc = cpf_parse(in, out);
		assert_int_equal(rc, i == 0 ? 0 : APP_EINVALID);
		free(in);
	}
}

static void test_cpf_parse__entrada_muito_longa__invalido(void **state)
{
	(void)state;
	/* Many digits must not overflow the 12-byte output. */
	char in[200];
	memset(in, '1', sizeof in - 1);
	in[sizeof in - 1] = '\0';
	assert_cpf(in, APP_EINVALID, "");
}

/* CNPJ */

static void test_cnpj_parse__validos_formatados__digitos(void **state)
{
	(void)state;
	assert_cnpj("11.222.333/0001-81", 0, "11222333000181");
	assert_cnpj("11.444.777/0001-61", 0, "11444777000161");
	assert_cnpj("11.222.333/0002-62", 0, "11222333000262");
	assert_cnpj("12.345.678/0001-95", 0, "12345678000195");
	assert_cnpj("33.000.167/0001-01", 0, "33000167000101");
	assert_cnpj("00.000.000/0001-91", 0, "00000000000191");
}

static void test_cnpj_parse__validos_sem_formatacao__digitos(void **state)
{
	(void)state;
	assert_cnpj("11222333000181", 0, "11222333000181");
	assert_cnpj("11444777000161", 0, "11444777000161");
	assert_cnpj("33000167000101", 0, "33000167000101");
}

static void test_cnpj_parse__resto_zero_ou_um__digito_zero(void **state)
{
	(void)state;
	/* First remainder 0 and 1; second remainder 0 (33000167/0001-01: both remainders 0) and 1.
	 */
	assert_cnpj("10.002.375/7369-06", 0, "10002375736906");
	assert_cnpj("10.009.502/9476-06", 0, "10009502947606");
	assert_cnpj("10.011.086/7722-60", 0, "10011086772260");
	assert_cnpj("10.003.167/6492-80", 0, "10003167649280");
	assert_cnpj("33.000.167/0001-11", APP_EINVALID, "");
	assert_cnpj("10.003.167/6492-8a", APP_EINVALID, "");
}

static void test_cnpj_parse__espacos_nas_pontas__ignorados(void **state)
{
	(void)state;
	assert_cnpj(" 11.222.333/0001-81 ", 0, "11222333000181");
	assert_cnpj("\t11222333000181\r\n", 0, "11222333000181");
}

static void test_cnpj_parse__separadores_em_qualquer_lugar__digitos(void **state)
{
	(void)state;
	assert_cnpj("11222333/0001-81", 0, "11222333000181");
	assert_cnpj("11.222.333.0001.81", 0, "11222333000181");
	assert_cnpj("11-222-333-0001-81", 0, "11222333000181");
	assert_cnpj("/11222333000181/", 0, "11222333000181");
}

static void test_cnpj_parse__primeiro_digito_verificador_errado__invalido(void **state)
{
	(void)state;
	char in[] = "11.222.333/0001-81";
	for (char d = '0'; d <= '9'; d++) {
		if (d == '8')
			continue;
		in[16] = d;
		assert_cnpj(in, APP_EINVALID, "");
	}
}

static void test_cnpj_parse__segundo_digito_verificador_errado__invalido(void **state)
{
	(void)state;
	char in[] = "11.222.333/0001-81";
	for (char d = '0'; d <= '9'; d++) {
		if (d == '1')
			continue;
		in[17] = d;
		assert_cnpj(in, APP_EINVALID, "");
	}
}

static void test_cnpj_parse__digito_verificador_errado__invalido(void **state)
{
	(void)state;
	assert_cnpj("11.444.777/0001-62", APP_EINVALID, "");
	assert_cnpj("11.444.777/0001-71", APP_EINVALID, "");
	/* Branch 0002 of 11.222.333 has other check digits than the head office. */
	assert_cnpj("11.222.333/0002-81", APP_EINVALID, "");
}

static void test_cnpj_parse__digitos_todos_iguais__invalido(void **state)
{
	(void)state;
	char formatado[] = "00.000.000/0000-00";
	char cru[] = "00000000000000";
	for (char d = '0'; d <= '9'; d++) {
		for (size_t i = 0; formatado[i]; i++)
			if (formatado[i] >= '0' && formatado[i] <= '9')
				formatado[i] = d;
		memset(cru, d, CNPJ_DIGITOS);
		assert_cnpj(formatado, APP_EINVALID, "");
		assert_cnpj(cru, APP_EINVALID, "");
	}
}

static void test_cnpj_parse__tamanho_errado__invalido(void **state)
{
	(void)state;
	assert_cnpj("1122233300018", APP_EINVALID, "");   /* 13 digits */
	assert_cnpj("112223330001811", APP_EINVALID, ""); /* 15 digits */
	assert_cnpj("11.222.333/0001-8", APP_EINVALID, "");
	assert_cnpj("52998224725", APP_EINVALID, ""); /* a CPF */
}

static void test_cnpj_parse__letras__invalido(void **state)
{
	(void)state;
	/* Alphanumeric CNPJs (Receita Federal, from July 2026) are not accepted yet: see SPEC §5.
	 */
	assert_cnpj("12.ABC.345/01DE-35", APP_EINVALID, "");
	assert_cnpj("11.222.333/0001-8l", APP_EINVALID, "");
	assert_cnpj("CNPJ 11222333000181", APP_EINVALID, "");
}

static void test_cnpj_parse__espaco_no_meio__invalido(void **state)
{
	(void)state;
	assert_cnpj("11.222.333 0001-81", APP_EINVALID, "");
	assert_cnpj("11 222 333 0001 81", APP_EINVALID, "");
}

static void test_cnpj_parse__nulo_ou_vazio__invalido(void **state)
{
	(void)state;
	assert_cnpj(NULL, APP_EINVALID, "");
	assert_cnpj("", APP_EINVALID, "");
	assert_cnpj(" \t ", APP_EINVALID, "");
	assert_cnpj("../-", APP_EINVALID, "");
}

static void test_cnpj_parse__entrada_justa_no_heap__nao_le_alem_do_fim(void **state)
{
	(void)state;
	const char *casos[] = {"11222333000181", "1122233300018", "11.222.333/0001-", "\t"};
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		char *in = copia_exata(casos[i]);
		char out[CNPJ_DIGITOS + 1];
		assert_int_equal(cnpj_parse(in, out), i == 0 ? 0 : APP_EINVALID);
		free(in);
	}
}

/* documento: CPF or CNPJ */

static void test_documento_parse__onze_digitos__cpf(void **state)
{
	(void)state;
	assert_documento("529.982.247-25", 0, "52998224725", TIPO_DOCUMENTO_CPF);
	assert_documento(" 11144477735 ", 0, "11144477735", TIPO_DOCUMENTO_CPF);
}

static void test_documento_parse__quatorze_digitos__cnpj(void **state)
{
	(void)state;
	assert_documento("11.222.333/0001-81", 0, "11222333000181", TIPO_DOCUMENTO_CNPJ);
	assert_documento("11444777000161", 0, "11444777000161", TIPO_DOCUMENTO_CNPJ);
}

static void test_documento_parse__digito_verificador_errado__invalido(void **state)
{
	(void)state;
	assert_documento("529.982.247-26", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("11.222.333/0001-82", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("111.111.111-11", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("11111111111111", APP_EINVALID, "", (enum tipo_documento)0);
}

static void test_documento_parse__outra_quantidade_de_digitos__invalido(void **state)
{
	(void)state;
	assert_documento("5299822472", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("529982247251", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("1122233300018", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("112223330001811", APP_EINVALID, "", (enum tipo_documento)0);
}

static void test_documento_parse__cpf_com_barra__invalido(void **state)
{
	(void)state;
	/* '/' belongs to the CNPJ mask only. */
	assert_documento("529.982.247/25", APP_EINVALID, "", (enum tipo_documento)0);
}

static void test_documento_parse__letras_ou_espaco_no_meio__invalido(void **state)
{
	(void)state;
	assert_documento("529.982.247-25a", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("529 982 247 25", APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("11.222.333 /0001-81", APP_EINVALID, "", (enum tipo_documento)0);
}

static void test_documento_parse__nulo_ou_vazio__invalido(void **state)
{
	(void)state;
	assert_documento(NULL, APP_EINVALID, "", (enum tipo_documento)0);
	assert_documento("", APP_EINVALID, "", (enum tipo_documento)0);
}

static void test_documento_parse__tipo_nulo__aceito(void **state)
{
	(void)state;
	char out[DOCUMENTO_MAX];
	assert_int_equal(documento_parse("11.222.333/0001-81", out, NULL), 0);
	assert_string_equal(out, "11222333000181");
	assert_int_equal(documento_parse("x", out, NULL), APP_EINVALID);
	assert_string_equal(out, "");
}

static void test_tipo_documento_nome__cpf_cnpj_e_desconhecido(void **state)
{
	(void)state;
	assert_string_equal(tipo_documento_nome(TIPO_DOCUMENTO_CPF), "CPF");
	assert_string_equal(tipo_documento_nome(TIPO_DOCUMENTO_CNPJ), "CNPJ");
	assert_string_equal(tipo_documento_nome((enum tipo_documento)0), "");
	assert_string_equal(tipo_documento_nome((enum tipo_documento)7), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cpf_parse__validos_formatados__digitos),
	    cmocka_unit_test(test_cpf_parse__validos_sem_formatacao__digitos),
	    cmocka_unit_test(test_cpf_parse__resto_zero_ou_um__digito_zero),
	    cmocka_unit_test(test_cpf_parse__separadores_em_qualquer_lugar__digitos),
	    cmocka_unit_test(test_cpf_parse__espacos_nas_pontas__ignorados),
	    cmocka_unit_test(test_cpf_parse__primeiro_digito_verificador_errado__invalido),
	    cmocka_unit_test(test_cpf_parse__segundo_digito_verificador_errado__invalido),
	    cmocka_unit_test(test_cpf_parse__digito_verificador_errado__invalido),
	    cmocka_unit_test(test_cpf_parse__digitos_todos_iguais__invalido),
	    cmocka_unit_test(test_cpf_parse__tamanho_errado__invalido),
	    cmocka_unit_test(test_cpf_parse__letras__invalido),
	    cmocka_unit_test(test_cpf_parse__espaco_no_meio__invalido),
	    cmocka_unit_test(test_cpf_parse__outros_separadores__invalido),
	    cmocka_unit_test(test_cpf_parse__nulo_ou_vazio__invalido),
	    cmocka_unit_test(test_cpf_parse__entrada_justa_no_heap__nao_le_alem_do_fim),
	    cmocka_unit_test(test_cpf_parse__entrada_muito_longa__invalido),
	    cmocka_unit_test(test_cnpj_parse__validos_formatados__digitos),
	    cmocka_unit_test(test_cnpj_parse__validos_sem_formatacao__digitos),
	    cmocka_unit_test(test_cnpj_parse__resto_zero_ou_um__digito_zero),
	    cmocka_unit_test(test_cnpj_parse__espacos_nas_pontas__ignorados),
	    cmocka_unit_test(test_cnpj_parse__separadores_em_qualquer_lugar__digitos),
	    cmocka_unit_test(test_cnpj_parse__primeiro_digito_verificador_errado__invalido),
	    cmocka_unit_test(test_cnpj_parse__segundo_digito_verificador_errado__invalido),
	    cmocka_unit_test(test_cnpj_parse__digito_verificador_errado__invalido),
	    cmocka_unit_test(test_cnpj_parse__digitos_todos_iguais__invalido),
	    cmocka_unit_test(test_cnpj_parse__tamanho_errado__invalido),
	    cmocka_unit_test(test_cnpj_parse__letras__invalido),
	    cmocka_unit_test(test_cnpj_parse__espaco_no_meio__invalido),
	    cmocka_unit_test(test_cnpj_parse__nulo_ou_vazio__invalido),
	    cmocka_unit_test(test_cnpj_parse__entrada_justa_no_heap__nao_le_alem_do_fim),
	    cmocka_unit_test(test_documento_parse__onze_digitos__cpf),
	    cmocka_unit_test(test_documento_parse__quatorze_digitos__cnpj),
	    cmocka_unit_test(test_documento_parse__digito_verificador_errado__invalido),
	    cmocka_unit_test(test_documento_parse__outra_quantidade_de_digitos__invalido),
	    cmocka_unit_test(test_documento_parse__cpf_com_barra__invalido),
	    cmocka_unit_test(test_documento_parse__letras_ou_espaco_no_meio__invalido),
	    cmocka_unit_test(test_documento_parse__nulo_ou_vazio__invalido),
	    cmocka_unit_test(test_documento_parse__tipo_nulo__aceito),
	    cmocka_unit_test(test_tipo_documento_nome__cpf_cnpj_e_desconhecido),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
