/*
 * Unit tests of application/commands/comandos_catalogo, comandos_estoque and
 * queries/consultas_catalogo over the in-memory adapters (application layer; cmocka,
 * tests/fakes): the stored rows, the balance kept equal to the sum of the movements, the estoque.*
 * events in the outbox, how each transaction ended, and the contract of
 * retirar_estoque_na_transacao (the caller's transaction, never begun nor ended here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_catalogo.h"
#include "application/commands/comandos_estoque.h"
#include "application/queries/consultas_catalogo.h"
#include "domain/errors.h"
#include "tests/fakes/fake_app.h"
#include "tests/fakes/mem_catalogo.h"

static const struct app_caller quem = {
    .correlation_id = "corr-estoque-1",
    .sub = "00000003-0000-4000-8000-000000000001",
    .perfil = PERFIL_ADMIN,
};

struct fx {
	struct fake_app f;
};

static int setup(void **state)
{
	struct fx *x = malloc(sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	fake_app_cleanup(&x->f);
	free(x);
	return 0;
}

static struct peca_campos peca_campos(const char *nome, long saldo, long minimo)
{
	return (struct peca_campos){.nome = nome,
	                            .tipo = "PECA",
	                            .valor = "25.90",
	                            .quantidade_given = true,
	                            .quantidade_estoque = saldo,
	                            .estoque_minimo_given = minimo > 0,
	                            .estoque_minimo = minimo,
	                            .ativo = -1};
}

static struct uuid criar(struct fx *x, const char *nome, long saldo, long minimo)
{
	struct peca_campos in = peca_campos(nome, saldo, minimo);
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_peca(&x->f.app, &quem, &in, &fe, &id), 0);
	return id;
}

static const char *campo(const struct mem_evento *ev, const char *chave)
{
	const struct mem_evento_campo *c = mem_evento_campo(ev, chave);
	assert_non_null(c);
	return c->valor ? c->valor : "null";
}

/* ---- servicos ---- */

static void test_criar_servico__grava_e_le(void **state)
{
	struct fx *x = *state;
	struct servico_campos in = {.nome = " Troca de óleo ", .valor = "150.5", .ativo = -1};
	struct field_errors fe;
	struct servico s;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_servico(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(obter_servico(&x->f.app, &id, &s), 0);
	assert_string_equal(s.nome, "Troca de óleo");
	assert_int_equal(s.valor_centavos, 15050);
	assert_true(s.ativo);
	assert_int_equal(x->f.tx.commits, 1);
	assert_int_equal(x->f.catalogo.writes_outside_tx, 0);
}

static void test_criar_servico__invalido__nem_abre_transacao(void **state)
{
	struct fx *x = *state;
	struct servico_campos in = {.nome = "ab", .valor = "1.234", .ativo = -1};
	struct field_errors fe;
	struct uuid id;

	field_errors_init(&fe);
	assert_int_equal(criar_servico(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_int_equal(x->f.tx.begins, 0);
	assert_int_equal(x->f.catalogo.servicos.n, 0);
}

static void test_alterar_e_desativar_servico(void **state)
{
	struct fx *x = *state;
	struct servico_campos in = {.nome = "Alinhamento", .valor = "80", .ativo = -1};
	struct servico_campos patch = {.valor = "99.99", .ativo = -1};
	struct field_errors fe;
	struct servico s;
	struct uuid id, zero;

	field_errors_init(&fe);
	assert_int_equal(criar_servico(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(alterar_servico(&x->f.app, &quem, &id, &patch, CAMPOS_ALTERAR, &fe), 0);
	assert_int_equal(obter_servico(&x->f.app, &id, &s), 0);
	assert_int_equal(s.valor_centavos, 9999);
	assert_string_equal(s.nome, "Alinhamento");
	assert_int_equal(desativar_servico(&x->f.app, &quem, &id, &fe), 0);
	assert_int_equal(desativar_servico(&x->f.app, &quem, &id, &fe), 0); /* idempotent */
	assert_int_equal(obter_servico(&x->f.app, &id, &s), 0);
	assert_false(s.ativo);
	assert_true(x->f.catalogo.locks >= 3);

	uuid_parse("00000000-0000-4000-8000-000000000000", &zero);
	assert_int_equal(desativar_servico(&x->f.app, &quem, &zero, &fe), APP_ENOTFOUND);
	assert_int_equal(alterar_servico(&x->f.app, &quem, &zero, &patch, CAMPOS_ALTERAR, &fe),
	                 APP_ENOTFOUND);
}

/* ---- pecas ---- */

static void test_criar_peca__estoque_inicial_e_um_movimento_com_evento(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Filtro de óleo", 8, 2);
	long soma;

	const struct peca *p = mem_catalogo_peca(&x->f.catalogo, id.str);
	assert_non_null(p);
	assert_int_equal(p->quantidade_estoque, 8);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, id.str, &soma), 1);
	assert_int_equal(soma, 8);
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "estoque.movimentado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(ev->correlation_id, "corr-estoque-1");
	assert_string_equal(campo(ev, "quantidade"), "8");
	assert_string_equal(campo(ev, "saldo"), "8");
	assert_string_equal(campo(ev, "motivo"), "estoque inicial");
	assert_string_equal(campo(ev, "ordem_uuid"), "null");
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.abaixo_do_minimo"), 0);
	assert_int_equal(x->f.tx.commits, 1);

	/* Zero: no movement, no event. */
	struct uuid vazio = criar(x, "Graxa", 0, 0);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, vazio.str, NULL), 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, NULL), 1);
}

