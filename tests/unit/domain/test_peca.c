/*
 * Unit tests of domain/peca: validation and application of a part's fields in the three modes,
 * the rule that editing never changes the balance, and the validation of a stock movement
 * (domain layer; cmocka).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "domain/peca.h"

static struct peca_campos campos_validos(void)
{
	struct peca_campos in = {0};
	in.nome = "Filtro de óleo";
	in.tipo = "PECA";
	in.valor = "25.90";
	in.quantidade_given = true;
	in.quantidade_estoque = 10;
	in.ativo = -1;
	return in;
}

static void assert_so_erro(const struct field_errors *fe, const char *campo)
{
	if (fe->count != 1 || !field_errors_has(fe, campo))
		fail_msg("want exactly one error on %s, got %zu (first: %s: %s)", campo, fe->count,
		         fe->count ? fe->items[0].campo : "-",
		         fe->count ? fe->items[0].mensagem : "");
}

static int criar(struct peca *p, const struct peca_campos *in, struct field_errors *fe)
{
	memset(p, 0, sizeof *p);
	field_errors_init(fe);
	return peca_aplicar(p, in, CAMPOS_CRIAR, fe);
}

static void test_peca_aplicar__criar__defaults(void **state)
{
	struct peca p;
	struct field_errors fe;
	struct peca_campos in = campos_validos();
	(void)state;

	assert_int_equal(criar(&p, &in, &fe), 0);
	assert_string_equal(p.nome, "Filtro de óleo");
	assert_string_equal(p.codigo, "");
	assert_int_equal(p.tipo, TIPO_PECA_PECA);
	assert_int_equal(p.valor_centavos, 2590);
	assert_int_equal(p.quantidade_estoque, 10);
	assert_int_equal(p.estoque_minimo, 0);
	assert_true(p.ativo);
}

static void test_peca_aplicar__criar_insumo_com_codigo_e_minimo(void **state)
{
	struct peca p;
	struct field_errors fe;
	struct peca_campos in = campos_validos();
	(void)state;

	in.tipo = "INSUMO";
	in.codigo = "  OL-5W30  ";
	in.codigo_given = true;
	in.estoque_minimo_given = true;
	in.estoque_minimo = 4;
	in.quantidade_estoque = 0;
	assert_int_equal(criar(&p, &in, &fe), 0);
	assert_int_equal(p.tipo, TIPO_PECA_INSUMO);
	assert_string_equal(p.codigo, "OL-5W30");
	assert_int_equal(p.estoque_minimo, 4);
	assert_int_equal(p.quantidade_estoque, 0);
}

static void test_peca_aplicar__criar_vazio__obrigatorios(void **state)
{
	struct peca p;
	struct field_errors fe;
	struct peca_campos in = {.ativo = -1};
	(void)state;

	assert_int_equal(criar(&p, &in, &fe), APP_EINVALID);
	assert_int_equal(fe.count, 4);
	assert_true(field_errors_has(&fe, "nome"));
	assert_true(field_errors_has(&fe, "tipo"));
	assert_true(field_errors_has(&fe, "valor"));
	assert_true(field_errors_has(&fe, "quantidade_estoque"));
}

static void test_peca_aplicar__tipo_invalido(void **state)
{
	const char *ruins[] = {"peca", "Peca", "PEÇA", "OUTRO", "", " PECA"};
	(void)state;

	for (size_t i = 0; i < sizeof ruins / sizeof ruins[0]; i++) {
		struct peca p;
		struct field_errors fe;
		struct peca_campos in = campos_validos();
		in.tipo = ruins[i];
		assert_int_equal(criar(&p, &in, &fe), APP_EINVALID);
		assert_so_erro(&fe, "tipo");
	}
}

static void test_peca_aplicar__quantidades_negativas_ou_grandes__invalidas(void **state)
{
	struct peca p;
	struct field_errors fe;
	struct peca_campos in = campos_validos();
	(void)state;

	in.quantidade_estoque = -1;
	assert_int_equal(criar(&p, &in, &fe), APP_EINVALID);
	assert_so_erro(&fe, "quantidade_estoque");
	in.quantidade_estoque = PECA_QUANTIDADE_MAX + 1L;
	assert_int_equal(criar(&p, &in, &fe), APP_EINVALID);
	assert_so_erro(&fe, "quantidade_estoque");
	in.quantidade_estoque = PECA_QUANTIDADE_MAX;
	assert_int_equal(criar(&p, &in, &fe), 0);

	in = campos_validos();
	in.estoque_minimo_given = true;
	in.estoque_minimo = -3;
	assert_int_equal(criar(&p, &in, &fe), APP_EINVALID);
	assert_so_erro(&fe, "estoque_minimo");
}

static void test_peca_aplicar__codigo_limites(void **state)
{
	char codigo[80];
	struct peca p;
	struct field_errors fe;
	struct peca_campos in = campos_validos();
	(void)state;

	memset(codigo, 'C', 60);
	codigo[60] = '\0';
	in.codigo = codigo;
	in.codigo_given = true;
	assert_int_equal(criar(&p, &in, &fe), 0);
	assert_int_equal(strlen(p.codigo), 60);
	codigo[60] = 'C';
	codigo[61] = '\0';
	assert_int_equal(criar(&p, &in, &fe), APP_EINVALID);
	assert_so_erro(&fe, "codigo");
	in.codigo = "   "; /* only spaces: no code */
	assert_int_equal(criar(&p, &in, &fe), 0);
	assert_string_equal(p.codigo, "");
}

