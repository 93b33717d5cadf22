/*
 * Unit tests of domain/texto: code-point lengths, UTF-8 well-formedness, length rules with
 * trimming, e-mail and telephone shapes, and trimming with UTF-8-safe truncation (domain layer;
 * cmocka, no fakes needed). Multibyte text is written as UTF-8 literals where it is readable and
 * as \x escapes where the bytes themselves are the point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/texto.h"

#define ASSERT_BOOL(expr, esperado)                                                                \
	do {                                                                                       \
		if (!!(expr) != (esperado))                                                        \
			fail_msg("%s deveria ser %d", #expr, (esperado));                          \
	} while (0)

/* utf8_length */

static void test_utf8_length__ascii__bytes(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("Maria"), 5);
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length(" "), 1);
}

static void test_utf8_length__jose__quatro(void **state)
{
	(void)state;
	assert_int_equal(strlen("José"), 5);
	assert_int_equal(utf8_length("José"), 4);
}

static void test_utf8_length__multibyte_de_dois_tres_e_quatro_bytes__um_cada(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("ç"), 1); /* 2 bytes */
	assert_int_equal(utf8_length("€"), 1); /* 3 bytes */
	assert_int_equal(utf8_length("🚗"), 1); /* 4 bytes */
	assert_int_equal(utf8_length("João Conceição"), 14);
	assert_int_equal(utf8_length("Mecânica São José 🚗"), 19);
}

static void test_utf8_length__nulo__zero(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(NULL), 0);
}

/* utf8_valido */

static void test_utf8_valido__texto_bem_formado__valido(void **state)
{
	(void)state;
	ASSERT_BOOL(utf8_valido(""), 1);
	ASSERT_BOOL(utf8_valido("José da Silva"), 1);
	ASSERT_BOOL(utf8_valido("\xc2\x80"), 1);         /* U+0080 */
	ASSERT_BOOL(utf8_valido("\xed\x9f\xbf"), 1);     /* U+D7FF */
	ASSERT_BOOL(utf8_valido("\xee\x80\x80"), 1);     /* U+E000 */
	ASSERT_BOOL(utf8_valido("\xef\xbf\xbd"), 1);     /* U+FFFD */
	ASSERT_BOOL(utf8_valido("\xf0\x90\x80\x80"), 1); /* U+10000 */
	ASSERT_BOOL(utf8_valido("\xf4\x8f\xbf\xbf"), 1); /* U+10FFFF */
}

static void test_utf8_valido__bytes_mal_formados__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(utf8_valido(NULL), 0);
	ASSERT_BOOL(utf8_valido("Jos\xe9"), 0);          /* Latin-1 é */
	ASSERT_BOOL(utf8_valido("\x80"), 0);             /* lone continuation */
	ASSERT_BOOL(utf8_valido("\xc3"), 0);             /* truncated */
	ASSERT_BOOL(utf8_valido("\xe2\x82"), 0);         /* truncated */
	ASSERT_BOOL(utf8_valido("\xf0\x9f\x9a"), 0);     /* truncated */
	ASSERT_BOOL(utf8_valido("\xc3\x28"), 0);         /* bad continuation */
	ASSERT_BOOL(utf8_valido("\xc0\xaf"), 0);         /* overlong '/' */
	ASSERT_BOOL(utf8_valido("\xc1\xbf"), 0);         /* overlong */
	ASSERT_BOOL(utf8_valido("\xe0\x80\xaf"), 0);     /* overlong */
	ASSERT_BOOL(utf8_valido("\xf0\x80\x80\xaf"), 0); /* overlong */
	ASSERT_BOOL(utf8_valido("\xed\xa0\x80"), 0);     /* surrogate U+D800 */
	ASSERT_BOOL(utf8_valido("\xf4\x90\x80\x80"), 0); /* U+110000 */
	ASSERT_BOOL(utf8_valido("\xf5\x80\x80\x80"), 0);
	ASSERT_BOOL(utf8_valido("\xff"), 0);
}

/* texto_tamanho_valido */

static void test_texto_tamanho_valido__dentro_dos_limites__valido(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido("Ana", 3, 120), 1);
	ASSERT_BOOL(texto_tamanho_valido("Maria da Silva", 3, 120), 1);
	ASSERT_BOOL(texto_tamanho_valido("abc", 3, 3), 1);
}

