/*
 * Unit tests of the budget actions of executar_acao_ordem (application/commands/comandos_ordens)
 * over the in-memory adapters (application layer; cmocka, tests/fakes/ordens_fixture): the budget
 * computed and frozen, the approval that takes every part out of stock all together or not at all
 * (naming the part that is short), the refusal, a failing store at each step of an approval, and a
 * customer who may approve or refuse only their own orders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/texto.h"
#include "tests/fakes/ordens_fixture.h"

/* ---- orcamento ---------------------------------------------------------------------------- */

static void test_orcamento__sem_itens__invalido_no_campo_itens(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_RECEBIDA);
	struct uuid linha =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->uuid;
	struct uuid filtro =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str)->uuid;
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fx_levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	assert_int_equal(remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_SERVICO, &linha, NULL),
	                 0);
	assert_int_equal(remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_PECA, &filtro, NULL), 0);
	mem_transaction_reset_counters(&x->f.tx);
	fx_fotografar(x, &id, &antes);
	assert_int_equal(fx_executar(x, &id, ACAO_ORCAMENTO, NULL, &fe, &cf), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "itens");
	assert_false(cf.estado);
	assert_nada_mudou(x, &id, &antes);
	assert_false(fx_guardada(x, &id)->tem_orcamento);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_orcamento__so_pecas_ou_so_servicos__basta_um_item(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct ordem_item_campos p[] = {fx_peca(&x->oleo, 2)};
	struct uuid so_servico = fx_abrir_com(x, s, 1, NULL, 0),
	            so_peca = fx_abrir_com(x, NULL, 0, p, 1);

	fx_levar_a(x, &so_servico, ORDEM_AGUARDANDO_APROVACAO);
	fx_levar_a(x, &so_peca, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(fx_guardada(x, &so_servico)->orcamento.valor_total, PRECO_TROCA);
	assert_int_equal(fx_guardada(x, &so_servico)->orcamento.valor_pecas, 0);
	assert_int_equal(fx_guardada(x, &so_peca)->orcamento.valor_total, 2 * PRECO_OLEO);
	assert_int_equal(fx_guardada(x, &so_peca)->orcamento.valor_servicos, 0);
}

static void test_orcamento__calcula_e_congela_valores_exatos(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca), fx_servico(&x->troca),
	                                fx_servico(&x->alinhamento)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 3), fx_peca(&x->oleo, 4)};
	struct uuid id = fx_abrir_com(x, s, 3, p, 2);
	struct ordem_item_campos mais = fx_peca(&x->oleo, 1);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct servico sv;

	fx_levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	fake_clock_advance(3600);
	assert_int_equal(fx_executar(x, &id, ACAO_ORCAMENTO, NULL, &fe, &cf), 0);
	const int64_t servicos = 2 * PRECO_TROCA + PRECO_ALINHA; /* 40099 */
	const int64_t pecas = 3 * PRECO_FILTRO + 4 * PRECO_OLEO; /* 24570 */
	const struct ordem *o = fx_guardada(x, &id);
	assert_int_equal(o->status, ORDEM_AGUARDANDO_APROVACAO);
	assert_true(o->tem_orcamento);
	assert_int_equal(o->orcamento.valor_servicos, servicos);
	assert_int_equal(o->orcamento.valor_pecas, pecas);
	assert_int_equal(o->orcamento.valor_total, servicos + pecas);
	assert_string_equal(o->orcamento_gerado_em, "2026-11-23T13:00:00Z");
	assert_int_equal(o->decisao, DECISAO_NENHUMA);

	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.gerado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(ev->correlation_id, fx_quem.correlation_id);
	assert_string_equal(fx_campo(ev, "numero"), o->numero);
	assert_string_equal(fx_campo(ev, "valor_servicos"), "400.99");
	assert_string_equal(fx_campo(ev, "valor_pecas"), "245.70");
	assert_string_equal(fx_campo(ev, "valor_total"), "646.69");
	assert_status_alterado(x, &id, ORDEM_EM_DIAGNOSTICO, ORDEM_AGUARDANDO_APROVACAO, &fx_quem);
	fake_clock_set(FAKE_CLOCK_PADRAO);

	/* Frozen: neither the catalogue nor an attempt to add an item changes it. */
	assert_int_equal(servico_repo_find_by_uuid(&x->f.app.servicos, &x->troca, false, &sv), 0);
	sv.valor_centavos = 1;
	assert_int_equal(servico_repo_update(&x->f.app.servicos, &sv), 0);
	struct orcamento congelado = fx_guardada(x, &id)->orcamento;
	assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &mais, &fe, &cf, NULL), APP_ECONFLICT);
	assert_true(cf.estado);
	assert_int_equal(cf.status_atual, ORDEM_AGUARDANDO_APROVACAO);
	assert_memory_equal(&fx_guardada(x, &id)->orcamento, &congelado, sizeof congelado);
	assert_int_equal(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str)->quantidade, 4);
	/* The approval's event carries the frozen total. */
	assert_int_equal(fx_acao(x, &id, ACAO_APROVACAO), 0);
	assert_string_equal(
	    fx_campo(mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado"), "valor_total"),
	    "646.69");
}

