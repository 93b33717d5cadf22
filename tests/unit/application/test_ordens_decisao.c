/*
 * Unit tests of decidir_orcamento_ordem, the webhook's decision on a budget
 * (application/commands/comandos_ordens), over the in-memory adapters (application layer; cmocka,
 * tests/fakes/ordens_fixture): approving and refusing on the webhook's behalf, the same decision
 * again as a no-op, the opposite one or a state that awaits none refused, and a part short of
 * stock until it arrives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "tests/fakes/ordens_fixture.h"

static const struct app_caller webhook = {
    .correlation_id = "corr-webhook-1",
    .sub = "webhook",
    .perfil = PERFIL_WEBHOOK,
};

static int decidir(struct fx *x, const struct uuid *id, enum orcamento_decisao d,
                   struct ordem_conflito *cf)
{
	struct field_errors fe;

	field_errors_init(&fe);
	return decidir_orcamento_ordem(&x->f.app, &webhook, id, d, &fe, cf);
}

static void test_decidir__aprovado__aplica_a_aprovacao_em_nome_do_webhook(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	size_t n = mem_ordem_repo_n_historico(&x->f.ordens, id.str);
	struct ordem_conflito cf = {0};

	assert_int_equal(decidir(x, &id, DECISAO_APROVADO, &cf), 0);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_EM_EXECUCAO);
	assert_int_equal(fx_guardada(x, &id)->decisao, DECISAO_APROVADO);
	assert_int_equal(fx_saldo(x, &x->filtro), SALDO_FILTRO - 1);
	assert_historico(x, &id, n, ORDEM_EM_EXECUCAO, &webhook);
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado");
	assert_string_equal(fx_campo(ev, "por"), "webhook");
	assert_string_equal(ev->correlation_id, "corr-webhook-1");
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO, &webhook);
}

static void test_decidir__reprovado__cancela_com_decisao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);

	assert_int_equal(decidir(x, &id, DECISAO_REPROVADO, NULL), 0);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_CANCELADA);
	assert_int_equal(fx_guardada(x, &id)->decisao, DECISAO_REPROVADO);
	assert_string_equal(
	    fx_campo(mem_event_outbox_last(&x->f.eventos, "orcamento.reprovado"), "por"),
	    "webhook");
	assert_int_equal(fx_saldo(x, &x->filtro), SALDO_FILTRO);
}

static void test_decidir__mesma_decisao_de_novo__nada_faz_e_responde_sucesso(void **state)
{
	struct fx *x = *state;
	static const enum orcamento_decisao decisoes[] = {DECISAO_APROVADO, DECISAO_REPROVADO};

	for (size_t i = 0; i < 2; i++) {
		struct uuid id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
		struct ordem_conflito cf = {0};
		struct foto antes;

		assert_int_equal(decidir(x, &id, decisoes[i], &cf), 0);
		mem_transaction_reset_counters(&x->f.tx);
		fx_fotografar(x, &id, &antes);
		assert_int_equal(decidir(x, &id, decisoes[i], &cf), 0);
		assert_false(cf.estado);
		assert_nada_mudou(x, &id, &antes); /* no second withdrawal, event or history row */
		assert_int_equal(x->f.tx.commits, 0);
		/* Still a no-op once the order has moved on. */
		if (decisoes[i] == DECISAO_APROVADO) {
			assert_int_equal(fx_acao(x, &id, ACAO_FINALIZACAO), 0);
			fx_fotografar(x, &id, &antes);
			assert_int_equal(decidir(x, &id, decisoes[i], &cf), 0);
			assert_nada_mudou(x, &id, &antes);
		}
	}
}

