/*
 * Unit tests of executar_acao_ordem as the order's state machine (application/commands/
 * comandos_ordens) over the in-memory adapters (application layer; cmocka,
 * tests/fakes/ordens_fixture): every allowed action from every state with its history row and
 * event, every forbidden one refused with nothing changed, the PATCH's target state, malformed
 * input, an unknown order, cancelling with a reason, finishing and delivering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "tests/fakes/ordens_fixture.h"

static void test_acoes__de_cada_estado_permitido__estado_historico_e_evento(void **state)
{
	struct fx *x = *state;
	int testadas = 0;

	for (int s = 0; s < ORDEM_STATUS_COUNT; s++) {
		for (int a = 0; a < ACAO_COUNT; a++) {
			enum ordem_status para = ordem_transicao(s, a);
			if (para == ORDEM_STATUS_INVALIDO)
				continue;
			struct uuid id = fx_ordem_em(x, (enum ordem_status)s);
			size_t n_hist = mem_ordem_repo_n_historico(&x->f.ordens, id.str);
			size_t n_ev =
			    mem_event_outbox_count(&x->f.eventos, "ordem.status_alterado");
			int commits = x->f.tx.commits;

			fake_clock_advance(60);
			assert_int_equal(fx_acao(x, &id, a), 0);
			const struct ordem *o = fx_guardada(x, &id);
			assert_int_equal(o->status, para);
			assert_string_equal(o->atualizada_em, "2026-11-23T12:01:00Z");
			assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str),
			                 n_hist + 1);
			const struct mem_ordem_historico *h =
			    mem_ordem_repo_historico(&x->f.ordens, id.str, n_hist);
			assert_int_equal(h->status, para);
			assert_string_equal(h->em, "2026-11-23T12:01:00Z");
			assert_string_equal(h->por, fx_quem.sub);
			assert_string_equal(h->perfil, perfil_nome(fx_quem.perfil));
			assert_string_equal(h->correlation_id, fx_quem.correlation_id);
			assert_int_equal(
			    mem_event_outbox_count(&x->f.eventos, "ordem.status_alterado"),
			    n_ev + 1);
			assert_status_alterado(x, &id, (enum ordem_status)s, para, &fx_quem);
			assert_null(mem_evento_campo(
			    mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado"),
			    "motivo"));
			assert_int_equal(x->f.tx.commits, commits + 1);
			fake_clock_set(FAKE_CLOCK_PADRAO);
			testadas++;
		}
	}
	assert_int_equal(testadas, 9); /* the rows of domain/ordem_status.c's table */
}

static void test_acoes__de_cada_estado_proibido__conflito_e_nada_muda(void **state)
{
	struct fx *x = *state;
	int testadas = 0;

	for (int s = 0; s < ORDEM_STATUS_COUNT; s++) {
		struct uuid id = fx_ordem_em(x, (enum ordem_status)s);
		for (int a = 0; a < ACAO_COUNT; a++) {
			if (ordem_transicao(s, a) != ORDEM_STATUS_INVALIDO)
				continue;
			struct ordem_conflito cf = {0};
			struct field_errors fe;
			struct foto antes;

			mem_transaction_reset_counters(&x->f.tx);
			fx_fotografar(x, &id, &antes);
			assert_int_equal(fx_executar(x, &id, a, NULL, &fe, &cf), APP_ECONFLICT);
			assert_true(cf.estado);
			assert_int_equal(cf.status_atual, s);
			assert_int_equal(fe.count, 0);
			assert_nada_mudou(x, &id, &antes);
			assert_int_equal(x->f.tx.commits, 0);
			assert_int_equal(x->f.tx.rollbacks, 1);
			/* cf may be NULL. */
			assert_int_equal(
			    executar_acao_ordem(&x->f.app, &fx_quem, &id, a, NULL, &fe, NULL),
			    APP_ECONFLICT);
			testadas++;
		}
	}
	assert_int_equal(testadas, ORDEM_STATUS_COUNT * ACAO_COUNT - 9);
}

static void test_patch_status__acao_de_ordem_acao_para__leva_ao_estado_pedido(void **state)
{
	struct fx *x = *state;
	int testadas = 0;

	for (int de = 0; de < ORDEM_STATUS_COUNT; de++) {
		for (int para = 0; para < ORDEM_STATUS_COUNT; para++) {
			enum ordem_acao a = ordem_acao_para(de, para);
			if (a == ACAO_INVALIDA)
				continue;
			struct uuid id = fx_ordem_em(x, (enum ordem_status)de);
			int filtro = fx_saldo(x, &x->filtro);
			assert_int_equal(fx_acao(x, &id, a), 0);
			assert_int_equal(fx_guardada(x, &id)->status, para);
			assert_status_alterado(x, &id, de, para, &fx_quem);
			if (de == ORDEM_AGUARDANDO_APROVACAO && para == ORDEM_CANCELADA) {
				/* Staff cancelling, not the customer refusing: no decision. */
				assert_int_equal(a, ACAO_CANCELAMENTO);
				assert_int_equal(fx_guardada(x, &id)->decisao, DECISAO_NENHUMA);
			}
			if (para == ORDEM_EM_EXECUCAO)
				assert_int_equal(fx_saldo(x, &x->filtro), filtro - 1);
			else
				assert_int_equal(fx_saldo(x, &x->filtro), filtro);
			testadas++;
		}
	}
	assert_int_equal(testadas, 8); /* reprovação is never what a PATCH means */
	/* A target the state machine does not reach from here has no action. */
	assert_int_equal(ordem_acao_para(ORDEM_RECEBIDA, ORDEM_EM_EXECUCAO), ACAO_INVALIDA);
	assert_int_equal(ordem_acao_para(ORDEM_ENTREGUE, ORDEM_CANCELADA), ACAO_INVALIDA);
}