static void test_texto_tamanho_valido__jose_conta_code_points__quatro(void **state)
{
	(void)state;
	/* 5 bytes, 4 characters: fits a maximum of 4 and fails a minimum of 5. */
	ASSERT_BOOL(texto_tamanho_valido("José", 4, 4), 1);
	ASSERT_BOOL(texto_tamanho_valido("José", 5, 10), 0);
	ASSERT_BOOL(texto_tamanho_valido("Ãé", 3, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("Jó", 1, 2), 1);
}

static void test_texto_tamanho_valido__curto_ou_longo__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido("Al", 3, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("abcd", 1, 3), 0);

	char longo[122];
	memset(longo, 'a', 121);
	longo[121] = '\0';
	ASSERT_BOOL(texto_tamanho_valido(longo, 3, 120), 0);
	longo[120] = '\0';
	ASSERT_BOOL(texto_tamanho_valido(longo, 3, 120), 1);
}

static void test_texto_tamanho_valido__espacos_nas_pontas__ignorados(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido("   Al   ", 3, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("  Ana  ", 3, 3), 1);
	ASSERT_BOOL(texto_tamanho_valido("\tAna\r\n", 3, 3), 1);
	ASSERT_BOOL(texto_tamanho_valido("   ", 1, 10), 0);
	ASSERT_BOOL(texto_tamanho_valido("   ", 0, 10), 1);
	ASSERT_BOOL(texto_tamanho_valido("", 0, 0), 1);
}

static void test_texto_tamanho_valido__espaco_no_meio__conta(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido("A B", 3, 3), 1);
}

static void test_texto_tamanho_valido__caractere_de_controle__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido("Ana\tMaria", 1, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("Ana\nMaria", 1, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("Ana\x01", 1, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("\x1b[31mAna", 1, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("Ana\x7f", 1, 120), 0);
}

static void test_texto_tamanho_valido__utf8_mal_formado__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido("Jos\xe9", 1, 120), 0);
	ASSERT_BOOL(texto_tamanho_valido("\xc0\xaf\xc0\xaf\xc0\xaf", 1, 120), 0);
}

static void test_texto_tamanho_valido__nulo__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(texto_tamanho_valido(NULL, 0, 10), 0);
}

/* email_valido */

static void test_email_valido__enderecos_comuns__valido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("ana@oficina.com.br"), 1);
	ASSERT_BOOL(email_valido("a@b.co"), 1);
	ASSERT_BOOL(email_valido("joao.silva+os@mecanica-sp.com"), 1);
	ASSERT_BOOL(email_valido("Maria_Souza@Example.ORG"), 1);
	ASSERT_BOOL(email_valido("jose@conceição.com.br"), 1);
}

static void test_email_valido__sem_arroba_ou_duas_arrobas__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("ana.oficina.com"), 0);
	ASSERT_BOOL(email_valido("ana@@oficina.com"), 0);
	ASSERT_BOOL(email_valido("ana@ofi@cina.com"), 0);
}

static void test_email_valido__parte_local_vazia_ou_longa__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("@oficina.com"), 0);

	char email[80];
	memset(email, 'a', 64);
	strcpy(email + 64, "@x.com");
	ASSERT_BOOL(email_valido(email), 1);
	memset(email, 'a', 65);
	strcpy(email + 65, "@x.com");
	ASSERT_BOOL(email_valido(email), 0);
}

static void test_email_valido__dominio_sem_ponto_ou_com_ponto_nas_pontas__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("ana@localhost"), 0);
	ASSERT_BOOL(email_valido("ana@"), 0);
	ASSERT_BOOL(email_valido("ana@.com"), 0);
	ASSERT_BOOL(email_valido("ana@oficina.com."), 0);
	ASSERT_BOOL(email_valido("ana@."), 0);
}

static void test_email_valido__pontos_seguidos_no_dominio__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("ana@oficina..com"), 0);
}

static void test_email_valido__espaco_ou_controle__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("ana maria@oficina.com"), 0);
	ASSERT_BOOL(email_valido(" ana@oficina.com"), 0);
	ASSERT_BOOL(email_valido("ana@oficina.com "), 0);
	ASSERT_BOOL(email_valido("ana@oficina.com\n"), 0);
	ASSERT_BOOL(email_valido("ana\t@oficina.com"), 0);
	ASSERT_BOOL(email_valido("ana@ofi\x7f"
	                         "cina.com"),
	            0);
}