static void test_orcamento__acima_do_limite_de_dinheiro__invalido_no_campo_orcamento(void **state)
{
	struct fx *x = *state;
	struct uuid caro = fx_novo_servico(x, "Motor novo", DINHEIRO_MAX_CENTAVOS, true);
	struct ordem_item_campos s[] = {fx_servico(&caro), fx_servico(&x->troca)};
	struct uuid id = fx_abrir_com(x, s, 2, NULL, 0);
	struct field_errors fe;
	struct foto antes;

	fx_levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	fx_fotografar(x, &id, &antes);
	assert_int_equal(fx_executar(x, &id, ACAO_ORCAMENTO, NULL, &fe, NULL), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "orcamento");
	assert_nada_mudou(x, &id, &antes);
}

/* ---- aprovacao / reprovacao ------------------------------------------------------------- */

static void test_aprovacao__retira_cada_peca_do_estoque_e_registra_a_decisao(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 3), fx_peca(&x->oleo, 4)};
	struct uuid id = fx_abrir_com(x, s, 1, p, 2);
	struct field_errors fe;
	long soma;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	size_t eventos = x->f.eventos.n;
	size_t mov_filtro = mem_catalogo_movimentos(&x->f.catalogo, x->filtro.str, NULL);
	size_t mov_oleo = mem_catalogo_movimentos(&x->f.catalogo, x->oleo.str, NULL);
	fake_clock_advance(120);
	assert_int_equal(fx_executar(x, &id, ACAO_APROVACAO, NULL, &fe, NULL), 0);

	const struct ordem *o = fx_guardada(x, &id);
	assert_int_equal(o->status, ORDEM_EM_EXECUCAO);
	assert_int_equal(o->decisao, DECISAO_APROVADO);
	assert_string_equal(o->orcamento_decidido_em, "2026-11-23T12:02:00Z");
	fake_clock_set(FAKE_CLOCK_PADRAO);

	assert_int_equal(fx_saldo(x, &x->filtro), SALDO_FILTRO - 3);
	assert_int_equal(fx_saldo(x, &x->oleo), SALDO_OLEO - 4);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, x->filtro.str, &soma),
	                 mov_filtro + 1);
	assert_int_equal(soma, SALDO_FILTRO - 3);
	assert_int_equal(mem_catalogo_movimentos(&x->f.catalogo, x->oleo.str, &soma), mov_oleo + 1);
	assert_int_equal(soma, SALDO_OLEO - 4);
	const struct movimento *m =
	    mem_table_at(&x->f.catalogo.movimentos, x->f.catalogo.movimentos.n - 1);
	assert_string_equal(m->ordem_uuid.str, id.str);

	/* Two movements, the decision, the state change; nothing else. */
	assert_int_equal(x->f.eventos.n, eventos + 4);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.movimentado"), 2);
	for (size_t i = eventos; i < eventos + 2; i++) {
		const struct mem_evento *ev = &x->f.eventos.itens[i];
		assert_string_equal(ev->tipo, "estoque.movimentado");
		assert_string_equal(fx_campo(ev, "ordem_uuid"), id.str);
		assert_string_equal(ev->correlation_id, fx_quem.correlation_id);
	}
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(fx_campo(ev, "numero"), o->numero);
	assert_string_equal(fx_campo(ev, "valor_total"), "396.20"); /* 150.50 + 3×25.90 + 4×42.00 */
	assert_string_equal(fx_campo(ev, "por"), fx_quem.sub);
	assert_null(mem_evento_campo(ev, "motivo"));
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO, &fx_quem);
}