static void test_criar_peca__codigo_repetido__conflito_no_campo(void **state)
{
	struct fx *x = *state;
	struct peca_campos in = peca_campos("Vela", 1, 0);
	struct field_errors fe;
	struct uuid id;

	in.codigo = "VL-1";
	in.codigo_given = true;
	field_errors_init(&fe);
	assert_int_equal(criar_peca(&x->f.app, &quem, &in, &fe, &id), 0);
	in.codigo = "vl-1";
	assert_int_equal(criar_peca(&x->f.app, &quem, &in, &fe, &id), APP_ECONFLICT);
	assert_true(field_errors_has(&fe, "codigo"));
	assert_int_equal(x->f.catalogo.pecas.n, 1);
	assert_int_equal(x->f.catalogo.movimentos.n, 1); /* the first part's only */
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_criar_peca__falha_do_outbox__desfaz_peca_e_movimento(void **state)
{
	struct fx *x = *state;
	struct peca_campos in = peca_campos("Correia", 3, 0);
	struct field_errors fe;
	struct uuid id;

	fake_fault_next(&x->f.eventos.fault);
	field_errors_init(&fe);
	assert_int_equal(criar_peca(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(x->f.catalogo.pecas.n, 0);
	assert_int_equal(x->f.catalogo.movimentos.n, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_alterar_peca__nao_muda_saldo(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Pastilha", 5, 0);
	struct peca_campos patch = {.ativo = -1, .quantidade_given = true, .quantidade_estoque = 9};
	struct field_errors fe;
	struct peca p;

	field_errors_init(&fe);
	assert_int_equal(alterar_peca(&x->f.app, &quem, &id, &patch, CAMPOS_ALTERAR, &fe),
	                 APP_EINVALID);
	assert_true(field_errors_has(&fe, "quantidade_estoque"));
	patch.quantidade_estoque = 5;
	patch.nome = "Pastilha dianteira";
	field_errors_init(&fe);
	assert_int_equal(alterar_peca(&x->f.app, &quem, &id, &patch, CAMPOS_ALTERAR, &fe), 0);
	assert_int_equal(obter_peca(&x->f.app, &id, &p), 0);
	assert_string_equal(p.nome, "Pastilha dianteira");
	assert_int_equal(p.quantidade_estoque, 5);
	assert_int_equal(desativar_peca(&x->f.app, &quem, &id, &fe), 0);
	assert_int_equal(obter_peca(&x->f.app, &id, &p), 0);
	assert_false(p.ativo);
	assert_int_equal(p.quantidade_estoque, 5);
}

/* ---- movimentos ---- */

static void test_movimentar__saida_e_entrada(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Amortecedor", 4, 0);
	struct field_errors fe;
	struct movimento m;
	long soma;

	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, -3, "  troca  ", &fe, &m),
	                 0);
	assert_int_equal(m.saldo, 1);
	assert_int_equal(m.quantidade, -3);
	assert_string_equal(m.motivo, "troca");
	assert_string_equal(m.peca_uuid.str, id.str);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, 10, "compra", &fe, &m), 0);
	assert_int_equal(m.saldo, 11);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, id.str, &soma), 3);
	assert_int_equal(soma, 11);
	assert_int_equal(mem_catalogo_peca(&x->f.catalogo, id.str)->quantidade_estoque, 11);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.movimentado"), 3);
}