static struct peca existente(void)
{
	struct peca p = {0};
	strcpy(p.uuid.str, "0f8e4c0e-1111-4a2b-8c3d-123456789abc");
	strcpy(p.nome, "Pastilha de freio");
	strcpy(p.codigo, "PF-1");
	p.tipo = TIPO_PECA_PECA;
	p.valor_centavos = 12000;
	p.quantidade_estoque = 7;
	p.estoque_minimo = 2;
	p.ativo = true;
	return p;
}

static void test_peca_aplicar__patch_quantidade_diferente__422_aponta_movimentos(void **state)
{
	struct peca p = existente();
	struct field_errors fe;
	struct peca_campos in = {.ativo = -1, .quantidade_given = true, .quantidade_estoque = 50};
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(peca_aplicar(&p, &in, CAMPOS_ALTERAR, &fe), APP_EINVALID);
	assert_so_erro(&fe, "quantidade_estoque");
	assert_non_null(strstr(fe.items[0].mensagem, "movimentos"));
	assert_int_equal(p.quantidade_estoque, 7);
}

static void test_peca_aplicar__put_com_quantidade_igual__aceita_e_ignora(void **state)
{
	struct peca p = existente();
	struct field_errors fe;
	struct peca_campos in = campos_validos();
	(void)state;

	in.quantidade_estoque = 7;
	field_errors_init(&fe);
	assert_int_equal(peca_aplicar(&p, &in, CAMPOS_SUBSTITUIR, &fe), 0);
	assert_int_equal(p.quantidade_estoque, 7);
	assert_string_equal(p.codigo, "");     /* PUT without codigo clears it */
	assert_int_equal(p.estoque_minimo, 0); /* and the minimum */

	/* PUT without quantidade_estoque at all is fine too: it is not required outside creation.
	 */
	p = existente();
	in.quantidade_given = false;
	field_errors_init(&fe);
	assert_int_equal(peca_aplicar(&p, &in, CAMPOS_SUBSTITUIR, &fe), 0);
	assert_int_equal(p.quantidade_estoque, 7);
}

