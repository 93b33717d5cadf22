/*
 * Unit tests of domain/campos: the rules every entity's *_aplicar follows — which fields a mode
 * requires or clears, how "ativo" starts, how a typed number is bounded, and how a typed text
 * field is checked, trimmed and stored (domain layer; cmocka). texto_vazio, which the optional
 * fields use, is tested here too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/campos.h"
#include "domain/errors.h"
#include "domain/texto.h"

static void assert_erro(const struct field_errors *fe, const char *campo, const char *mensagem)
{
	if (fe->count != 1 || strcmp(fe->items[0].campo, campo) != 0)
		fail_msg("want exactly one error on %s, got %zu (first: %s)", campo, fe->count,
		         fe->count ? fe->items[0].campo : "-");
	assert_string_equal(fe->items[0].mensagem, mensagem);
}

static void test_campo_exigido__dado__aplica_sem_erro(void **state)
{
	struct field_errors fe;
	(void)state;

	field_errors_init(&fe);
	assert_true(campo_exigido(true, CAMPOS_CRIAR, "nome", &fe));
	assert_true(campo_exigido(true, CAMPOS_SUBSTITUIR, "nome", &fe));
	assert_true(campo_exigido(true, CAMPOS_ALTERAR, "nome", &fe));
	assert_int_equal(fe.count, 0);
}

static void test_campo_exigido__faltando_em_criar_e_substituir__obrigatorio(void **state)
{
	struct field_errors fe;
	(void)state;

	field_errors_init(&fe);
	assert_false(campo_exigido(false, CAMPOS_CRIAR, "nome", &fe));
	assert_erro(&fe, "nome", "campo obrigatório");
	field_errors_init(&fe);
	assert_false(campo_exigido(false, CAMPOS_SUBSTITUIR, "valor", &fe));
	assert_erro(&fe, "valor", "campo obrigatório");
}

static void test_campo_exigido__faltando_em_alterar__sem_erro(void **state)
{
	struct field_errors fe;
	(void)state;

	field_errors_init(&fe);
	assert_false(campo_exigido(false, CAMPOS_ALTERAR, "nome", &fe));
	assert_int_equal(fe.count, 0);
}

static void test_campo_opcional__so_alterar_deixa_de_fora(void **state)
{
	(void)state;
	assert_true(campo_opcional(true, CAMPOS_CRIAR));
	assert_true(campo_opcional(true, CAMPOS_SUBSTITUIR));
	assert_true(campo_opcional(true, CAMPOS_ALTERAR));
	assert_true(campo_opcional(false, CAMPOS_CRIAR));
	assert_true(campo_opcional(false, CAMPOS_SUBSTITUIR));
	assert_false(campo_opcional(false, CAMPOS_ALTERAR));
}

static void test_campo_ativo_aplicar__nao_dado__novo_ativo_existente_mantido(void **state)
{
	bool ativo = false;
	(void)state;

	campo_ativo_aplicar(&ativo, -1, CAMPOS_CRIAR);
	assert_true(ativo);
	ativo = false;
	campo_ativo_aplicar(&ativo, -1, CAMPOS_SUBSTITUIR);
	assert_false(ativo);
	campo_ativo_aplicar(&ativo, -1, CAMPOS_ALTERAR);
	assert_false(ativo);
}

static void test_campo_ativo_aplicar__dado__vale_em_todo_modo(void **state)
{
	bool ativo = true;
	(void)state;

	campo_ativo_aplicar(&ativo, 0, CAMPOS_CRIAR);
	assert_false(ativo);
	campo_ativo_aplicar(&ativo, 1, CAMPOS_ALTERAR);
	assert_true(ativo);
	campo_ativo_aplicar(&ativo, 0, CAMPOS_SUBSTITUIR);
	assert_false(ativo);
}

static void test_campo_texto_aplicar__valido__aparado(void **state)
{
	struct field_errors fe;
	char out[16] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_texto_aplicar("  José  ", 3, 10, out, sizeof out, "nome", &fe), 0);
	assert_string_equal(out, "José");
	assert_int_equal(fe.count, 0);
}

static void test_campo_texto_aplicar__fora_dos_limites__mensagem_com_limites(void **state)
{
	struct field_errors fe;
	char out[16] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_texto_aplicar(" ab ", 3, 120, out, sizeof out, "nome", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "nome", "deve ter de 3 a 120 caracteres");
	assert_string_equal(out, "antes");

	field_errors_init(&fe);
	assert_int_equal(campo_texto_aplicar("", 1, 60, out, sizeof out, "marca", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "marca", "deve ter de 1 a 60 caracteres");
}

static void test_campo_texto_aplicar__minimo_zero__so_o_maximo_na_mensagem(void **state)
{
	struct field_errors fe;
	char out[16] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_texto_aplicar("   ", 0, 5, out, sizeof out, "codigo", &fe), 0);
	assert_string_equal(out, "");
	assert_int_equal(campo_texto_aplicar("abcdef", 0, 5, out, sizeof out, "codigo", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "codigo", "deve ter no máximo 5 caracteres");
}

static void test_campo_texto_aplicar__controle_ou_nulo__invalido(void **state)
{
	struct field_errors fe;
	char out[16] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_texto_aplicar("a\x01"
	                                     "bc",
	                                     1, 10, out, sizeof out, "cor", &fe),
	                 APP_EINVALID);
	assert_int_equal(campo_texto_aplicar(NULL, 1, 10, out, sizeof out, "cor", &fe),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 1); /* one entry per field */
	assert_string_equal(out, "antes");
}