static void test_movimentar__falta__conflito_nomeia_peca_e_nada_muda(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Bomba d'água", 2, 0);
	struct field_errors fe;
	struct movimento m;

	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, -3, "uso", &fe, &m),
	                 APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "quantidade");
	assert_non_null(strstr(fe.items[0].mensagem, "Bomba d'água"));
	assert_non_null(strstr(fe.items[0].mensagem, "saldo 2"));
	assert_int_equal(mem_catalogo_peca(&x->f.catalogo, id.str)->quantidade_estoque, 2);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, id.str, NULL), 1);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.movimentado"), 1);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_movimentar__invalido_ou_desconhecida(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Junta", 2, 0), zero;
	struct field_errors fe;
	struct movimento m;
	int begins;

	begins = x->f.tx.begins;
	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, 0, NULL, &fe, &m),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_int_equal(x->f.tx.begins, begins); /* no transaction for bad input */
	uuid_parse("00000000-0000-4000-8000-000000000000", &zero);
	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &zero, true, 1, "x", &fe, &m),
	                 APP_ENOTFOUND);
}

static void test_movimentar__abaixo_do_minimo_so_ao_cruzar(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Filtro de ar", 5, 3);
	struct field_errors fe;
	struct movimento m;

	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, -2, "uso", &fe, &m), 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.abaixo_do_minimo"), 0);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, -1, "uso", &fe, &m), 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.abaixo_do_minimo"), 1);
	const struct mem_evento *ev =
	    mem_event_outbox_last(&x->f.eventos, "estoque.abaixo_do_minimo");
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(campo(ev, "peca_uuid"), id.str);
	assert_string_equal(campo(ev, "saldo"), "2");
	assert_string_equal(campo(ev, "estoque_minimo"), "3");
	assert_int_equal(mem_evento_campo(ev, "saldo")->is_number, 1);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, -1, "uso", &fe, &m), 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.abaixo_do_minimo"), 1);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, 1, "volta", &fe, &m), 0);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.abaixo_do_minimo"), 1);
}

static void test_movimentar__falha_no_evento__desfaz_movimento(void **state)
{
	struct fx *x = *state;
	struct uuid id = criar(x, "Rolamento", 5, 0);
	struct field_errors fe;
	struct movimento m;

	fake_fault_next(&x->f.eventos.fault);
	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &id, true, -1, "uso", &fe, &m),
	                 APP_EUNAVAILABLE);
	assert_int_equal(mem_catalogo_peca(&x->f.catalogo, id.str)->quantidade_estoque, 5);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, id.str, NULL), 1);
}

/* ---- the helper for the order engineer ---- */

static void test_retirar_em_transacao__nao_abre_nem_fecha(void **state)
{
	struct fx *x = *state;
	struct uuid a = criar(x, "Peça A", 5, 0), b = criar(x, "Peça B", 1, 0), ordem;
	struct movimento m;
	int begins = x->f.tx.begins, commits = x->f.tx.commits;

	uuid_parse("00000009-0000-4000-8000-000000000001", &ordem);
	assert_int_equal(transaction_begin(&x->f.app.tx), 0);
	assert_int_equal(retirar_estoque_na_transacao(&x->f.app, &quem, &a, 2, &ordem, NULL, &m),
	                 0);
	assert_int_equal(m.quantidade, -2);
	assert_int_equal(m.saldo, 3);
	assert_string_equal(m.ordem_uuid.str, ordem.str);
	assert_string_equal(m.motivo, "retirada para a ordem de serviço");
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "estoque.movimentado");
	assert_string_equal(campo(ev, "ordem_uuid"), ordem.str);
	assert_int_equal(retirar_estoque_na_transacao(&x->f.app, &quem, &b, 2, &ordem, "OS", &m),
	                 APP_ECONFLICT);
	assert_true(x->f.tx.open); /* still the caller's */
	assert_int_equal(x->f.tx.begins, begins + 1);
	assert_int_equal(x->f.tx.commits, commits);
	transaction_rollback(&x->f.app.tx);
	assert_int_equal(mem_catalogo_peca(&x->f.catalogo, a.str)->quantidade_estoque, 5);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, a.str, NULL), 1);

	assert_int_equal(retirar_estoque_na_transacao(&x->f.app, &quem, &a, 0, NULL, NULL, NULL),
	                 APP_EINVALID);
	assert_int_equal(retirar_estoque_na_transacao(&x->f.app, &quem, &a, -4, NULL, NULL, NULL),
	                 APP_EINVALID);
}