static void test_email_valido__utf8_mal_formado__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido("jos\xe9@oficina.com"), 0);
}

static void test_email_valido__ate_254_bytes__valido_acima__invalido(void **state)
{
	(void)state;
	/* "a@" + 248 'b' + ".com" = 254 bytes. */
	char email[300];
	strcpy(email, "a@");
	memset(email + 2, 'b', 248);
	strcpy(email + 250, ".com");
	assert_int_equal(strlen(email), 254);
	ASSERT_BOOL(email_valido(email), 1);

	strcpy(email + 250, ".comx");
	ASSERT_BOOL(email_valido(email), 0);
}

static void test_email_valido__nulo_ou_vazio__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(email_valido(NULL), 0);
	ASSERT_BOOL(email_valido(""), 0);
	ASSERT_BOOL(email_valido("@"), 0);
}

/* telefone_valido */

static void test_telefone_valido__formatos_brasileiros__valido(void **state)
{
	(void)state;
	ASSERT_BOOL(telefone_valido("(11) 98765-4321"), 1);
	ASSERT_BOOL(telefone_valido("11987654321"), 1);
	ASSERT_BOOL(telefone_valido("+55 11 98765-4321"), 1);
	ASSERT_BOOL(telefone_valido("+5511987654321"), 1);
	ASSERT_BOOL(telefone_valido("(11) 3456-7890"), 1);
	ASSERT_BOOL(telefone_valido("3456-7890"), 1); /* 8 digits, no area code */
}

static void test_telefone_valido__oito_e_quinze_digitos__valido(void **state)
{
	(void)state;
	ASSERT_BOOL(telefone_valido("12345678"), 1);
	ASSERT_BOOL(telefone_valido("123456789012345"), 1);
}

static void test_telefone_valido__sete_ou_dezesseis_digitos__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(telefone_valido("1234567"), 0);
	ASSERT_BOOL(telefone_valido("(11) 456-78"), 0);
	ASSERT_BOOL(telefone_valido("1234567890123456"), 0);
}

static void test_telefone_valido__mais_fora_do_inicio__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(telefone_valido("55+11987654321"), 0);
	ASSERT_BOOL(telefone_valido("++5511987654321"), 0);
	ASSERT_BOOL(telefone_valido(" +5511987654321"), 0);
}

static void test_telefone_valido__letras_ou_outros_caracteres__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(telefone_valido("11 98765-432l"), 0);
	ASSERT_BOOL(telefone_valido("11.98765.4321"), 0);
	ASSERT_BOOL(telefone_valido("11/987654321"), 0);
	ASSERT_BOOL(telefone_valido("11987654321 ramal 2"), 0);
	ASSERT_BOOL(telefone_valido("11\t987654321"), 0);
	ASSERT_BOOL(telefone_valido("１１987654321"), 0); /* fullwidth digits */
}

static void test_telefone_valido__mais_de_25_bytes__invalido(void **state)
{
	(void)state;
	/* 11 digits and 14 spaces = 25 bytes; one more space is too long. */
	ASSERT_BOOL(telefone_valido("1 1 9 8 7 6 5 4 3 2 1    "), 1);
	ASSERT_BOOL(telefone_valido("1 1 9 8 7 6 5 4 3 2 1     "), 0);
	ASSERT_BOOL(telefone_valido("((((((((((((11987654321)))"), 0);
}

static void test_telefone_valido__nulo_ou_vazio__invalido(void **state)
{
	(void)state;
	ASSERT_BOOL(telefone_valido(NULL), 0);
	ASSERT_BOOL(telefone_valido(""), 0);
	ASSERT_BOOL(telefone_valido("+"), 0);
	ASSERT_BOOL(telefone_valido("() -"), 0);
}

/* texto_trim */

static void assert_trim(const char *in, size_t out_size, const char *esperado)
{
	char out[64];

	assert_true(out_size <= sizeof out);
	memset(out, 'X', sizeof out);
	texto_trim(in, out, out_size);
	if (strcmp(out, esperado) != 0)
		fail_msg("texto_trim(\"%s\", %zu) = \"%s\", esperado \"%s\"", in ? in : "(null)",
		         out_size, out, esperado);
	if (out_size < sizeof out && out[out_size] != 'X')
		fail_msg("texto_trim(\"%s\", %zu) escreveu além de out_size", in ? in : "(null)",
		         out_size);
}