static void test_peca_aplicar__patch_null_limpa_codigo_e_minimo(void **state)
{
	struct peca p = existente();
	struct field_errors fe;
	struct peca_campos in = {.ativo = -1};
	(void)state;

	in.codigo_given = true;
	in.estoque_minimo_given = true;
	in.estoque_minimo_nulo = true;
	field_errors_init(&fe);
	assert_int_equal(peca_aplicar(&p, &in, CAMPOS_ALTERAR, &fe), 0);
	assert_string_equal(p.codigo, "");
	assert_int_equal(p.estoque_minimo, 0);
	assert_string_equal(p.nome, "Pastilha de freio");
	assert_int_equal(p.valor_centavos, 12000);
}

static void test_tipo_peca__nome_e_parse(void **state)
{
	enum tipo_peca t;
	(void)state;

	assert_string_equal(tipo_peca_nome(TIPO_PECA_PECA), "PECA");
	assert_string_equal(tipo_peca_nome(TIPO_PECA_INSUMO), "INSUMO");
	assert_int_equal(tipo_peca_parse("INSUMO", &t), 0);
	assert_int_equal(t, TIPO_PECA_INSUMO);
	assert_int_equal(tipo_peca_parse(NULL, &t), APP_EINVALID);
}

static void test_movimento_validar__casos(void **state)
{
	char motivo[MOTIVO_MAX * 4 + 1], longo[600];
	struct field_errors fe;
	(void)state;

	field_errors_init(&fe);
	assert_int_equal(
	    movimento_validar(true, -3, "  uso na oficina ", motivo, sizeof motivo, &fe), 0);
	assert_string_equal(motivo, "uso na oficina");
	assert_int_equal(movimento_validar(true, 1000000000, "compra", motivo, sizeof motivo, &fe),
	                 0);

	field_errors_init(&fe);
	assert_int_equal(movimento_validar(true, 0, "x", motivo, sizeof motivo, &fe), APP_EINVALID);
	assert_so_erro(&fe, "quantidade");

	field_errors_init(&fe);
	assert_int_equal(movimento_validar(true, -1000000001, "x", motivo, sizeof motivo, &fe),
	                 APP_EINVALID);
	assert_so_erro(&fe, "quantidade");

	field_errors_init(&fe);
	assert_int_equal(movimento_validar(false, 0, NULL, motivo, sizeof motivo, &fe),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_true(field_errors_has(&fe, "quantidade"));
	assert_true(field_errors_has(&fe, "motivo"));

	field_errors_init(&fe);
	assert_int_equal(movimento_validar(true, 1, "   ", motivo, sizeof motivo, &fe),
	                 APP_EINVALID);
	assert_so_erro(&fe, "motivo");

	memset(longo, 'm', 500);
	longo[500] = '\0';
	field_errors_init(&fe);
	assert_int_equal(movimento_validar(true, 1, longo, motivo, sizeof motivo, &fe), 0);
	longo[500] = 'm';
	longo[501] = '\0';
	assert_int_equal(movimento_validar(true, 1, longo, motivo, sizeof motivo, &fe),
	                 APP_EINVALID);
	assert_so_erro(&fe, "motivo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_peca_aplicar__criar__defaults),
	    cmocka_unit_test(test_peca_aplicar__criar_insumo_com_codigo_e_minimo),
	    cmocka_unit_test(test_peca_aplicar__criar_vazio__obrigatorios),
	    cmocka_unit_test(test_peca_aplicar__tipo_invalido),
	    cmocka_unit_test(test_peca_aplicar__quantidades_negativas_ou_grandes__invalidas),
	    cmocka_unit_test(test_peca_aplicar__codigo_limites),
	    cmocka_unit_test(test_peca_aplicar__patch_quantidade_diferente__422_aponta_movimentos),
	    cmocka_unit_test(test_peca_aplicar__put_com_quantidade_igual__aceita_e_ignora),
	    cmocka_unit_test(test_peca_aplicar__patch_null_limpa_codigo_e_minimo),
	    cmocka_unit_test(test_tipo_peca__nome_e_parse),
	    cmocka_unit_test(test_movimento_validar__casos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