/* ---- queries ---- */

static void test_consultas__listas_e_filtro_abaixo_do_minimo(void **state)
{
	struct fx *x = *state;
	struct uuid baixa = criar(x, "Baixa", 1, 2);
	struct uuid ok = criar(x, "Normal", 2, 2);
	struct peca_filtro f = {.abaixo_do_minimo = 1, .tipo = -1};
	struct pagina page = {1, 20};
	struct lista pl;
	struct lista ml;
	struct field_errors fe;
	struct movimento m;
	struct uuid zero;

	assert_int_equal(listar_pecas(&x->f.app, &f, &page, &pl), 0);
	assert_int_equal(pl.n, 1);
	assert_string_equal(LISTA_ITENS(&pl, struct peca)[0].uuid.str, baixa.str);
	lista_cleanup(&pl);
	f.abaixo_do_minimo = 0;
	assert_int_equal(listar_pecas(&x->f.app, &f, &page, &pl), 0);
	assert_int_equal(pl.n, 1);
	assert_string_equal(LISTA_ITENS(&pl, struct peca)[0].uuid.str, ok.str);
	lista_cleanup(&pl);

	field_errors_init(&fe);
	assert_int_equal(movimentar_estoque(&x->f.app, &quem, &ok, true, 3, "compra", &fe, &m), 0);
	assert_int_equal(listar_movimentos(&x->f.app, &ok, &page, &ml), 0);
	assert_int_equal(ml.n, 2);
	assert_int_equal(ml.total, 2);
	assert_string_equal(LISTA_ITENS(&ml, struct movimento)[0].motivo,
	                    "compra"); /* newest first */
	lista_cleanup(&ml);
	struct movimento um;
	assert_int_equal(obter_movimento(&x->f.app, &ok, &m.uuid, &um), 0);
	assert_int_equal(um.saldo, 5);
	assert_int_equal(obter_movimento(&x->f.app, &baixa, &m.uuid, &um), APP_ENOTFOUND);

	uuid_parse("00000000-0000-4000-8000-000000000000", &zero);
	assert_int_equal(listar_movimentos(&x->f.app, &zero, &page, &ml), APP_ENOTFOUND);
	assert_null(ml.itens);
	lista_cleanup(&ml);

	fake_fault_next(&x->f.catalogo.fault);
	assert_int_equal(listar_pecas(&x->f.app, &f, &page, &pl), APP_EUNAVAILABLE);
	assert_null(pl.itens);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_criar_servico__grava_e_le),
	    T(test_criar_servico__invalido__nem_abre_transacao),
	    T(test_alterar_e_desativar_servico),
	    T(test_criar_peca__estoque_inicial_e_um_movimento_com_evento),
	    T(test_criar_peca__codigo_repetido__conflito_no_campo),
	    T(test_criar_peca__falha_do_outbox__desfaz_peca_e_movimento),
	    T(test_alterar_peca__nao_muda_saldo),
	    T(test_movimentar__saida_e_entrada),
	    T(test_movimentar__falta__conflito_nomeia_peca_e_nada_muda),
	    T(test_movimentar__invalido_ou_desconhecida),
	    T(test_movimentar__abaixo_do_minimo_so_ao_cruzar),
	    T(test_movimentar__falha_no_evento__desfaz_movimento),
	    T(test_retirar_em_transacao__nao_abre_nem_fecha),
	    T(test_consultas__listas_e_filtro_abaixo_do_minimo),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