/* The part's name is cut to fit the message on a whole character, so the JSON stays valid. */
static void test_aprovacao__peca_de_nome_longo_acentuado__mensagem_em_utf8_valido(void **state)
{
	struct fx *x = *state;
	char nome[80];

	memset(nome, 'a', 59);
	snprintf(nome + 59, sizeof nome - 59, "ção"); /* the "ç" takes bytes 59 and 60 */
	struct uuid p = fx_nova_peca(x, nome, 100, 0, true);
	struct ordem_item_campos it[] = {fx_peca(&p, 1)};
	struct uuid id = fx_abrir_com(x, NULL, 0, it, 1);
	struct field_errors fe;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(fx_executar(x, &id, ACAO_APROVACAO, NULL, &fe, NULL), APP_ECONFLICT);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_true(utf8_valido(fe.items[0].mensagem));
}

static void test_aprovacao__uma_peca_em_falta__conflito_nomeia_e_nada_muda(void **state)
{
	struct fx *x = *state;
	struct uuid pouca = fx_nova_peca(x, "Pastilha de freio", 3000, 2, true);
	struct uuid muita = fx_nova_peca(x, "Vela", 1000, 50, true);
	/* Uuid order is filtro, oleo, pouca, muita: two parts leave before the short one. */
	struct ordem_item_campos p[] = {fx_peca(&muita, 4), fx_peca(&pouca, 5),
	                                fx_peca(&x->filtro, 1), fx_peca(&x->oleo, 2)};
	struct uuid id = fx_abrir_com(x, NULL, 0, p, 4);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	mem_transaction_reset_counters(&x->f.tx);
	fx_fotografar(x, &id, &antes);
	assert_int_equal(fx_executar(x, &id, ACAO_APROVACAO, NULL, &fe, &cf), APP_ECONFLICT);
	assert_false(cf.estado); /* the stock, not the state */
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_string_equal(fe.items[0].mensagem,
	                    "estoque insuficiente de \"Pastilha de freio\": necessário 5, "
	                    "disponível 2, faltam 3");
	assert_nada_mudou(x, &id, &antes); /* state, decision, every balance, no event kept */
	assert_int_equal(fx_saldo(x, &x->filtro), SALDO_FILTRO);
	assert_int_equal(fx_saldo(x, &x->oleo), SALDO_OLEO);
	assert_int_equal(fx_saldo(x, &pouca), 2);
	assert_int_equal(fx_saldo(x, &muita), 50);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(fx_guardada(x, &id)->decisao, DECISAO_NENHUMA);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "orcamento.aprovado"), 0);
	assert_int_equal(x->f.tx.commits, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
	assert_int_equal(x->f.tx.undone, 1);
}

static void test_aprovacao__varias_pecas_em_falta__nomeia_a_primeira_e_conta_as_outras(void **state)
{
	struct fx *x = *state;
	struct uuid a = fx_nova_peca(x, "Amortecedor", 30000, 0, true);
	struct uuid b = fx_nova_peca(x, "Mola", 20000, 1, true);
	struct uuid c = fx_nova_peca(x, "Bucha", 500, 0, true);
	struct ordem_item_campos p[] = {fx_peca(&a, 2), fx_peca(&b, 2), fx_peca(&c, 1),
	                                fx_peca(&x->filtro, 1)};
	struct uuid id = fx_abrir_com(x, NULL, 0, p, 4);
	struct field_errors fe;
	struct foto antes;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	fx_fotografar(x, &id, &antes);
	assert_int_equal(fx_executar(x, &id, ACAO_APROVACAO, NULL, &fe, NULL), APP_ECONFLICT);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_string_equal(fe.items[0].mensagem,
	                    "estoque insuficiente de \"Amortecedor\": necessário 2, disponível 0, "
	                    "faltam 2 (e mais 2 peças)");
	assert_nada_mudou(x, &id, &antes);
}

static void test_aprovacao__sem_pecas__so_a_decisao(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->alinhamento)};
	struct uuid id = fx_abrir_com(x, s, 1, NULL, 0);
	size_t movimentos;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	movimentos = x->f.catalogo.movimentos.n;
	assert_int_equal(fx_acao(x, &id, ACAO_APROVACAO), 0);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_EM_EXECUCAO);
	assert_int_equal(x->f.catalogo.movimentos.n, movimentos);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.movimentado"), 0);
}

