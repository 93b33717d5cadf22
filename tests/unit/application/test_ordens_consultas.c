/*
 * Unit tests of the service orders' read model (application/queries/consultas_ordens) over the
 * in-memory adapters (application layer; cmocka, tests/fakes/ordens_fixture): the detail, the
 * status and the history, what a customer may see, the open queue's order and filters, and a
 * failing store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "application/queries/consultas_ordens.h"
#include "domain/errors.h"
#include "tests/fakes/ordens_fixture.h"

static void test_consultas__detalhe_status_historico_e_fila(void **state)
{
	struct fx *x = *state;
	struct uuid recebida = fx_ordem_em(x, ORDEM_RECEBIDA);
	struct uuid execucao = fx_ordem_em(x, ORDEM_EM_EXECUCAO);
	struct uuid entregue = fx_ordem_em(x, ORDEM_ENTREGUE);
	struct ordem_campos in = {.cliente_uuid = x->outro.str,
	                          .veiculo_uuid = x->veiculo_outro.str};
	struct ordem_detalhe d;
	struct ordem_status_atual st;
	struct ordem_historico_lista h;
	struct ordem_filtro f = {0};
	struct pagina page = {1, 20};
	struct lista l;
	struct field_errors fe;
	struct uuid alheia;

	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &alheia), 0);

	assert_int_equal(obter_ordem(&x->f.app, NULL, &execucao, &d), 0);
	assert_int_equal(d.ordem.status, ORDEM_EM_EXECUCAO);
	assert_string_equal(d.cliente_nome, "Maria da Silva");
	assert_string_equal(d.placa, "ABC1D23");
	assert_int_equal(d.servicos.n, 1);
	assert_int_equal(d.pecas.n, 1);
	assert_string_equal(d.pecas.itens[0].nome, "Filtro de óleo");
	assert_int_equal(d.n_historico, 4);
	assert_int_equal(d.historico[3].status, ORDEM_EM_EXECUCAO);
	assert_string_equal(d.historico[3].por, fx_quem.sub);
	ordem_detalhe_cleanup(&d);

	/* A customer sees their own orders only. */
	assert_int_equal(obter_ordem(&x->f.app, &x->dono, &alheia, &d), APP_ENOTFOUND);
	assert_int_equal(obter_status_ordem(&x->f.app, &x->dono, &alheia, &st), APP_ENOTFOUND);
	assert_int_equal(obter_historico_ordem(&x->f.app, &x->dono, &alheia, &h), APP_ENOTFOUND);
	assert_int_equal(obter_status_ordem(&x->f.app, &x->dono, &recebida, &st), 0);
	assert_int_equal(st.status, ORDEM_RECEBIDA);
	assert_string_equal(st.numero, fx_guardada(x, &recebida)->numero);
	assert_int_equal(obter_historico_ordem(&x->f.app, &x->dono, &entregue, &h), 0);
	assert_int_equal(h.n, 6);
	assert_int_equal(h.itens[5].status, ORDEM_ENTREGUE);
	ordem_historico_lista_cleanup(&h);

	/* The open queue: most advanced first, then oldest first; closed ones left out. */
	assert_int_equal(listar_ordens(&x->f.app, NULL, &f, &page, &l), 0);
	assert_int_equal(l.total, 3);
	assert_string_equal(LISTA_ITENS(&l, struct ordem_resumo)[0].uuid.str, execucao.str);
	assert_true(LISTA_ITENS(&l, struct ordem_resumo)[0].tem_orcamento);
	assert_string_equal(LISTA_ITENS(&l, struct ordem_resumo)[1].uuid.str, recebida.str);
	assert_string_equal(LISTA_ITENS(&l, struct ordem_resumo)[2].uuid.str, alheia.str);
	assert_string_equal(LISTA_ITENS(&l, struct ordem_resumo)[2].cliente_nome, "João Souza");
	lista_cleanup(&l);
	f.status_mask = 1u << ORDEM_ENTREGUE | 1u << ORDEM_RECEBIDA;
	assert_int_equal(listar_ordens(&x->f.app, &x->dono, &f, &page, &l), 0);
	assert_int_equal(l.total, 2);
	assert_string_equal(LISTA_ITENS(&l, struct ordem_resumo)[0].uuid.str, recebida.str);
	assert_string_equal(LISTA_ITENS(&l, struct ordem_resumo)[1].uuid.str, entregue.str);
	lista_cleanup(&l);

	fake_fault_next(&x->f.ordens.fault);
	assert_int_equal(listar_ordens(&x->f.app, &x->dono, &f, &page, &l), APP_EUNAVAILABLE);
	assert_null(l.itens);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ordens_fixture_setup, ordens_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_consultas__detalhe_status_historico_e_fila),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