static void test_decidir__decisao_oposta_depois_de_aplicada__conflito(void **state)
{
	struct fx *x = *state;
	struct uuid aprovada = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct uuid reprovada = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct ordem_conflito cf = {0};
	struct foto antes;

	assert_int_equal(decidir(x, &aprovada, DECISAO_APROVADO, NULL), 0);
	assert_int_equal(decidir(x, &reprovada, DECISAO_REPROVADO, NULL), 0);

	fx_fotografar(x, &aprovada, &antes);
	assert_int_equal(decidir(x, &aprovada, DECISAO_REPROVADO, &cf), APP_ECONFLICT);
	assert_true(cf.estado);
	assert_int_equal(cf.status_atual, ORDEM_EM_EXECUCAO);
	assert_nada_mudou(x, &aprovada, &antes);

	cf = (struct ordem_conflito){0};
	fx_fotografar(x, &reprovada, &antes);
	assert_int_equal(decidir(x, &reprovada, DECISAO_APROVADO, &cf), APP_ECONFLICT);
	assert_true(cf.estado);
	assert_int_equal(cf.status_atual, ORDEM_CANCELADA);
	assert_nada_mudou(x, &reprovada, &antes);
	assert_int_equal(fx_saldo(x, &x->filtro), SALDO_FILTRO - 1); /* only the first approval */
}

static void test_decidir__estado_que_nao_aguarda_decisao__conflito(void **state)
{
	struct fx *x = *state;
	static const enum ordem_status estados[] = {ORDEM_RECEBIDA, ORDEM_EM_DIAGNOSTICO,
	                                            ORDEM_CANCELADA};

	for (size_t i = 0; i < sizeof estados / sizeof estados[0]; i++) {
		struct uuid id = fx_ordem_em(x, estados[i]);
		for (int d = DECISAO_APROVADO; d <= DECISAO_REPROVADO; d++) {
			struct ordem_conflito cf = {0};
			struct foto antes;
			fx_fotografar(x, &id, &antes);
			assert_int_equal(decidir(x, &id, (enum orcamento_decisao)d, &cf),
			                 APP_ECONFLICT);
			assert_true(cf.estado);
			assert_int_equal(cf.status_atual, estados[i]);
			assert_nada_mudou(x, &id, &antes);
		}
	}
}

static void test_decidir__decisao_nenhuma__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	int begins = x->f.tx.begins;

	assert_int_equal(decidir(x, &id, DECISAO_NENHUMA, NULL), APP_EINVALID);
	assert_int_equal(decidir(x, &id, (enum orcamento_decisao)7, NULL), APP_EINVALID);
	assert_int_equal(x->f.tx.begins, begins);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_AGUARDANDO_APROVACAO);
}

static void test_decidir__ordem_inexistente__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_conflito cf = {0};
	struct uuid nenhuma;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	assert_int_equal(decidir(x, &nenhuma, DECISAO_APROVADO, &cf), APP_ENOTFOUND);
	assert_false(cf.estado);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_decidir__peca_em_falta__conflito_e_nada_muda(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 1), fx_peca(&x->oleo, SALDO_OLEO + 1)};
	struct uuid id = fx_abrir_com(x, NULL, 0, p, 2);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	fx_fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(
	    decidir_orcamento_ordem(&x->f.app, &webhook, &id, DECISAO_APROVADO, &fe, &cf),
	    APP_ECONFLICT);
	assert_false(cf.estado);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_non_null(strstr(fe.items[0].mensagem, "Óleo 5W30"));
	assert_nada_mudou(x, &id, &antes);
	assert_int_equal(fx_guardada(x, &id)->decisao, DECISAO_NENHUMA);
	/* Once stock arrives the same decision goes through. */
	struct movimento m = {.peca_uuid = x->oleo, .quantidade = 1, .motivo = "compra"};
	int minimo;
	assert_int_equal(estoque_repo_apply_movimento(&x->f.app.estoque, &m, NULL, &minimo), 0);
	assert_int_equal(decidir(x, &id, DECISAO_APROVADO, &cf), 0);
	assert_int_equal(fx_saldo(x, &x->oleo), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ordens_fixture_setup, ordens_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_decidir__aprovado__aplica_a_aprovacao_em_nome_do_webhook),
	    T(test_decidir__reprovado__cancela_com_decisao),
	    T(test_decidir__mesma_decisao_de_novo__nada_faz_e_responde_sucesso),
	    T(test_decidir__decisao_oposta_depois_de_aplicada__conflito),
	    T(test_decidir__estado_que_nao_aguarda_decisao__conflito),
	    T(test_decidir__decisao_nenhuma__invalido_sem_transacao),
	    T(test_decidir__ordem_inexistente__nao_encontrada),
	    T(test_decidir__peca_em_falta__conflito_e_nada_muda),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