static void test_campo_formato_aplicar__valido__aparado(void **state)
{
	struct field_errors fe;
	char out[EMAIL_BYTES] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_formato_aplicar("  ana@example.com\t", email_valido,
	                                       "e-mail inválido", out, sizeof out, "email", &fe),
	                 0);
	assert_string_equal(out, "ana@example.com");
	assert_int_equal(fe.count, 0);
}

static void test_campo_formato_aplicar__invalido_vazio_ou_nulo__erro_e_saida_mantida(void **state)
{
	const char *ruins[] = {"ana", "", "   ", NULL};
	char out[EMAIL_BYTES] = "antes";
	struct field_errors fe;
	(void)state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		field_errors_init(&fe);
		assert_int_equal(campo_formato_aplicar(ruins[i], email_valido, "e-mail inválido",
		                                       out, sizeof out, "email", &fe),
		                 APP_EINVALID);
		assert_erro(&fe, "email", "e-mail inválido");
		assert_string_equal(out, "antes");
	}
}

static void test_campo_inteiro_aplicar__limites_inclusivos(void **state)
{
	struct field_errors fe;
	int out = -7;
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_inteiro_aplicar(1, 1, 10, &out, "n", "fora", &fe), 0);
	assert_int_equal(out, 1);
	assert_int_equal(campo_inteiro_aplicar(10, 1, 10, &out, "n", "fora", &fe), 0);
	assert_int_equal(out, 10);
	assert_int_equal(fe.count, 0);
}

static void test_campo_inteiro_aplicar__fora__erro_e_saida_mantida(void **state)
{
	struct field_errors fe;
	int out = 5;
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_inteiro_aplicar(0, 1, 10, &out, "n", "fora", &fe), APP_EINVALID);
	assert_erro(&fe, "n", "fora");
	field_errors_init(&fe);
	assert_int_equal(campo_inteiro_aplicar(11, 1, 10, &out, "n", "fora", &fe), APP_EINVALID);
	assert_erro(&fe, "n", "fora");
	field_errors_init(&fe);
	assert_int_equal(campo_inteiro_aplicar(-2147483649L, 1, 10, &out, "n", "fora", &fe),
	                 APP_EINVALID);
	assert_int_equal(out, 5);
}

static void test_campo_inteiro_opcional__vazio__zero_sem_verificar(void **state)
{
	struct field_errors fe;
	int out = 5;
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_inteiro_opcional(true, 999, 1, 10, &out, "n", "fora", &fe), 0);
	assert_int_equal(out, 0);
	assert_int_equal(fe.count, 0);
	assert_int_equal(campo_inteiro_opcional(false, 7, 1, 10, &out, "n", "fora", &fe), 0);
	assert_int_equal(out, 7);
	assert_int_equal(campo_inteiro_opcional(false, 0, 1, 10, &out, "n", "fora", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "n", "fora");
	assert_int_equal(out, 7);
}

static int sempre_valido(const char *s)
{
	(void)s;
	return 1;
}

static void test_campo_formato_aplicar__nao_cabe_na_saida__invalido_nao_cortado(void **state)
{
	struct field_errors fe;
	char out[8] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_formato_aplicar(" 1234567 ", sempre_valido, "longo", out, sizeof out,
	                                       "telefone", &fe),
	                 0);
	assert_string_equal(out, "1234567");
	assert_int_equal(campo_formato_aplicar("12345678", sempre_valido, "longo", out, sizeof out,
	                                       "telefone", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "telefone", "longo");
	assert_string_equal(out, "1234567");
}