static void test_texto_trim__espacos_nas_pontas__removidos(void **state)
{
	(void)state;
	assert_trim("  José  ", 64, "José");
	assert_trim("\t\r\n\v\fAna Maria\n", 64, "Ana Maria");
	assert_trim("Ana", 64, "Ana");
	assert_trim("a  b", 64, "a  b");
}

static void test_texto_trim__so_espacos_ou_vazio__vazio(void **state)
{
	(void)state;
	assert_trim("   \t\n", 64, "");
	assert_trim("", 64, "");
}

static void test_texto_trim__nulo__vazio(void **state)
{
	(void)state;
	assert_trim(NULL, 64, "");
}

static void test_texto_trim__cabe_exatamente__inteiro(void **state)
{
	(void)state;
	assert_trim(" José ", 6, "José"); /* 5 bytes + NUL */
}

static void test_texto_trim__corte_no_meio_de_caractere__recua_para_a_fronteira(void **state)
{
	(void)state;
	/* "José" needs 6 bytes; with 5 the 'é' (2 bytes) would be split, so it is dropped whole. */
	assert_trim("José", 5, "Jos");
	assert_trim("José", 4, "Jos");
	assert_trim("ação", 3, "a"); /* 'ç' would be split after 'a' */
	assert_trim("ação", 4, "aç");
	assert_trim("🚗🚗", 5, "🚗");
	assert_trim("🚗🚗", 4, "");
	assert_trim("€", 3, "");
}

static void test_texto_trim__corte_deixa_espaco_no_fim__removido(void **state)
{
	(void)state;
	assert_trim("ab   cd", 5, "ab");
	assert_trim("  ab cd  ", 4, "ab");
}

static void test_texto_trim__tamanho_um__vazio(void **state)
{
	(void)state;
	assert_trim("abc", 1, "");
}

static void test_texto_trim__tamanho_zero__nada_escrito(void **state)
{
	(void)state;
	char out[4] = "XYZ";
	texto_trim("abc", out, 0);
	assert_string_equal(out, "XYZ");
}

static void test_texto_trim__mesmo_buffer__aceito(void **state)
{
	(void)state;
	char buf[32] = "   Oficina São José   ";
	texto_trim(buf, buf, sizeof buf);
	assert_string_equal(buf, "Oficina São José");

	char curto[] = "  João Conceição";
	texto_trim(curto, curto, 8);
	assert_string_equal(curto, "João C");
}

static void test_texto_trim__entrada_justa_no_heap__nao_le_alem_do_fim(void **state)
{
	(void)state;
	const char *casos[] = {"", " ", "é", " José ", "ab\xc3"};
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		size_t n = strlen(casos[i]) + 1;
		char *in = malloc(n);
		char out[8];

		assert_non_null(in);
		memcpy(in, casos[i], n);
		texto_trim(in, out, sizeof out);
		texto_trim(in, out, 2);
		(void)utf8_length(in);
		(void)utf8_valido(in);
		(void)texto_tamanho_valido(in, 0, 10);
		(void)email_valido(in);
		(void)telefone_valido(in);
		free(in);
	}
}

/* ---- texto_nome / texto_nome_indice: an enum's names as a table ------------------------- */

static const char *const cores[] = {[1] = "AZUL", [2] = "VERDE"}; /* 0 has no name */
#define CORES (sizeof cores / sizeof cores[0])

static void test_texto_nome__indices_dentro_e_fora__nome_ou_vazio(void **state)
{
	(void)state;
	assert_string_equal(texto_nome(cores, CORES, 1), "AZUL");
	assert_string_equal(texto_nome(cores, CORES, 2), "VERDE");
	assert_string_equal(texto_nome(cores, CORES, 0), ""); /* unnamed */
	assert_string_equal(texto_nome(cores, CORES, 3), "");
	assert_string_equal(texto_nome(cores, CORES, -1), "");
}

