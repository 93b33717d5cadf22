/*
 * Unit tests of abrir_ordem (application/commands/comandos_ordens) over the in-memory adapters
 * (application layer; cmocka, tests/fakes/ordens_fixture): a valid order with its number, history
 * row and event, the items copied from the catalogue, every refused input, and a failing store at
 * each step, which leaves nothing behind (the whole opening is rolled back).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"
#include "tests/fakes/ordens_fixture.h"

static void test_abrir_ordem__valida__recebida_com_numero_historico_e_evento(void **state)
{
	struct fx *x = *state;
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id = {""}, segunda = {""};

	in.descricao = "  barulho na suspensão  ";
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);

	const struct ordem *o = fx_guardada(x, &id);
	assert_int_equal(o->status, ORDEM_RECEBIDA);
	assert_string_equal(o->numero, "OS-2026-000001");
	assert_string_equal(o->cliente_uuid.str, x->cliente.str);
	assert_string_equal(o->veiculo_uuid.str, x->veiculo.str);
	assert_string_equal(o->descricao, "barulho na suspensão");
	assert_false(o->tem_orcamento);
	assert_int_equal(o->decisao, DECISAO_NENHUMA);
	assert_string_equal(o->criada_em, AGORA);

	assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str), 1);
	assert_historico(x, &id, 0, ORDEM_RECEBIDA, &fx_quem);

	assert_int_equal(mem_event_outbox_count(&x->f.eventos, NULL), 1);
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "ordem.criada");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(ev->correlation_id, "corr-ordens-1");
	assert_string_equal(fx_campo(ev, "uuid"), id.str);
	assert_string_equal(fx_campo(ev, "numero"), "OS-2026-000001");
	assert_string_equal(fx_campo(ev, "cliente_uuid"), x->cliente.str);
	assert_string_equal(fx_campo(ev, "veiculo_uuid"), x->veiculo.str);
	assert_string_equal(fx_campo(ev, "status"), "RECEBIDA");

	assert_int_equal(x->f.tx.begins, 1);
	assert_int_equal(x->f.tx.commits, 1);
	assert_int_equal(x->f.tx.rollbacks, 0);
	assert_int_equal(x->f.ordens.writes_outside_tx, 0);
	assert_true(x->f.clientes.locks >= 1); /* the customer is locked while the order opens */

	/* The next one takes the next number. */
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &segunda), 0);
	assert_string_equal(fx_guardada(x, &segunda)->numero, "OS-2026-000002");
	assert_string_not_equal(segunda.str, id.str);
}

static void test_abrir_ordem__numero__ano_do_relogio_em_utc_e_mais_de_seis_digitos(void **state)
{
	struct fx *x = *state;
	struct uuid id;

	fake_clock_set((time_t)1798761599); /* 2026-12-31T23:59:59Z: still 2026 in UTC */
	id = fx_abrir_com(x, NULL, 0, NULL, 0);
	assert_string_equal(fx_guardada(x, &id)->numero, "OS-2026-000001");
	fake_clock_set((time_t)1798761600); /* 2027-01-01T00:00:00Z */
	x->f.ordens.numero_seq = 999999;
	id = fx_abrir_com(x, NULL, 0, NULL, 0);
	assert_string_equal(fx_guardada(x, &id)->numero, "OS-2027-1000000");
	fake_clock_set(FAKE_CLOCK_PADRAO);
}

static void test_abrir_ordem__campos_ausentes_ou_mal_formados__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos muitos[ORDEM_ITENS_ABERTURA_MAX + 1];
	struct ordem_campos in = {.veiculo_uuid = "não-é-uuid"};
	struct field_errors fe;
	struct uuid id = {""};
	char longa[ORDEM_DESCRICAO_MAX + 2];

	memset(longa, 'a', sizeof longa - 1);
	longa[sizeof longa - 1] = '\0';
	for (size_t i = 0; i < ORDEM_ITENS_ABERTURA_MAX + 1; i++)
		muitos[i] = fx_servico(&x->troca);
	in.descricao = longa;
	in.servicos = muitos;
	in.n_servicos = ORDEM_ITENS_ABERTURA_MAX + 1;
	in.pecas = muitos;
	in.n_pecas = ORDEM_ITENS_ABERTURA_MAX + 1;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EINVALID);
	assert_true(field_errors_has(&fe, "cliente_uuid"));
	assert_true(field_errors_has(&fe, "veiculo_uuid"));
	assert_true(field_errors_has(&fe, "descricao"));
	assert_true(field_errors_has(&fe, "servicos"));
	assert_true(field_errors_has(&fe, "pecas"));
	assert_int_equal(fe.count, 5);
	assert_string_equal(id.str, "");
	assert_int_equal(x->f.tx.begins, 0);
	assert_int_equal(x->f.ordens.calls, 0);

	/* Exactly the maxima are fine. */
	longa[ORDEM_DESCRICAO_MAX] = '\0';
	in = fx_campos(x);
	in.descricao = longa;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), 0);
	assert_int_equal(strlen(fx_guardada(x, &id)->descricao), ORDEM_DESCRICAO_MAX);
}