/*
 * A value is checked whole, however much white space sits inside it: before domain/campos.c the
 * telephone was trimmed into a 40-byte buffer first, so this one was cut to its first number and
 * stored without a word.
 */
static void
test_campo_formato_opcional__texto_alem_de_espacos_longos__invalido_nao_cortado(void **state)
{
	struct field_errors fe;
	char out[TELEFONE_MAX + 1] = "antes";
	char valor[128];
	(void)state;

	snprintf(valor, sizeof valor, "11 99999-9999%40sramal 2", "");
	field_errors_init(&fe);
	assert_int_equal(campo_formato_opcional(valor, telefone_valido, "telefone inválido", out,
	                                        sizeof out, "telefone", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "telefone", "telefone inválido");
	assert_string_equal(out, "antes");
}

static void test_campo_formato_opcional__nulo_ou_em_branco__limpa(void **state)
{
	struct field_errors fe;
	char out[TELEFONE_MAX + 1] = "antes";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_formato_opcional(NULL, telefone_valido, "telefone inválido", out,
	                                        sizeof out, "telefone", &fe),
	                 0);
	assert_string_equal(out, "");
	memcpy(out, "antes", sizeof "antes");
	assert_int_equal(campo_formato_opcional(" \t ", telefone_valido, "telefone inválido", out,
	                                        sizeof out, "telefone", &fe),
	                 0);
	assert_string_equal(out, "");
	assert_int_equal(fe.count, 0);
}

static void test_campo_formato_opcional__valor__validado_como_exigido(void **state)
{
	struct field_errors fe;
	char out[TELEFONE_MAX + 1] = "";
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(campo_formato_opcional(" (11) 98765-4321 ", telefone_valido,
	                                        "telefone inválido", out, sizeof out, "telefone",
	                                        &fe),
	                 0);
	assert_string_equal(out, "(11) 98765-4321");
	assert_int_equal(campo_formato_opcional("abc", telefone_valido, "telefone inválido", out,
	                                        sizeof out, "telefone", &fe),
	                 APP_EINVALID);
	assert_erro(&fe, "telefone", "telefone inválido");
	assert_string_equal(out, "(11) 98765-4321");
}

static void test_texto_vazio__nulo_vazio_ou_espacos__vazio(void **state)
{
	(void)state;
	assert_true(texto_vazio(NULL));
	assert_true(texto_vazio(""));
	assert_true(texto_vazio(" \t\n\v\f\r "));
	assert_false(texto_vazio(" a "));
	assert_false(texto_vazio("\x01")); /* a control character is text, and then invalid */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_campo_exigido__dado__aplica_sem_erro),
	    cmocka_unit_test(test_campo_exigido__faltando_em_criar_e_substituir__obrigatorio),
	    cmocka_unit_test(test_campo_exigido__faltando_em_alterar__sem_erro),
	    cmocka_unit_test(test_campo_opcional__so_alterar_deixa_de_fora),
	    cmocka_unit_test(test_campo_ativo_aplicar__nao_dado__novo_ativo_existente_mantido),
	    cmocka_unit_test(test_campo_ativo_aplicar__dado__vale_em_todo_modo),
	    cmocka_unit_test(test_campo_texto_aplicar__valido__aparado),
	    cmocka_unit_test(test_campo_texto_aplicar__fora_dos_limites__mensagem_com_limites),
	    cmocka_unit_test(test_campo_texto_aplicar__minimo_zero__so_o_maximo_na_mensagem),
	    cmocka_unit_test(test_campo_texto_aplicar__controle_ou_nulo__invalido),
	    cmocka_unit_test(test_campo_inteiro_aplicar__limites_inclusivos),
	    cmocka_unit_test(test_campo_inteiro_aplicar__fora__erro_e_saida_mantida),
	    cmocka_unit_test(test_campo_inteiro_opcional__vazio__zero_sem_verificar),
	    cmocka_unit_test(test_campo_formato_aplicar__valido__aparado),
	    cmocka_unit_test(
	        test_campo_formato_aplicar__invalido_vazio_ou_nulo__erro_e_saida_mantida),
	    cmocka_unit_test(test_campo_formato_aplicar__nao_cabe_na_saida__invalido_nao_cortado),
	    cmocka_unit_test(test_campo_formato_opcional__nulo_ou_em_branco__limpa),
	    cmocka_unit_test(
	        test_campo_formato_opcional__texto_alem_de_espacos_longos__invalido_nao_cortado),
	    cmocka_unit_test(test_campo_formato_opcional__valor__validado_como_exigido),
	    cmocka_unit_test(test_texto_vazio__nulo_vazio_ou_espacos__vazio),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
