/*
 * Unit tests of adicionar_item_ordem and remover_item_ordem (application/commands/comandos_ordens)
 * over the in-memory adapters (application layer; cmocka, tests/fakes/ordens_fixture): a line
 * copies the catalogue's name and price and grows when the same entry comes again, within the
 * quantity limit; items change only in RECEBIDA and EM_DIAGNOSTICO; an unknown line or order is
 * not found, and nothing refused leaves a trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "tests/fakes/ordens_fixture.h"

static void test_adicionar_item__servico_sem_quantidade__uma_unidade_e_uuid_da_linha(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_abrir_com(x, NULL, 0, NULL, 0), item = {""};
	struct ordem_item_campos in = fx_servico(&x->alinhamento);
	struct ordem_conflito cf = {0};
	struct field_errors fe;

	fake_clock_advance(60);
	assert_int_equal(fx_adicionar(x, &id, ITEM_SERVICO, &in, &fe, &cf, &item), 0);
	const struct ordem_item *it =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->alinhamento.str);
	assert_non_null(it);
	assert_string_equal(item.str, it->uuid.str);
	assert_int_equal(it->quantidade, 1);
	assert_string_equal(it->nome, "Alinhamento");
	assert_int_equal(it->valor_unitario, PRECO_ALINHA);
	assert_string_equal(fx_guardada(x, &id)->atualizada_em, "2026-11-23T12:01:00Z");
	assert_int_equal(x->f.tx.commits, 2);
	assert_false(cf.estado);
	/* item_out may be NULL. */
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &fx_quem, &id, ITEM_SERVICO, &in, &fe, &cf, NULL), 0);
	assert_int_equal(it->quantidade, 2);
	fake_clock_set(FAKE_CLOCK_PADRAO);
}

static void test_adicionar_item__mesma_peca_de_novo__soma_na_linha_e_mesmo_preco(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_ordem_em(x, ORDEM_EM_DIAGNOSTICO), primeira, segunda;
	struct ordem_item_campos in = fx_peca(&x->oleo, 3);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct peca p;

	assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &in, &fe, &cf, &primeira), 0);
	/* The catalogue price changes; the line keeps the one it copied. */
	assert_int_equal(peca_repo_find_by_uuid(&x->f.app.pecas, &x->oleo, false, &p), 0);
	p.valor_centavos = 9900;
	assert_int_equal(peca_repo_update(&x->f.app.pecas, &p), 0);
	in.quantidade = 4;
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &fx_quem, &id, ITEM_PECA, &in, &fe, &cf, &segunda), 0);
	assert_string_equal(primeira.str, segunda.str);
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_PECA),
	                 2); /* filtro, oleo */
	const struct ordem_item *it =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str);
	assert_int_equal(it->quantidade, 7);
	assert_int_equal(it->valor_unitario, PRECO_OLEO);
	assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str),
	                 2); /* items are no state */
}

static void test_adicionar_item__linha_passaria_do_limite__invalido_e_linha_intacta(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 9999)};
	struct uuid id = fx_abrir_com(x, NULL, 0, p, 1);
	struct ordem_item_campos in = fx_peca(&x->filtro, 2);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fx_fotografar(x, &id, &antes);
	assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &in, &fe, &cf, NULL), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "quantidade");
	assert_false(cf.estado);
	assert_nada_mudou(x, &id, &antes);
	in.quantidade = 1; /* exactly 10000 is fine */
	assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &in, &fe, &cf, NULL), 0);
	assert_int_equal(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str)->quantidade,
	    ORDEM_ITEM_QUANTIDADE_MAX);
}

static void test_adicionar_item__catalogo_desconhecido_ou_inativo__invalido_no_campo(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_abrir_com(x, NULL, 0, NULL, 0);
	struct uuid inativo = fx_novo_servico(x, "Velho", 100, false);
	struct ordem_item_campos s = fx_servico(&inativo);
	struct ordem_item_campos p = {
	    .ref_uuid = x->troca.str, .quantidade_given = true, .quantidade = 1}; /* not a part */
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fx_fotografar(x, &id, &antes);
	assert_int_equal(fx_adicionar(x, &id, ITEM_SERVICO, &s, &fe, &cf, NULL), APP_EINVALID);
	assert_string_equal(fe.items[0].campo, "servico_uuid");
	assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &p, &fe, &cf, NULL), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "peca_uuid");
	assert_nada_mudou(x, &id, &antes);
	assert_int_equal(x->f.tx.rollbacks, 2);
}

static void test_adicionar_item__entrada_mal_formada__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct uuid id = fx_abrir_com(x, NULL, 0, NULL, 0);
	struct ordem_item_campos sem_qtd = {.ref_uuid = x->filtro.str};
	struct ordem_item_campos sem_ref = {.quantidade_given = true, .quantidade = 0};
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	int begins = x->f.tx.begins;

	assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &sem_qtd, &fe, &cf, NULL), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "quantidade");
	assert_int_equal(fx_adicionar(x, &id, ITEM_SERVICO, &sem_ref, &fe, &cf, NULL),
	                 APP_EINVALID);
	assert_true(field_errors_has(&fe, "servico_uuid"));
	assert_true(field_errors_has(&fe, "quantidade"));
	/* A type error found while reading the request is honoured too. */
	struct ordem_item_campos ok = fx_servico(&x->troca);
	field_errors_init(&fe);
	field_errors_add(&fe, "quantidade", "deve ser um número inteiro");
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &fx_quem, &id, ITEM_SERVICO, &ok, &fe, &cf, NULL),
	    APP_EINVALID);
	assert_int_equal(x->f.tx.begins, begins);
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_SERVICO), 0);
}