static void test_texto_nome_indice__nome_exato__indice_senao_menos_um(void **state)
{
	(void)state;
	assert_int_equal(texto_nome_indice(cores, CORES, "AZUL"), 1);
	assert_int_equal(texto_nome_indice(cores, CORES, "VERDE"), 2);
	assert_int_equal(texto_nome_indice(cores, CORES, "azul"), -1);
	assert_int_equal(texto_nome_indice(cores, CORES, "AZUL "), -1);
	assert_int_equal(texto_nome_indice(cores, CORES, ""), -1);
	assert_int_equal(texto_nome_indice(cores, CORES, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_length__ascii__bytes),
	    cmocka_unit_test(test_utf8_length__jose__quatro),
	    cmocka_unit_test(test_utf8_length__multibyte_de_dois_tres_e_quatro_bytes__um_cada),
	    cmocka_unit_test(test_utf8_length__nulo__zero),
	    cmocka_unit_test(test_utf8_valido__texto_bem_formado__valido),
	    cmocka_unit_test(test_utf8_valido__bytes_mal_formados__invalido),
	    cmocka_unit_test(test_texto_tamanho_valido__dentro_dos_limites__valido),
	    cmocka_unit_test(test_texto_tamanho_valido__jose_conta_code_points__quatro),
	    cmocka_unit_test(test_texto_tamanho_valido__curto_ou_longo__invalido),
	    cmocka_unit_test(test_texto_tamanho_valido__espacos_nas_pontas__ignorados),
	    cmocka_unit_test(test_texto_tamanho_valido__espaco_no_meio__conta),
	    cmocka_unit_test(test_texto_tamanho_valido__caractere_de_controle__invalido),
	    cmocka_unit_test(test_texto_tamanho_valido__utf8_mal_formado__invalido),
	    cmocka_unit_test(test_texto_tamanho_valido__nulo__invalido),
	    cmocka_unit_test(test_email_valido__enderecos_comuns__valido),
	    cmocka_unit_test(test_email_valido__sem_arroba_ou_duas_arrobas__invalido),
	    cmocka_unit_test(test_email_valido__parte_local_vazia_ou_longa__invalido),
	    cmocka_unit_test(
	        test_email_valido__dominio_sem_ponto_ou_com_ponto_nas_pontas__invalido),
	    cmocka_unit_test(test_email_valido__pontos_seguidos_no_dominio__invalido),
	    cmocka_unit_test(test_email_valido__espaco_ou_controle__invalido),
	    cmocka_unit_test(test_email_valido__utf8_mal_formado__invalido),
	    cmocka_unit_test(test_email_valido__ate_254_bytes__valido_acima__invalido),
	    cmocka_unit_test(test_email_valido__nulo_ou_vazio__invalido),
	    cmocka_unit_test(test_telefone_valido__formatos_brasileiros__valido),
	    cmocka_unit_test(test_telefone_valido__oito_e_quinze_digitos__valido),
	    cmocka_unit_test(test_telefone_valido__sete_ou_dezesseis_digitos__invalido),
	    cmocka_unit_test(test_telefone_valido__mais_fora_do_inicio__invalido),
	    cmocka_unit_test(test_telefone_valido__letras_ou_outros_caracteres__invalido),
	    cmocka_unit_test(test_telefone_valido__mais_de_25_bytes__invalido),
	    cmocka_unit_test(test_telefone_valido__nulo_ou_vazio__invalido),
	    cmocka_unit_test(test_texto_trim__espacos_nas_pontas__removidos),
	    cmocka_unit_test(test_texto_trim__so_espacos_ou_vazio__vazio),
	    cmocka_unit_test(test_texto_trim__nulo__vazio),
	    cmocka_unit_test(test_texto_trim__cabe_exatamente__inteiro),
	    cmocka_unit_test(test_texto_trim__corte_no_meio_de_caractere__recua_para_a_fronteira),
	    cmocka_unit_test(test_texto_trim__corte_deixa_espaco_no_fim__removido),
	    cmocka_unit_test(test_texto_trim__tamanho_um__vazio),
	    cmocka_unit_test(test_texto_trim__tamanho_zero__nada_escrito),
	    cmocka_unit_test(test_texto_trim__mesmo_buffer__aceito),
	    cmocka_unit_test(test_texto_trim__entrada_justa_no_heap__nao_le_alem_do_fim),
	    cmocka_unit_test(test_texto_nome__indices_dentro_e_fora__nome_ou_vazio),
	    cmocka_unit_test(test_texto_nome_indice__nome_exato__indice_senao_menos_um),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