static void test_abrir_ordem__item_mal_formado__invalido_com_caminho_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca),
	                                {.ref_uuid = "xyz"},
	                                {.quantidade_given = true, .quantidade = 1}};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 1),
	                                {.ref_uuid = x->oleo.str},
	                                fx_peca(&x->oleo, 0),
	                                fx_peca(&x->oleo, 10001)};
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id;

	in.servicos = s;
	in.n_servicos = 3;
	in.pecas = p;
	in.n_pecas = 4;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 5);
	assert_true(field_errors_has(&fe, "servicos[1].servico_uuid"));
	assert_true(field_errors_has(&fe, "servicos[2].servico_uuid"));
	assert_true(field_errors_has(&fe, "pecas[1].quantidade")); /* required for a part */
	assert_true(field_errors_has(&fe, "pecas[2].quantidade"));
	assert_true(field_errors_has(&fe, "pecas[3].quantidade"));
	assert_int_equal(x->f.tx.begins, 0);
	assert_int_equal(x->f.ordens.ordens.n, 0);
}

static void assert_abertura_recusada(struct fx *x, const struct ordem_campos *in,
                                     const char *campo_erro)
{
	struct field_errors fe;
	struct uuid id = {""};
	struct foto antes;

	fx_fotografar(x, NULL, &antes);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, campo_erro);
	assert_true(fe.items[0].mensagem[0] != '\0');
	assert_string_equal(id.str, "");
	assert_nada_mudou(x, NULL, &antes);
	assert_int_equal(x->f.tx.commits, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
	mem_transaction_reset_counters(&x->f.tx);
}

static void test_abrir_ordem__cliente_inexistente_ou_inativo__invalido_no_campo(void **state)
{
	struct fx *x = *state;
	struct uuid inativo = fx_novo_cliente(x, "Inativo", "12345678909", false);
	struct uuid v = fx_novo_veiculo(x, &inativo, "INA1234", true);
	struct ordem_campos in = fx_campos(x);

	struct field_errors fe;
	struct uuid id = {""};

	/* Unknown customer: the vehicle, then nobody's, is flagged as well. */
	in.cliente_uuid = UUID_NENHUMA;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 2);
	assert_true(field_errors_has(&fe, "cliente_uuid"));
	assert_true(field_errors_has(&fe, "veiculo_uuid"));
	assert_string_equal(id.str, "");
	assert_int_equal(x->f.ordens.ordens.n, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
	mem_transaction_reset_counters(&x->f.tx);

	/* Inactive customer with their own active vehicle: only the customer. */
	in.cliente_uuid = inativo.str;
	in.veiculo_uuid = v.str;
	assert_abertura_recusada(x, &in, "cliente_uuid");
}

static void test_abrir_ordem__veiculo_inexistente_ou_inativo__invalido_no_campo(void **state)
{
	struct fx *x = *state;
	struct uuid inativo = fx_novo_veiculo(x, &x->cliente, "DEF4G56", false);
	struct ordem_campos in = fx_campos(x);

	in.veiculo_uuid = UUID_NENHUMA;
	assert_abertura_recusada(x, &in, "veiculo_uuid");
	in.veiculo_uuid = inativo.str;
	assert_abertura_recusada(x, &in, "veiculo_uuid");
}

static void test_abrir_ordem__veiculo_de_outro_cliente__invalido(void **state)
{
	struct fx *x = *state;
	struct ordem_campos in = fx_campos(x);

	in.veiculo_uuid = x->veiculo_outro.str;
	assert_abertura_recusada(x, &in, "veiculo_uuid");
}

static void test_abrir_ordem__com_itens__copia_nome_e_preco_do_catalogo(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca), fx_servico(&x->alinhamento)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 2), fx_peca(&x->oleo, 4)};
	struct uuid id = fx_abrir_com(x, s, 2, p, 2);
	const struct ordem_item *it;

	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_SERVICO), 2);
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_PECA), 2);
	it = mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str);
	assert_non_null(it);
	assert_string_equal(it->nome, "Troca de óleo");
	assert_int_equal(it->quantidade, 1); /* a service without quantidade */
	assert_int_equal(it->valor_unitario, PRECO_TROCA);
	it = mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str);
	assert_non_null(it);
	assert_string_equal(it->nome, "Óleo 5W30");
	assert_int_equal(it->quantidade, 4);
	assert_int_equal(it->valor_unitario, PRECO_OLEO);
	/* Opening reserves nothing: stock leaves only on approval. */
	assert_int_equal(fx_saldo(x, &x->oleo), SALDO_OLEO);
	assert_int_equal(x->f.tx.commits, 1);
}

static void test_abrir_ordem__mesma_peca_duas_vezes__soma_na_linha(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {fx_servico(&x->troca), fx_servico(&x->troca)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 2), fx_peca(&x->filtro, 3)};
	struct uuid id = fx_abrir_com(x, s, 2, p, 2);

	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_PECA), 1);
	assert_int_equal(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str)->quantidade, 5);
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_SERVICO), 1);
	assert_int_equal(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->quantidade, 2);
}

