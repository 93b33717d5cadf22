/*
 * Unit tests of domain/servico: validation and application of a catalogue service's fields in
 * the three modes (create, replace, patch), and the shared money field (domain layer; cmocka).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "domain/servico.h"

static struct servico_campos campos_validos(void)
{
	struct servico_campos in = {0};
	in.nome = "Troca de óleo";
	in.valor = "150.00";
	in.ativo = -1;
	return in;
}

static void assert_so_erro(const struct field_errors *fe, const char *campo)
{
	if (fe->count != 1 || !field_errors_has(fe, campo))
		fail_msg("want exactly one error on %s, got %zu (first: %s)", campo, fe->count,
		         fe->count ? fe->items[0].campo : "-");
}

static void test_servico_aplicar__criar_minimo__defaults(void **state)
{
	struct servico s;
	struct field_errors fe;
	struct servico_campos in = campos_validos();
	(void)state;

	memset(&s, 0, sizeof s);
	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), 0);
	assert_string_equal(s.nome, "Troca de óleo");
	assert_string_equal(s.descricao, "");
	assert_int_equal(s.valor_centavos, 15000);
	assert_int_equal(s.tempo_estimado_minutos, 0);
	assert_true(s.ativo);
}

static void test_servico_aplicar__criar_completo__aparado(void **state)
{
	struct servico s;
	struct field_errors fe;
	struct servico_campos in = campos_validos();
	(void)state;

	memset(&s, 0, sizeof s);
	field_errors_init(&fe);
	in.nome = "  Alinhamento  ";
	in.descricao = "  Alinhamento e balanceamento\ncom revisão  ";
	in.descricao_given = true;
	in.valor = "0.5";
	in.tempo_given = true;
	in.tempo_estimado_minutos = 45;
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), 0);
	assert_string_equal(s.nome, "Alinhamento");
	assert_string_equal(s.descricao, "Alinhamento e balanceamento\ncom revisão");
	assert_int_equal(s.valor_centavos, 50);
	assert_int_equal(s.tempo_estimado_minutos, 45);
}

static void test_servico_aplicar__criar_vazio__nome_e_valor_obrigatorios(void **state)
{
	struct servico s;
	struct field_errors fe;
	struct servico_campos in = {.ativo = -1};
	(void)state;

	memset(&s, 0, sizeof s);
	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_true(field_errors_has(&fe, "nome"));
	assert_true(field_errors_has(&fe, "valor"));
}

static void test_servico_aplicar__nome_limites(void **state)
{
	char longo[200];
	struct {
		const char *nome;
		int ok;
	} casos[] = {{"ab", 0}, {"abc", 1}, {"   ab   ", 0}, {"Óleo", 1}, {"", 0}, {NULL, 1}};
	(void)state;

	memset(longo, 'a', 121);
	longo[121] = '\0';
	casos[5].nome = longo;
	casos[5].ok = 0;
	for (size_t i = 0; i < sizeof casos / sizeof casos[0]; i++) {
		struct servico s = {0};
		struct field_errors fe;
		struct servico_campos in = campos_validos();
		field_errors_init(&fe);
		in.nome = casos[i].nome;
		int rc = servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe);
		if (casos[i].ok)
			assert_int_equal(rc, 0);
		else
			assert_so_erro(&fe, "nome");
	}
	longo[120] = '\0'; /* exactly 120 */
	struct servico s = {0};
	struct field_errors fe;
	struct servico_campos in = campos_validos();
	field_errors_init(&fe);
	in.nome = longo;
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), 0);
}

static void test_servico_aplicar__valor_invalido__erro_em_valor(void **state)
{
	const char *ruins[] = {"150.555", "-1", "1e2", " 1", "", "abc", "1,50", "1000000000"};
	(void)state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		struct servico s = {0};
		struct field_errors fe;
		struct servico_campos in = campos_validos();
		field_errors_init(&fe);
		in.valor = ruins[i];
		assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), APP_EINVALID);
		assert_so_erro(&fe, "valor");
	}
}

static void test_servico_aplicar__descricao_2000_ok_2001_invalida(void **state)
{
	static char texto[2100];
	struct servico s = {0};
	struct field_errors fe;
	struct servico_campos in = campos_validos();
	(void)state;

	memset(texto, 'x', 2000);
	texto[2000] = '\0';
	field_errors_init(&fe);
	in.descricao = texto;
	in.descricao_given = true;
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), 0);
	assert_int_equal(strlen(s.descricao), 2000);

	texto[2000] = 'x';
	texto[2001] = '\0';
	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), APP_EINVALID);
	assert_so_erro(&fe, "descricao");

	field_errors_init(&fe);
	in.descricao = "com \x01 controle";
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), APP_EINVALID);
	assert_so_erro(&fe, "descricao");
}