static void test_reprovacao__decisao_reprovado_motivo_e_cancelada_sem_mexer_no_estoque(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	size_t movimentos = x->f.catalogo.movimentos.n;
	struct field_errors fe;

	assert_int_equal(fx_executar(x, &id, ACAO_REPROVACAO, "caro demais", &fe, NULL), 0);
	const struct ordem *o = fx_guardada(x, &id);
	assert_int_equal(o->status, ORDEM_CANCELADA);
	assert_int_equal(o->decisao, DECISAO_REPROVADO);
	assert_string_equal(o->orcamento_decidido_em, AGORA);
	assert_true(o->tem_orcamento); /* the refused budget stays on record */
	assert_int_equal(fx_saldo(x, &x->filtro), SALDO_FILTRO);
	assert_int_equal(x->f.catalogo.movimentos.n, movimentos);

	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.reprovado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(fx_campo(ev, "motivo"), "caro demais");
	assert_string_equal(fx_campo(ev, "valor_total"), "176.40"); /* 150.50 + 25.90 */
	assert_string_equal(fx_campo(ev, "por"), fx_quem.sub);
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_CANCELADA, &fx_quem);
	assert_string_equal(
	    fx_campo(mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado"), "motivo"),
	    "caro demais");
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "orcamento.aprovado"), 0);

	/* Without a reason the field is null. */
	struct uuid outra = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(fx_acao(x, &outra, ACAO_REPROVACAO), 0);
	assert_string_equal(
	    fx_campo(mem_event_outbox_last(&x->f.eventos, "orcamento.reprovado"), "motivo"),
	    "null");
}

/* Arms fault at each call in turn; every failed approval undoes all; the last one gets through. */
static void aprovar_com_falha_em(struct fx *x, struct fake_fault *fault)
{
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 2), fx_peca(&x->oleo, 1)};
	struct uuid id = fx_abrir_com(x, s, 1, p, 2);
	struct field_errors fe;
	struct foto antes;
	int k, rc;

	fx_levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	mem_transaction_reset_counters(&x->f.tx);
	for (k = 0;; k++) {
		fx_fotografar(x, &id, &antes);
		fake_fault_arm(fault, k, APP_EUNAVAILABLE);
		field_errors_init(&fe);
		rc = executar_acao_ordem(&x->f.app, &fx_quem, &id, ACAO_APROVACAO, NULL, &fe, NULL);
		if (rc == 0)
			break;
		assert_int_equal(rc, APP_EUNAVAILABLE);
		assert_nada_mudou(x, &id, &antes);
	}
	fake_fault_arm(fault, 0, 0);
	assert_true(k >= 2);
	assert_int_equal(x->f.tx.rollbacks, k);
	assert_int_equal(fx_guardada(x, &id)->status, ORDEM_EM_EXECUCAO);
}

static void test_acao__repositorio_indisponivel__desfaz_tudo(void **state)
{
	struct fx *x = *state;
	struct uuid id;
	struct foto antes;

	/* find_for_update, listar_itens, decidir_orcamento, set_status, append_historico */
	aprovar_com_falha_em(x, &x->f.ordens.fault);
	/* the two movements */
	aprovar_com_falha_em(x, &x->f.catalogo.fault);
	/* two estoque.movimentado, orcamento.aprovado, ordem.status_alterado */
	aprovar_com_falha_em(x, &x->f.eventos.fault);

	/* A failing commit undoes the approval, stock included. */
	id = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	fx_fotografar(x, &id, &antes);
	fake_fault_next(&x->f.tx.commit_fault);
	assert_int_equal(fx_acao(x, &id, ACAO_APROVACAO), APP_EUNAVAILABLE);
	assert_nada_mudou(x, &id, &antes);
	fake_fault_next(&x->f.tx.begin_fault);
	assert_int_equal(fx_acao(x, &id, ACAO_APROVACAO), APP_EUNAVAILABLE);
	assert_nada_mudou(x, &id, &antes);
	/* orcamento with a failing store. */
	id = fx_ordem_em(x, ORDEM_EM_DIAGNOSTICO);
	for (int k = 0; k < 2; k++) { /* find_for_update, the first listar_itens */
		fx_fotografar(x, &id, &antes);
		fake_fault_arm(&x->f.ordens.fault, k, APP_EUNAVAILABLE);
		assert_int_equal(fx_acao(x, &id, ACAO_ORCAMENTO), APP_EUNAVAILABLE);
		assert_nada_mudou(x, &id, &antes);
	}
}