static void test_abrir_ordem__item_desconhecido_ou_inativo__invalido_com_caminho(void **state)
{
	struct fx *x = *state;
	struct uuid servico_inativo = fx_novo_servico(x, "Descontinuado", 100, false);
	struct uuid peca_inativa = fx_nova_peca(x, "Fora de linha", 100, 5, false);
	struct ordem_item_campos s[] = {fx_servico(&x->troca), fx_servico(&servico_inativo)};
	struct ordem_item_campos p[] = {
	    fx_peca(&peca_inativa, 1),
	    fx_peca(&x->filtro, 1),
	    {.ref_uuid = UUID_NENHUMA, .quantidade_given = true, .quantidade = 1}};
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id = {""};
	struct foto antes;

	in.servicos = s;
	in.n_servicos = 2;
	in.pecas = p;
	in.n_pecas = 3;
	fx_fotografar(x, NULL, &antes);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 3);
	assert_true(field_errors_has(&fe, "servicos[1].servico_uuid"));
	assert_true(field_errors_has(&fe, "pecas[0].peca_uuid"));
	assert_true(field_errors_has(&fe, "pecas[2].peca_uuid"));
	assert_string_equal(id.str, "");
	/* The order and its good items were written, then rolled back. */
	assert_nada_mudou(x, NULL, &antes);
	assert_int_equal(x->f.tx.rollbacks, 1);
	assert_int_equal(x->f.tx.commits, 0);
}

static void test_abrir_ordem__mesma_peca_passando_do_limite__invalido_na_quantidade(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 6000), fx_peca(&x->filtro, 5000)};
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id;
	struct foto antes;

	in.pecas = p;
	in.n_pecas = 2;
	fx_fotografar(x, NULL, &antes);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "pecas[1].quantidade");
	assert_nada_mudou(x, NULL, &antes);
}

/* Arms fault at each call in turn until the command gets through; every failure undoes all. */
static void abrir_com_falha_em(struct fx *x, struct fake_fault *fault)
{
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 1), fx_peca(&x->oleo, 2)};
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id;
	struct foto antes;
	int k, rc;

	in.servicos = s;
	in.n_servicos = 1;
	in.pecas = p;
	in.n_pecas = 2;
	for (k = 0;; k++) {
		fx_fotografar(x, NULL, &antes);
		fake_fault_arm(fault, k, APP_EUNAVAILABLE);
		field_errors_init(&fe);
		rc = abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id);
		if (rc == 0)
			break;
		assert_int_equal(rc, APP_EUNAVAILABLE);
		assert_int_equal(fe.count, 0);
		assert_nada_mudou(x, NULL, &antes);
	}
	fake_fault_arm(fault, 0, 0);
	assert_true(k >= 1);
	assert_int_equal(x->f.tx.rollbacks, k);
	assert_int_equal(x->f.tx.commits, 1);
	mem_transaction_reset_counters(&x->f.tx);
}

static void test_abrir_ordem__repositorio_indisponivel__desfaz_tudo(void **state)
{
	struct fx *x = *state;
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id;

	abrir_com_falha_em(x, &x->f.ordens.fault);   /* abrir, add_item ×3, append_historico */
	abrir_com_falha_em(x, &x->f.clientes.fault); /* find_by_uuid */
	abrir_com_falha_em(x, &x->f.veiculos.fault);
	abrir_com_falha_em(x, &x->f.eventos.fault);

	fake_fault_next(&x->f.tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EUNAVAILABLE);
	size_t n = x->f.ordens.ordens.n;
	fake_fault_next(&x->f.tx.commit_fault);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(x->f.ordens.ordens.n, n); /* a failed commit throws the order away */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ordens_fixture_setup, ordens_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_abrir_ordem__valida__recebida_com_numero_historico_e_evento),
	    T(test_abrir_ordem__numero__ano_do_relogio_em_utc_e_mais_de_seis_digitos),
	    T(test_abrir_ordem__campos_ausentes_ou_mal_formados__invalido_sem_transacao),
	    T(test_abrir_ordem__item_mal_formado__invalido_com_caminho_sem_transacao),
	    T(test_abrir_ordem__cliente_inexistente_ou_inativo__invalido_no_campo),
	    T(test_abrir_ordem__veiculo_inexistente_ou_inativo__invalido_no_campo),
	    T(test_abrir_ordem__veiculo_de_outro_cliente__invalido),
	    T(test_abrir_ordem__com_itens__copia_nome_e_preco_do_catalogo),
	    T(test_abrir_ordem__mesma_peca_duas_vezes__soma_na_linha),
	    T(test_abrir_ordem__item_desconhecido_ou_inativo__invalido_com_caminho),
	    T(test_abrir_ordem__mesma_peca_passando_do_limite__invalido_na_quantidade),
	    T(test_abrir_ordem__repositorio_indisponivel__desfaz_tudo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