static void test_servico_aplicar__tempo_limites(void **state)
{
	long casos[] = {0, 1, 100000, 100001, -5};
	int ok[] = {0, 1, 1, 0, 0};
	(void)state;

	for (size_t i = 0; i < 5; i++) {
		struct servico s = {0};
		struct field_errors fe;
		struct servico_campos in = campos_validos();
		field_errors_init(&fe);
		in.tempo_given = true;
		in.tempo_estimado_minutos = casos[i];
		int rc = servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe);
		if (ok[i]) {
			assert_int_equal(rc, 0);
			assert_int_equal(s.tempo_estimado_minutos, casos[i]);
		} else {
			assert_so_erro(&fe, "tempo_estimado_minutos");
		}
	}
}

static struct servico existente(void)
{
	struct servico s = {0};
	strcpy(s.nome, "Revisão completa");
	strcpy(s.descricao, "Tudo");
	s.valor_centavos = 50000;
	s.tempo_estimado_minutos = 240;
	s.ativo = true;
	return s;
}

static void test_servico_aplicar__patch_so_muda_o_dado(void **state)
{
	struct servico s = existente();
	struct field_errors fe;
	struct servico_campos in = {.ativo = -1, .valor = "99.9"};
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_int_equal(s.valor_centavos, 9990);
	assert_string_equal(s.nome, "Revisão completa");
	assert_string_equal(s.descricao, "Tudo");
	assert_int_equal(s.tempo_estimado_minutos, 240);
}

static void test_servico_aplicar__patch_null_limpa_opcionais(void **state)
{
	struct servico s = existente();
	struct field_errors fe;
	struct servico_campos in = {.ativo = 0};
	(void)state;

	in.descricao_given = true; /* null */
	in.tempo_given = true;
	in.tempo_nulo = true;
	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(s.descricao, "");
	assert_int_equal(s.tempo_estimado_minutos, 0);
	assert_false(s.ativo);
}

static void test_servico_aplicar__put_sem_opcionais__limpa(void **state)
{
	struct servico s = existente();
	struct field_errors fe;
	struct servico_campos in = campos_validos();
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_SUBSTITUIR, &fe), 0);
	assert_string_equal(s.descricao, "");
	assert_int_equal(s.tempo_estimado_minutos, 0);
	assert_true(s.ativo); /* ativo untouched when not given */

	struct servico_campos vazio = {.ativo = -1};
	field_errors_init(&fe);
	assert_int_equal(servico_aplicar(&s, &vazio, CAMPOS_SUBSTITUIR, &fe), APP_EINVALID);
	assert_true(field_errors_has(&fe, "nome"));
	assert_true(field_errors_has(&fe, "valor"));
}

static void test_servico_aplicar__erro_de_tipo_ja_registrado__nao_duplica(void **state)
{
	struct servico s = {0};
	struct field_errors fe;
	struct servico_campos in = campos_validos();
	(void)state;

	field_errors_init(&fe);
	field_errors_add(&fe, "valor", "deve ser um valor em reais");
	in.valor = NULL; /* the reader dropped it */
	assert_int_equal(servico_aplicar(&s, &in, CAMPOS_CRIAR, &fe), APP_EINVALID);
	assert_so_erro(&fe, "valor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_servico_aplicar__criar_minimo__defaults),
	    cmocka_unit_test(test_servico_aplicar__criar_completo__aparado),
	    cmocka_unit_test(test_servico_aplicar__criar_vazio__nome_e_valor_obrigatorios),
	    cmocka_unit_test(test_servico_aplicar__nome_limites),
	    cmocka_unit_test(test_servico_aplicar__valor_invalido__erro_em_valor),
	    cmocka_unit_test(test_servico_aplicar__descricao_2000_ok_2001_invalida),
	    cmocka_unit_test(test_servico_aplicar__tempo_limites),
	    cmocka_unit_test(test_servico_aplicar__patch_so_muda_o_dado),
	    cmocka_unit_test(test_servico_aplicar__patch_null_limpa_opcionais),
	    cmocka_unit_test(test_servico_aplicar__put_sem_opcionais__limpa),
	    cmocka_unit_test(test_servico_aplicar__erro_de_tipo_ja_registrado__nao_duplica),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