static void test_acao__fora_do_enum__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_abrir_com(x, NULL, 0, NULL, 0);
	struct field_errors fe;
	int begins = x->f.tx.begins;

	assert_int_equal(fx_executar(x, &id, ACAO_COUNT, NULL, &fe, NULL), APP_EINVALID);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &fx_quem, &id, ACAO_INVALIDA, NULL, &fe, NULL),
	    APP_EINVALID);
	assert_int_equal(x->f.tx.begins, begins);
}

static void test_acao__motivo_longo__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_abrir_com(x, NULL, 0, NULL, 0);
	struct field_errors fe;
	char motivo[502];
	int begins = x->f.tx.begins;

	memset(motivo, 'm', 501);
	motivo[501] = '\0';
	assert_int_equal(fx_executar(x, &id, ACAO_CANCELAMENTO, motivo, &fe, NULL), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "motivo");
	assert_int_equal(x->f.tx.begins, begins);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_RECEBIDA);

	motivo[500] = '\0'; /* 500 is the limit */
	assert_int_equal(fx_executar(x, &id, ACAO_CANCELAMENTO, motivo, &fe, NULL), 0);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_CANCELADA);
}

static void test_acao__ordem_inexistente__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid nenhuma;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	assert_int_equal(fx_executar(x, &nenhuma, ACAO_DIAGNOSTICO, NULL, &fe, &cf), APP_ENOTFOUND);
	assert_false(cf.estado);
	assert_int_equal(x->f.tx.rollbacks, 1);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, NULL), 0);
}

static void test_cancelamento__com_motivo__motivo_no_evento_sem_decisao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct field_errors fe;
	int filtro = fx_saldo(x, &x->filtro);

	assert_int_equal(fx_executar(x, &id, ACAO_CANCELAMENTO, "cliente desistiu", &fe, NULL), 0);
	const struct ordem *o = fx_guardada(x, &id);
	assert_int_equal(o->status, ORDEM_CANCELADA);
	assert_int_equal(o->decisao, DECISAO_NENHUMA);
	assert_string_equal(o->orcamento_decidido_em, "");
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_CANCELADA, &fx_quem);
	assert_string_equal(
	    fx_campo(mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado"), "motivo"),
	    "cliente desistiu");
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "orcamento.reprovado"), 0);
	assert_int_equal(fx_saldo(x, &x->filtro), filtro);
}

static void test_finalizacao_e_entrega__seguem_a_execucao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_EM_EXECUCAO);
	size_t n = mem_ordem_repo_n_historico(&x->f.ordens, id.str);
	int filtro = fx_saldo(x, &x->filtro);

	assert_int_equal(fx_acao(x, &id, ACAO_FINALIZACAO), 0);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_FINALIZADA);
	assert_historico(x, &id, n, ORDEM_FINALIZADA, &fx_quem);
	assert_status_alterado(x, &id, ORDEM_EM_EXECUCAO, ORDEM_FINALIZADA, &fx_quem);
	assert_int_equal(fx_acao(x, &id, ACAO_ENTREGA), 0);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_ENTREGUE);
	assert_historico(x, &id, n + 1, ORDEM_ENTREGUE, &fx_quem);
	assert_status_alterado(x, &id, ORDEM_FINALIZADA, ORDEM_ENTREGUE, &fx_quem);
	assert_int_equal(fx_saldo(x, &x->filtro), filtro); /* the parts left on approval only */
	/* The whole life, in order. */
	static const enum ordem_status vida[] = {
	    ORDEM_RECEBIDA,    ORDEM_EM_DIAGNOSTICO, ORDEM_AGUARDANDO_APROVACAO,
	    ORDEM_EM_EXECUCAO, ORDEM_FINALIZADA,     ORDEM_ENTREGUE};
	assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str), 6);
	for (size_t i = 0; i < 6; i++)
		assert_historico(x, &id, i, vida[i], &fx_quem);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ordens_fixture_setup, ordens_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_acoes__de_cada_estado_permitido__estado_historico_e_evento),
	    T(test_acoes__de_cada_estado_proibido__conflito_e_nada_muda),
	    T(test_patch_status__acao_de_ordem_acao_para__leva_ao_estado_pedido),
	    T(test_acao__fora_do_enum__invalido_sem_transacao),
	    T(test_acao__motivo_longo__invalido_sem_transacao),
	    T(test_acao__ordem_inexistente__nao_encontrada),
	    T(test_cancelamento__com_motivo__motivo_no_evento_sem_decisao),
	    T(test_finalizacao_e_entrega__seguem_a_execucao),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