static void test_itens__fora_de_recebida_ou_diagnostico__conflito_e_nada_muda(void **state)
{
	struct fx *x = *state;
	static const enum ordem_status fechados[] = {ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO,
	                                             ORDEM_FINALIZADA, ORDEM_ENTREGUE,
	                                             ORDEM_CANCELADA};

	for (size_t i = 0; i < sizeof fechados / sizeof fechados[0]; i++) {
		struct uuid id = fx_ordem_em(x, fechados[i]);
		struct ordem_item_campos in = fx_peca(&x->oleo, 1);
		const struct ordem_item *linha =
		    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str);
		struct uuid item = linha->uuid;
		struct ordem_conflito cf = {0};
		struct field_errors fe;
		struct foto antes;

		mem_transaction_reset_counters(&x->f.tx);
		fx_fotografar(x, &id, &antes);
		assert_int_equal(fx_adicionar(x, &id, ITEM_PECA, &in, &fe, &cf, NULL),
		                 APP_ECONFLICT);
		assert_true(cf.estado);
		assert_int_equal(cf.status_atual, fechados[i]);
		assert_nada_mudou(x, &id, &antes);

		cf = (struct ordem_conflito){0};
		assert_int_equal(
		    remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_PECA, &item, &cf),
		    APP_ECONFLICT);
		assert_true(cf.estado);
		assert_int_equal(cf.status_atual, fechados[i]);
		assert_nada_mudou(x, &id, &antes);
		/* cf may be NULL. */
		assert_int_equal(
		    remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_PECA, &item, NULL),
		    APP_ECONFLICT);
		assert_int_equal(x->f.tx.commits, 0);
		assert_int_equal(x->f.tx.rollbacks, 3);
	}
}

static void test_itens__ordem_inexistente__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos in = fx_servico(&x->troca);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid nenhuma;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	assert_int_equal(fx_adicionar(x, &nenhuma, ITEM_SERVICO, &in, &fe, &cf, NULL),
	                 APP_ENOTFOUND);
	assert_int_equal(fe.count, 0);
	assert_int_equal(
	    remover_item_ordem(&x->f.app, &fx_quem, &nenhuma, ITEM_SERVICO, &nenhuma, &cf),
	    APP_ENOTFOUND);
	assert_false(cf.estado);
	assert_int_equal(x->f.tx.rollbacks, 2);
	assert_int_equal(x->f.ordens.itens.n, 0);
}

static void test_remover_item__recebida_e_diagnostico__remove_so_a_linha(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca), fx_servico(&x->alinhamento)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 1), fx_peca(&x->oleo, 2)};
	struct uuid id = fx_abrir_com(x, s, 2, p, 2);
	struct uuid outra = fx_abrir_com(x, s, 2, p, 2);
	struct uuid troca =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->uuid;
	struct uuid oleo = mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str)->uuid;
	struct ordem_conflito cf = {0};

	assert_int_equal(remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_SERVICO, &troca, &cf),
	                 0);
	assert_null(mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str));
	assert_non_null(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->alinhamento.str));
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_PECA), 2);
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, outra.str, ITEM_SERVICO), 2);

	fx_levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	assert_int_equal(remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_PECA, &oleo, &cf), 0);
	assert_null(mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str));
	assert_non_null(mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str));
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, outra.str, ITEM_PECA), 2);
	assert_false(cf.estado);
}

static void
test_remover_item__linha_inexistente_de_outro_tipo_ou_ordem__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct uuid id = fx_abrir_com(x, s, 1, NULL, 0);
	struct uuid outra = fx_abrir_com(x, s, 1, NULL, 0);
	struct uuid linha =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->uuid;
	struct uuid nenhuma;
	struct foto antes;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	fx_fotografar(x, &id, &antes);
	assert_int_equal(remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_SERVICO, &nenhuma, NULL),
	                 APP_ENOTFOUND);
	assert_int_equal(remover_item_ordem(&x->f.app, &fx_quem, &id, ITEM_PECA, &linha, NULL),
	                 APP_ENOTFOUND);
	assert_int_equal(
	    remover_item_ordem(&x->f.app, &fx_quem, &outra, ITEM_SERVICO, &linha, NULL),
	    APP_ENOTFOUND);
	assert_nada_mudou(x, &id, &antes);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ordens_fixture_setup, ordens_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_adicionar_item__servico_sem_quantidade__uma_unidade_e_uuid_da_linha),
	    T(test_adicionar_item__mesma_peca_de_novo__soma_na_linha_e_mesmo_preco),
	    T(test_adicionar_item__linha_passaria_do_limite__invalido_e_linha_intacta),
	    T(test_adicionar_item__catalogo_desconhecido_ou_inativo__invalido_no_campo),
	    T(test_adicionar_item__entrada_mal_formada__invalido_sem_transacao),
	    T(test_itens__fora_de_recebida_ou_diagnostico__conflito_e_nada_muda),
	    T(test_itens__ordem_inexistente__nao_encontrada),
	    T(test_remover_item__recebida_e_diagnostico__remove_so_a_linha),
	    T(test_remover_item__linha_inexistente_de_outro_tipo_ou_ordem__nao_encontrada),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