/* ---- a customer as the caller ----------------------------------------------------------- */

static void test_cliente__so_aprova_ou_reprova_as_proprias_ordens(void **state)
{
	struct fx *x = *state;
	struct uuid minha = fx_ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct ordem_campos in = {.cliente_uuid = x->outro.str,
	                          .veiculo_uuid = x->veiculo_outro.str,
	                          .servicos = s,
	                          .n_servicos = 1};
	struct ordem_item_campos item = fx_servico(&x->alinhamento);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid alheia, linha;
	struct foto antes;
	int begins;

	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &alheia), 0);
	fx_levar_a(x, &alheia, ORDEM_AGUARDANDO_APROVACAO);
	linha = mem_ordem_repo_item(&x->f.ordens, minha.str, ITEM_SERVICO, x->troca.str)->uuid;

	/* Anything but approving or refusing is forbidden, before any transaction. */
	begins = x->f.tx.begins;
	for (int a = 0; a < ACAO_COUNT; a++)
		if (a != ACAO_APROVACAO && a != ACAO_REPROVACAO)
			assert_int_equal(
			    executar_acao_ordem(&x->f.app, &x->dono, &minha, a, NULL, &fe, &cf),
			    APP_EFORBIDDEN);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &x->dono, &minha, ITEM_SERVICO, &item, &fe, &cf, NULL),
	    APP_EFORBIDDEN);
	assert_int_equal(remover_item_ordem(&x->f.app, &x->dono, &minha, ITEM_SERVICO, &linha, &cf),
	                 APP_EFORBIDDEN);
	assert_int_equal(x->f.tx.begins, begins);

	/* Another customer's order does not exist for them. */
	fx_fotografar(x, &alheia, &antes);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &x->dono, &alheia, ACAO_APROVACAO, NULL, &fe, &cf),
	    APP_ENOTFOUND);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &x->dono, &alheia, ACAO_REPROVACAO, NULL, &fe, &cf),
	    APP_ENOTFOUND);
	assert_false(cf.estado);
	assert_nada_mudou(x, &alheia, &antes);
	/* A "cliente" token without a subject owns nothing. */
	struct app_caller sem_sub = {.correlation_id = "c", .sub = NULL, .perfil = PERFIL_CLIENTE};
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &sem_sub, &minha, ACAO_APROVACAO, NULL, &fe, &cf),
	    APP_ENOTFOUND);

	/* Their own: approved, recorded as theirs. */
	size_t n = mem_ordem_repo_n_historico(&x->f.ordens, minha.str);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &x->dono, &minha, ACAO_APROVACAO, NULL, &fe, &cf), 0);
	assert_int_equal(fx_guardada(x, &minha)->status, ORDEM_EM_EXECUCAO);
	assert_historico(x, &minha, n, ORDEM_EM_EXECUCAO, &x->dono);
	assert_string_equal(
	    fx_campo(mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado"), "por"),
	    x->cliente.str);
	assert_status_alterado(x, &minha, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO, &x->dono);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ordens_fixture_setup, ordens_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_orcamento__sem_itens__invalido_no_campo_itens),
	    T(test_orcamento__so_pecas_ou_so_servicos__basta_um_item),
	    T(test_orcamento__calcula_e_congela_valores_exatos),
	    T(test_orcamento__acima_do_limite_de_dinheiro__invalido_no_campo_orcamento),
	    T(test_aprovacao__retira_cada_peca_do_estoque_e_registra_a_decisao),
	    T(test_aprovacao__peca_de_nome_longo_acentuado__mensagem_em_utf8_valido),
	    T(test_aprovacao__uma_peca_em_falta__conflito_nomeia_e_nada_muda),
	    T(test_aprovacao__varias_pecas_em_falta__nomeia_a_primeira_e_conta_as_outras),
	    T(test_aprovacao__sem_pecas__so_a_decisao),
	    T(test_reprovacao__decisao_reprovado_motivo_e_cancelada_sem_mexer_no_estoque),
	    T(test_acao__repositorio_indisponivel__desfaz_tudo),
	    T(test_cliente__so_aprova_ou_reprova_as_proprias_ordens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
