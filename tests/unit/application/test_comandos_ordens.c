/*
 * Unit tests of application/commands/comandos_ordens (and queries/consultas_ordens) over the
 * in-memory adapters (application layer; cmocka, tests/fakes): opening an order, its items, every
 * action of the state machine from every state, the frozen budget, the approval that takes the
 * parts out of stock all together or not at all, the webhook's decision, a customer's rights, and
 * what a failing store leaves behind (nothing: every refused or failed command is rolled back).
 * Each test checks the answer, the stored rows, the history, the outbox and how the transaction
 * ended.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "application/commands/comandos_ordens.h"
#include "application/queries/consultas_ordens.h"
#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/texto.h"
#include "tests/fakes/fake_app.h"
#include "tests/fakes/mem_catalogo.h"
#include "tests/fakes/mem_ordem_repo.h"

#define AGORA        "2026-11-23T12:00:00Z"
#define SALDO_FILTRO 1000 /* enough for every order a test opens */
#define SALDO_OLEO   40
#define PRECO_TROCA  15050 /* R$ 150.50 */
#define PRECO_ALINHA 9999  /* R$ 99.99 */
#define PRECO_FILTRO 2590  /* R$ 25.90 */
#define PRECO_OLEO   4200  /* R$ 42.00 */
#define SALDOS_MAX   16
#define UUID_NENHUMA "00000000-0000-4000-8000-000000000000"

static const struct app_caller quem = {
    .correlation_id = "corr-ordens-1",
    .sub = "00000003-0000-4000-8000-000000000001",
    .perfil = PERFIL_ATENDENTE,
};

static const struct app_caller webhook = {
    .correlation_id = "corr-webhook-1",
    .sub = "webhook",
    .perfil = PERFIL_WEBHOOK,
};

struct fx {
	struct fake_app f;
	struct uuid cliente, veiculo;     /* an active customer and their vehicle */
	struct uuid outro, veiculo_outro; /* another customer and theirs */
	struct uuid troca, alinhamento;   /* active services */
	struct uuid filtro, oleo;         /* active parts with stock */
	struct app_caller dono;           /* x->cliente as a "cliente" caller */
};

/* ---- fixture ---------------------------------------------------------------------------- */

static struct uuid novo_cliente(struct fx *x, const char *nome, const char *doc, bool ativo)
{
	struct cliente c;

	memset(&c, 0, sizeof c);
	snprintf(c.nome, sizeof c.nome, "%s", nome);
	snprintf(c.documento, sizeof c.documento, "%s", doc);
	c.ativo = ativo;
	assert_int_equal(cliente_repo_insert(&x->f.app.clientes, &c), 0);
	return c.uuid;
}

static struct uuid novo_veiculo(struct fx *x, const struct uuid *dono, const char *placa,
                                bool ativo)
{
	struct veiculo v;

	memset(&v, 0, sizeof v);
	v.cliente_uuid = *dono;
	snprintf(v.placa, sizeof v.placa, "%s", placa);
	snprintf(v.marca, sizeof v.marca, "Fiat");
	snprintf(v.modelo, sizeof v.modelo, "Uno");
	v.ano = 2015;
	v.ativo = ativo;
	assert_int_equal(veiculo_repo_insert(&x->f.app.veiculos, &v), 0);
	return v.uuid;
}

static struct uuid novo_servico(struct fx *x, const char *nome, int64_t centavos, bool ativo)
{
	struct servico s;

	memset(&s, 0, sizeof s);
	snprintf(s.nome, sizeof s.nome, "%s", nome);
	s.valor_centavos = centavos;
	s.ativo = ativo;
	assert_int_equal(servico_repo_insert(&x->f.app.servicos, &s), 0);
	return s.uuid;
}

static struct uuid nova_peca(struct fx *x, const char *nome, int64_t centavos, int inicial,
                             bool ativo)
{
	struct peca p;
	struct movimento m;
	int minimo;

	memset(&p, 0, sizeof p);
	snprintf(p.nome, sizeof p.nome, "%s", nome);
	p.valor_centavos = centavos;
	p.ativo = ativo;
	assert_int_equal(peca_repo_insert(&x->f.app.pecas, &p), 0);
	if (inicial > 0) {
		memset(&m, 0, sizeof m);
		m.peca_uuid = p.uuid;
		m.quantidade = inicial;
		snprintf(m.motivo, sizeof m.motivo, "estoque inicial");
		assert_int_equal(estoque_repo_apply_movimento(&x->f.app.estoque, &m, NULL, &minimo),
		                 0);
	}
	return p.uuid;
}

static int setup(void **state)
{
	struct fx *x = malloc(sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);

	/* Rows the tests start from, written straight through the ports (no events). */
	x->cliente = novo_cliente(x, "Maria da Silva", "52998224725", true);
	x->veiculo = novo_veiculo(x, &x->cliente, "ABC1D23", true);
	x->outro = novo_cliente(x, "João Souza", "11144477735", true);
	x->veiculo_outro = novo_veiculo(x, &x->outro, "XYZ9876", true);
	x->troca = novo_servico(x, "Troca de óleo", PRECO_TROCA, true);
	x->alinhamento = novo_servico(x, "Alinhamento", PRECO_ALINHA, true);
	x->filtro = nova_peca(x, "Filtro de óleo", PRECO_FILTRO, SALDO_FILTRO, true);
	x->oleo = nova_peca(x, "Óleo 5W30", PRECO_OLEO, SALDO_OLEO, true);
	x->dono = (struct app_caller){
	    .correlation_id = "corr-dono-1", .sub = x->cliente.str, .perfil = PERFIL_CLIENTE};
	mem_transaction_reset_counters(&x->f.tx);
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

/* ---- helpers ---------------------------------------------------------------------------- */

static struct ordem_item_campos servico(const struct uuid *u)
{
	return (struct ordem_item_campos){.ref_uuid = u->str};
}

static struct ordem_item_campos peca(const struct uuid *u, long q)
{
	return (struct ordem_item_campos){
	    .ref_uuid = u->str, .quantidade_given = true, .quantidade = q};
}

static struct ordem_campos campos(const struct fx *x)
{
	return (struct ordem_campos){.cliente_uuid = x->cliente.str,
	                             .veiculo_uuid = x->veiculo.str};
}

/* Opens an order with the given items; it must work. */
static struct uuid abrir_com(struct fx *x, const struct ordem_item_campos *s, size_t ns,
                             const struct ordem_item_campos *p, size_t np)
{
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id = {""};

	in.servicos = s;
	in.n_servicos = ns;
	in.pecas = p;
	in.n_pecas = np;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);
	return id;
}

static int acao(struct fx *x, const struct uuid *id, enum ordem_acao a)
{
	struct field_errors fe;
	struct ordem_conflito cf = {0};

	field_errors_init(&fe);
	return executar_acao_ordem(&x->f.app, &quem, id, a, NULL, &fe, &cf);
}

/* Moves order id from RECEBIDA to alvo through the actions of the state machine. */
static void levar_a(struct fx *x, const struct uuid *id, enum ordem_status alvo)
{
	static const enum ordem_acao caminho[] = {ACAO_DIAGNOSTICO, ACAO_ORCAMENTO, ACAO_APROVACAO,
	                                          ACAO_FINALIZACAO, ACAO_ENTREGA};
	if (alvo == ORDEM_CANCELADA) {
		assert_int_equal(acao(x, id, ACAO_CANCELAMENTO), 0);
		return;
	}
	for (size_t i = 0; i < (size_t)alvo; i++)
		assert_int_equal(acao(x, id, caminho[i]), 0);
	assert_int_equal(mem_ordem_repo_get(&x->f.ordens, id->str)->status, alvo);
}

/* An order with one service and one filter, in state alvo. */
static struct uuid ordem_em(struct fx *x, enum ordem_status alvo)
{
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 1)};
	struct uuid id = abrir_com(x, s, 1, p, 1);

	levar_a(x, &id, alvo);
	return id;
}

static const struct ordem *guardada(const struct fx *x, const struct uuid *id)
{
	const struct ordem *o = mem_ordem_repo_get(&x->f.ordens, id->str);

	assert_non_null(o);
	return o;
}

static int saldo(const struct fx *x, const struct uuid *p)
{
	const struct peca *r = mem_catalogo_peca(&x->f.catalogo, p->str);

	assert_non_null(r);
	return r->quantidade_estoque;
}

static const char *campo(const struct mem_evento *ev, const char *chave)
{
	const struct mem_evento_campo *c = mem_evento_campo(ev, chave);

	assert_non_null(c);
	return c->valor ? c->valor : "null";
}

/* Everything a refused or failed command must leave as it was. */
struct foto {
	struct ordem o;         /* the order's row, byte for byte */
	size_t n_ordens;        /* orders stored */
	size_t n_itens;         /* lines of every order */
	long soma_quantidades;  /* their quantities */
	size_t n_historico;     /* history rows of every order */
	size_t n_eventos;       /* events in the outbox */
	size_t n_movimentos;    /* stock movements */
	size_t n_pecas;         /* parts in the catalogue */
	int saldos[SALDOS_MAX]; /* every part's balance */
};

static void fotografar(const struct fx *x, const struct uuid *id, struct foto *f)
{
	memset(f, 0, sizeof *f);
	if (id)
		memcpy(&f->o, guardada(x, id), sizeof f->o);
	f->n_ordens = x->f.ordens.ordens.n;
	f->n_itens = x->f.ordens.itens.n;
	for (size_t i = 0; i < x->f.ordens.itens.n; i++)
		f->soma_quantidades +=
		    ((const struct mem_ordem_item *)mem_table_at(&x->f.ordens.itens, i))
		        ->item.quantidade;
	f->n_historico = x->f.ordens.historico.n;
	f->n_eventos = x->f.eventos.n;
	f->n_movimentos = x->f.catalogo.movimentos.n;
	f->n_pecas = x->f.catalogo.pecas.n;
	assert_true(f->n_pecas <= SALDOS_MAX);
	for (size_t i = 0; i < f->n_pecas; i++)
		f->saldos[i] = ((const struct peca *)mem_table_at(&x->f.catalogo.pecas, i))
		                   ->quantidade_estoque;
}

static void assert_nada_mudou(const struct fx *x, const struct uuid *id, const struct foto *antes)
{
	struct foto agora;

	fotografar(x, id, &agora);
	assert_memory_equal(&agora.o, &antes->o, sizeof agora.o);
	assert_int_equal(agora.n_ordens, antes->n_ordens);
	assert_int_equal(agora.n_itens, antes->n_itens);
	assert_int_equal(agora.soma_quantidades, antes->soma_quantidades);
	assert_int_equal(agora.n_historico, antes->n_historico);
	assert_int_equal(agora.n_eventos, antes->n_eventos);
	assert_int_equal(agora.n_movimentos, antes->n_movimentos);
	assert_int_equal(agora.n_pecas, antes->n_pecas);
	for (size_t i = 0; i < agora.n_pecas; i++)
		assert_int_equal(agora.saldos[i], antes->saldos[i]);
	assert_false(x->f.tx.open);
}

static void assert_historico(const struct fx *x, const struct uuid *id, size_t i,
                             enum ordem_status status, const struct app_caller *who)
{
	const struct mem_ordem_historico *h = mem_ordem_repo_historico(&x->f.ordens, id->str, i);

	assert_non_null(h);
	assert_int_equal(h->status, status);
	assert_string_equal(h->em, AGORA);
	assert_string_equal(h->por, who->sub);
	assert_string_equal(h->perfil, perfil_nome(who->perfil));
	assert_string_equal(h->correlation_id, who->correlation_id);
}

/* The newest ordem.status_alterado is about id, from de to para, by who. */
static void assert_status_alterado(const struct fx *x, const struct uuid *id, enum ordem_status de,
                                   enum ordem_status para, const struct app_caller *who)
{
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado");

	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id->str);
	assert_string_equal(ev->correlation_id, who->correlation_id);
	assert_string_equal(campo(ev, "uuid"), id->str);
	assert_string_equal(campo(ev, "numero"), guardada(x, id)->numero);
	assert_string_equal(campo(ev, "de"), ordem_status_nome(de));
	assert_string_equal(campo(ev, "para"), ordem_status_nome(para));
}

/* ---- abrir_ordem ------------------------------------------------------------------------ */

static void test_abrir_ordem__valida__recebida_com_numero_historico_e_evento(void **state)
{
	struct fx *x = *state;
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id = {""}, segunda = {""};

	in.descricao = "  barulho na suspensão  ";
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);

	const struct ordem *o = guardada(x, &id);
	assert_int_equal(o->status, ORDEM_RECEBIDA);
	assert_string_equal(o->numero, "OS-2026-000001");
	assert_string_equal(o->cliente_uuid.str, x->cliente.str);
	assert_string_equal(o->veiculo_uuid.str, x->veiculo.str);
	assert_string_equal(o->descricao, "barulho na suspensão");
	assert_false(o->tem_orcamento);
	assert_int_equal(o->decisao, DECISAO_NENHUMA);
	assert_string_equal(o->criada_em, AGORA);

	assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str), 1);
	assert_historico(x, &id, 0, ORDEM_RECEBIDA, &quem);

	assert_int_equal(mem_event_outbox_count(&x->f.eventos, NULL), 1);
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "ordem.criada");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(ev->correlation_id, "corr-ordens-1");
	assert_string_equal(campo(ev, "uuid"), id.str);
	assert_string_equal(campo(ev, "numero"), "OS-2026-000001");
	assert_string_equal(campo(ev, "cliente_uuid"), x->cliente.str);
	assert_string_equal(campo(ev, "veiculo_uuid"), x->veiculo.str);
	assert_string_equal(campo(ev, "status"), "RECEBIDA");

	assert_int_equal(x->f.tx.begins, 1);
	assert_int_equal(x->f.tx.commits, 1);
	assert_int_equal(x->f.tx.rollbacks, 0);
	assert_int_equal(x->f.ordens.writes_outside_tx, 0);
	assert_true(x->f.clientes.locks >= 1); /* the customer is locked while the order opens */

	/* The next one takes the next number. */
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &segunda), 0);
	assert_string_equal(guardada(x, &segunda)->numero, "OS-2026-000002");
	assert_string_not_equal(segunda.str, id.str);
}

static void test_abrir_ordem__numero__ano_do_relogio_em_utc_e_mais_de_seis_digitos(void **state)
{
	struct fx *x = *state;
	struct uuid id;

	fake_clock_set((time_t)1798761599); /* 2026-12-31T23:59:59Z: still 2026 in UTC */
	id = abrir_com(x, NULL, 0, NULL, 0);
	assert_string_equal(guardada(x, &id)->numero, "OS-2026-000001");
	fake_clock_set((time_t)1798761600); /* 2027-01-01T00:00:00Z */
	x->f.ordens.numero_seq = 999999;
	id = abrir_com(x, NULL, 0, NULL, 0);
	assert_string_equal(guardada(x, &id)->numero, "OS-2027-1000000");
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
		muitos[i] = servico(&x->troca);
	in.descricao = longa;
	in.servicos = muitos;
	in.n_servicos = ORDEM_ITENS_ABERTURA_MAX + 1;
	in.pecas = muitos;
	in.n_pecas = ORDEM_ITENS_ABERTURA_MAX + 1;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
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
	in = campos(x);
	in.descricao = longa;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), 0);
	assert_int_equal(strlen(guardada(x, &id)->descricao), ORDEM_DESCRICAO_MAX);
}

static void test_abrir_ordem__item_mal_formado__invalido_com_caminho_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {
	    servico(&x->troca), {.ref_uuid = "xyz"}, {.quantidade_given = true, .quantidade = 1}};
	struct ordem_item_campos p[] = {peca(&x->filtro, 1),
	                                {.ref_uuid = x->oleo.str},
	                                peca(&x->oleo, 0),
	                                peca(&x->oleo, 10001)};
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id;

	in.servicos = s;
	in.n_servicos = 3;
	in.pecas = p;
	in.n_pecas = 4;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
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

	fotografar(x, NULL, &antes);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, in, &fe, &id), APP_EINVALID);
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
	struct uuid inativo = novo_cliente(x, "Inativo", "12345678909", false);
	struct uuid v = novo_veiculo(x, &inativo, "INA1234", true);
	struct ordem_campos in = campos(x);

	struct field_errors fe;
	struct uuid id = {""};

	/* Unknown customer: the vehicle, then nobody's, is flagged as well. */
	in.cliente_uuid = UUID_NENHUMA;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
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
	struct uuid inativo = novo_veiculo(x, &x->cliente, "DEF4G56", false);
	struct ordem_campos in = campos(x);

	in.veiculo_uuid = UUID_NENHUMA;
	assert_abertura_recusada(x, &in, "veiculo_uuid");
	in.veiculo_uuid = inativo.str;
	assert_abertura_recusada(x, &in, "veiculo_uuid");
}

static void test_abrir_ordem__veiculo_de_outro_cliente__invalido(void **state)
{
	struct fx *x = *state;
	struct ordem_campos in = campos(x);

	in.veiculo_uuid = x->veiculo_outro.str;
	assert_abertura_recusada(x, &in, "veiculo_uuid");
}

static void test_abrir_ordem__com_itens__copia_nome_e_preco_do_catalogo(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca), servico(&x->alinhamento)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 2), peca(&x->oleo, 4)};
	struct uuid id = abrir_com(x, s, 2, p, 2);
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
	assert_int_equal(saldo(x, &x->oleo), SALDO_OLEO);
	assert_int_equal(x->f.tx.commits, 1);
}

static void test_abrir_ordem__mesma_peca_duas_vezes__soma_na_linha(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca), servico(&x->troca)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 2), peca(&x->filtro, 3)};
	struct uuid id = abrir_com(x, s, 2, p, 2);

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
	struct uuid servico_inativo = novo_servico(x, "Descontinuado", 100, false);
	struct uuid peca_inativa = nova_peca(x, "Fora de linha", 100, 5, false);
	struct ordem_item_campos s[] = {servico(&x->troca), servico(&servico_inativo)};
	struct ordem_item_campos p[] = {
	    peca(&peca_inativa, 1),
	    peca(&x->filtro, 1),
	    {.ref_uuid = UUID_NENHUMA, .quantidade_given = true, .quantidade = 1}};
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id = {""};
	struct foto antes;

	in.servicos = s;
	in.n_servicos = 2;
	in.pecas = p;
	in.n_pecas = 3;
	fotografar(x, NULL, &antes);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
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
	struct ordem_item_campos p[] = {peca(&x->filtro, 6000), peca(&x->filtro, 5000)};
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id;
	struct foto antes;

	in.pecas = p;
	in.n_pecas = 2;
	fotografar(x, NULL, &antes);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "pecas[1].quantidade");
	assert_nada_mudou(x, NULL, &antes);
}

/* Arms fault at each call in turn until the command gets through; every failure undoes all. */
static void abrir_com_falha_em(struct fx *x, struct fake_fault *fault)
{
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 1), peca(&x->oleo, 2)};
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id;
	struct foto antes;
	int k, rc;

	in.servicos = s;
	in.n_servicos = 1;
	in.pecas = p;
	in.n_pecas = 2;
	for (k = 0;; k++) {
		fotografar(x, NULL, &antes);
		fake_fault_arm(fault, k, APP_EUNAVAILABLE);
		field_errors_init(&fe);
		rc = abrir_ordem(&x->f.app, &quem, &in, &fe, &id);
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
	struct ordem_campos in = campos(x);
	struct field_errors fe;
	struct uuid id;

	abrir_com_falha_em(x, &x->f.ordens.fault);   /* abrir, add_item ×3, append_historico */
	abrir_com_falha_em(x, &x->f.clientes.fault); /* find_by_uuid */
	abrir_com_falha_em(x, &x->f.veiculos.fault);
	abrir_com_falha_em(x, &x->f.eventos.fault);

	fake_fault_next(&x->f.tx.begin_fault);
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	size_t n = x->f.ordens.ordens.n;
	fake_fault_next(&x->f.tx.commit_fault);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &id), APP_EUNAVAILABLE);
	assert_int_equal(x->f.ordens.ordens.n, n); /* a failed commit throws the order away */
}

/* ---- adicionar_item_ordem / remover_item_ordem ------------------------------------------ */

static void test_adicionar_item__servico_sem_quantidade__uma_unidade_e_uuid_da_linha(void **state)
{
	struct fx *x = *state;
	struct uuid id = abrir_com(x, NULL, 0, NULL, 0), item = {""};
	struct ordem_item_campos in = servico(&x->alinhamento);
	struct ordem_conflito cf = {0};
	struct field_errors fe;

	fake_clock_advance(60);
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &in, &fe, &cf, &item), 0);
	const struct ordem_item *it =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->alinhamento.str);
	assert_non_null(it);
	assert_string_equal(item.str, it->uuid.str);
	assert_int_equal(it->quantidade, 1);
	assert_string_equal(it->nome, "Alinhamento");
	assert_int_equal(it->valor_unitario, PRECO_ALINHA);
	assert_string_equal(guardada(x, &id)->atualizada_em, "2026-11-23T12:01:00Z");
	assert_int_equal(x->f.tx.commits, 2);
	assert_false(cf.estado);
	/* item_out may be NULL. */
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &in, &fe, &cf, NULL), 0);
	assert_int_equal(it->quantidade, 2);
	fake_clock_set(FAKE_CLOCK_PADRAO);
}

static void test_adicionar_item__mesma_peca_de_novo__soma_na_linha_e_mesmo_preco(void **state)
{
	struct fx *x = *state;
	struct uuid id = ordem_em(x, ORDEM_EM_DIAGNOSTICO), primeira, segunda;
	struct ordem_item_campos in = peca(&x->oleo, 3);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct peca p;

	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &in, &fe, &cf, &primeira), 0);
	/* The catalogue price changes; the line keeps the one it copied. */
	assert_int_equal(peca_repo_find_by_uuid(&x->f.app.pecas, &x->oleo, false, &p), 0);
	p.valor_centavos = 9900;
	assert_int_equal(peca_repo_update(&x->f.app.pecas, &p), 0);
	in.quantidade = 4;
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &in, &fe, &cf, &segunda), 0);
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
	struct ordem_item_campos p[] = {peca(&x->filtro, 9999)};
	struct uuid id = abrir_com(x, NULL, 0, p, 1);
	struct ordem_item_campos in = peca(&x->filtro, 2);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &in, &fe, &cf, NULL),
	    APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "quantidade");
	assert_false(cf.estado);
	assert_nada_mudou(x, &id, &antes);
	in.quantidade = 1; /* exactly 10000 is fine */
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &in, &fe, &cf, NULL), 0);
	assert_int_equal(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str)->quantidade,
	    ORDEM_ITEM_QUANTIDADE_MAX);
}

static void test_adicionar_item__catalogo_desconhecido_ou_inativo__invalido_no_campo(void **state)
{
	struct fx *x = *state;
	struct uuid id = abrir_com(x, NULL, 0, NULL, 0);
	struct uuid inativo = novo_servico(x, "Velho", 100, false);
	struct ordem_item_campos s = servico(&inativo);
	struct ordem_item_campos p = {
	    .ref_uuid = x->troca.str, .quantidade_given = true, .quantidade = 1}; /* not a part */
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &s, &fe, &cf, NULL),
	    APP_EINVALID);
	assert_string_equal(fe.items[0].campo, "servico_uuid");
	field_errors_init(&fe);
	assert_int_equal(adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &p, &fe, &cf, NULL),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "peca_uuid");
	assert_nada_mudou(x, &id, &antes);
	assert_int_equal(x->f.tx.rollbacks, 2);
}

static void test_adicionar_item__entrada_mal_formada__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct uuid id = abrir_com(x, NULL, 0, NULL, 0);
	struct ordem_item_campos sem_qtd = {.ref_uuid = x->filtro.str};
	struct ordem_item_campos sem_ref = {.quantidade_given = true, .quantidade = 0};
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	int begins = x->f.tx.begins;

	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &sem_qtd, &fe, &cf, NULL),
	    APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "quantidade");
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &sem_ref, &fe, &cf, NULL),
	    APP_EINVALID);
	assert_true(field_errors_has(&fe, "servico_uuid"));
	assert_true(field_errors_has(&fe, "quantidade"));
	/* A type error found while reading the request is honoured too. */
	struct ordem_item_campos ok = servico(&x->troca);
	field_errors_init(&fe);
	field_errors_add(&fe, "quantidade", "deve ser um número inteiro");
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &ok, &fe, &cf, NULL),
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
		struct uuid id = ordem_em(x, fechados[i]);
		struct ordem_item_campos in = peca(&x->oleo, 1);
		const struct ordem_item *linha =
		    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str);
		struct uuid item = linha->uuid;
		struct ordem_conflito cf = {0};
		struct field_errors fe;
		struct foto antes;

		mem_transaction_reset_counters(&x->f.tx);
		fotografar(x, &id, &antes);
		field_errors_init(&fe);
		assert_int_equal(
		    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &in, &fe, &cf, NULL),
		    APP_ECONFLICT);
		assert_true(cf.estado);
		assert_int_equal(cf.status_atual, fechados[i]);
		assert_nada_mudou(x, &id, &antes);

		cf = (struct ordem_conflito){0};
		assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &item, &cf),
		                 APP_ECONFLICT);
		assert_true(cf.estado);
		assert_int_equal(cf.status_atual, fechados[i]);
		assert_nada_mudou(x, &id, &antes);
		/* cf may be NULL. */
		assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &item, NULL),
		                 APP_ECONFLICT);
		assert_int_equal(x->f.tx.commits, 0);
		assert_int_equal(x->f.tx.rollbacks, 3);
	}
}

static void test_itens__ordem_inexistente__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos in = servico(&x->troca);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid nenhuma;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &nenhuma, ITEM_SERVICO, &in, &fe, &cf, NULL),
	    APP_ENOTFOUND);
	assert_int_equal(fe.count, 0);
	assert_int_equal(
	    remover_item_ordem(&x->f.app, &quem, &nenhuma, ITEM_SERVICO, &nenhuma, &cf),
	    APP_ENOTFOUND);
	assert_false(cf.estado);
	assert_int_equal(x->f.tx.rollbacks, 2);
	assert_int_equal(x->f.ordens.itens.n, 0);
}

static void test_remover_item__recebida_e_diagnostico__remove_so_a_linha(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca), servico(&x->alinhamento)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 1), peca(&x->oleo, 2)};
	struct uuid id = abrir_com(x, s, 2, p, 2);
	struct uuid outra = abrir_com(x, s, 2, p, 2);
	struct uuid troca =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->uuid;
	struct uuid oleo = mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str)->uuid;
	struct ordem_conflito cf = {0};

	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &troca, &cf), 0);
	assert_null(mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str));
	assert_non_null(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->alinhamento.str));
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, id.str, ITEM_PECA), 2);
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, outra.str, ITEM_SERVICO), 2);

	levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &oleo, &cf), 0);
	assert_null(mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str));
	assert_non_null(mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str));
	assert_int_equal(mem_ordem_repo_n_itens(&x->f.ordens, outra.str, ITEM_PECA), 2);
	assert_false(cf.estado);
}

static void
test_remover_item__linha_inexistente_de_outro_tipo_ou_ordem__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct uuid id = abrir_com(x, s, 1, NULL, 0);
	struct uuid outra = abrir_com(x, s, 1, NULL, 0);
	struct uuid linha =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->uuid;
	struct uuid nenhuma;
	struct foto antes;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	fotografar(x, &id, &antes);
	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &nenhuma, NULL),
	                 APP_ENOTFOUND);
	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &linha, NULL),
	                 APP_ENOTFOUND);
	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &outra, ITEM_SERVICO, &linha, NULL),
	                 APP_ENOTFOUND);
	assert_nada_mudou(x, &id, &antes);
}

/* ---- the state machine ------------------------------------------------------------------ */

static void test_acoes__de_cada_estado_permitido__estado_historico_e_evento(void **state)
{
	struct fx *x = *state;
	int testadas = 0;

	for (int s = 0; s < ORDEM_STATUS_COUNT; s++) {
		for (int a = 0; a < ACAO_COUNT; a++) {
			enum ordem_status para = ordem_transicao(s, a);
			if (para == ORDEM_STATUS_INVALIDO)
				continue;
			struct uuid id = ordem_em(x, (enum ordem_status)s);
			size_t n_hist = mem_ordem_repo_n_historico(&x->f.ordens, id.str);
			size_t n_ev =
			    mem_event_outbox_count(&x->f.eventos, "ordem.status_alterado");
			int commits = x->f.tx.commits;

			fake_clock_advance(60);
			assert_int_equal(acao(x, &id, a), 0);
			const struct ordem *o = guardada(x, &id);
			assert_int_equal(o->status, para);
			assert_string_equal(o->atualizada_em, "2026-11-23T12:01:00Z");
			assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str),
			                 n_hist + 1);
			const struct mem_ordem_historico *h =
			    mem_ordem_repo_historico(&x->f.ordens, id.str, n_hist);
			assert_int_equal(h->status, para);
			assert_string_equal(h->em, "2026-11-23T12:01:00Z");
			assert_string_equal(h->por, quem.sub);
			assert_string_equal(h->perfil, perfil_nome(quem.perfil));
			assert_string_equal(h->correlation_id, quem.correlation_id);
			assert_int_equal(
			    mem_event_outbox_count(&x->f.eventos, "ordem.status_alterado"),
			    n_ev + 1);
			assert_status_alterado(x, &id, (enum ordem_status)s, para, &quem);
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
		struct uuid id = ordem_em(x, (enum ordem_status)s);
		for (int a = 0; a < ACAO_COUNT; a++) {
			if (ordem_transicao(s, a) != ORDEM_STATUS_INVALIDO)
				continue;
			struct ordem_conflito cf = {0};
			struct field_errors fe;
			struct foto antes;

			mem_transaction_reset_counters(&x->f.tx);
			fotografar(x, &id, &antes);
			field_errors_init(&fe);
			assert_int_equal(
			    executar_acao_ordem(&x->f.app, &quem, &id, a, NULL, &fe, &cf),
			    APP_ECONFLICT);
			assert_true(cf.estado);
			assert_int_equal(cf.status_atual, s);
			assert_int_equal(fe.count, 0);
			assert_nada_mudou(x, &id, &antes);
			assert_int_equal(x->f.tx.commits, 0);
			assert_int_equal(x->f.tx.rollbacks, 1);
			/* cf may be NULL. */
			assert_int_equal(
			    executar_acao_ordem(&x->f.app, &quem, &id, a, NULL, &fe, NULL),
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
			struct uuid id = ordem_em(x, (enum ordem_status)de);
			int filtro = saldo(x, &x->filtro);
			assert_int_equal(acao(x, &id, a), 0);
			assert_int_equal(guardada(x, &id)->status, para);
			assert_status_alterado(x, &id, de, para, &quem);
			if (de == ORDEM_AGUARDANDO_APROVACAO && para == ORDEM_CANCELADA) {
				/* Staff cancelling, not the customer refusing: no decision. */
				assert_int_equal(a, ACAO_CANCELAMENTO);
				assert_int_equal(guardada(x, &id)->decisao, DECISAO_NENHUMA);
			}
			if (para == ORDEM_EM_EXECUCAO)
				assert_int_equal(saldo(x, &x->filtro), filtro - 1);
			else
				assert_int_equal(saldo(x, &x->filtro), filtro);
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
	struct uuid id = abrir_com(x, NULL, 0, NULL, 0);
	struct field_errors fe;
	int begins = x->f.tx.begins;

	field_errors_init(&fe);
	assert_int_equal(executar_acao_ordem(&x->f.app, &quem, &id, ACAO_COUNT, NULL, &fe, NULL),
	                 APP_EINVALID);
	assert_int_equal(executar_acao_ordem(&x->f.app, &quem, &id, ACAO_INVALIDA, NULL, &fe, NULL),
	                 APP_EINVALID);
	assert_int_equal(x->f.tx.begins, begins);
}

static void test_acao__motivo_longo__invalido_sem_transacao(void **state)
{
	struct fx *x = *state;
	struct uuid id = abrir_com(x, NULL, 0, NULL, 0);
	struct field_errors fe;
	char motivo[502];
	int begins = x->f.tx.begins;

	memset(motivo, 'm', 501);
	motivo[501] = '\0';
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_CANCELAMENTO, motivo, &fe, NULL),
	    APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "motivo");
	assert_int_equal(x->f.tx.begins, begins);
	assert_int_equal(guardada(x, &id)->status, ORDEM_RECEBIDA);

	motivo[500] = '\0'; /* 500 is the limit */
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_CANCELAMENTO, motivo, &fe, NULL), 0);
	assert_int_equal(guardada(x, &id)->status, ORDEM_CANCELADA);
}

static void test_acao__ordem_inexistente__nao_encontrada(void **state)
{
	struct fx *x = *state;
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid nenhuma;

	uuid_parse(UUID_NENHUMA, &nenhuma);
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &nenhuma, ACAO_DIAGNOSTICO, NULL, &fe, &cf),
	    APP_ENOTFOUND);
	assert_false(cf.estado);
	assert_int_equal(x->f.tx.rollbacks, 1);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, NULL), 0);
}

static void test_cancelamento__com_motivo__motivo_no_evento_sem_decisao(void **state)
{
	struct fx *x = *state;
	struct uuid id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct field_errors fe;
	int filtro = saldo(x, &x->filtro);

	field_errors_init(&fe);
	assert_int_equal(executar_acao_ordem(&x->f.app, &quem, &id, ACAO_CANCELAMENTO,
	                                     "cliente desistiu", &fe, NULL),
	                 0);
	const struct ordem *o = guardada(x, &id);
	assert_int_equal(o->status, ORDEM_CANCELADA);
	assert_int_equal(o->decisao, DECISAO_NENHUMA);
	assert_string_equal(o->orcamento_decidido_em, "");
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_CANCELADA, &quem);
	assert_string_equal(
	    campo(mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado"), "motivo"),
	    "cliente desistiu");
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "orcamento.reprovado"), 0);
	assert_int_equal(saldo(x, &x->filtro), filtro);
}

static void test_finalizacao_e_entrega__seguem_a_execucao(void **state)
{
	struct fx *x = *state;
	struct uuid id = ordem_em(x, ORDEM_EM_EXECUCAO);
	size_t n = mem_ordem_repo_n_historico(&x->f.ordens, id.str);
	int filtro = saldo(x, &x->filtro);

	assert_int_equal(acao(x, &id, ACAO_FINALIZACAO), 0);
	assert_int_equal(guardada(x, &id)->status, ORDEM_FINALIZADA);
	assert_historico(x, &id, n, ORDEM_FINALIZADA, &quem);
	assert_status_alterado(x, &id, ORDEM_EM_EXECUCAO, ORDEM_FINALIZADA, &quem);
	assert_int_equal(acao(x, &id, ACAO_ENTREGA), 0);
	assert_int_equal(guardada(x, &id)->status, ORDEM_ENTREGUE);
	assert_historico(x, &id, n + 1, ORDEM_ENTREGUE, &quem);
	assert_status_alterado(x, &id, ORDEM_FINALIZADA, ORDEM_ENTREGUE, &quem);
	assert_int_equal(saldo(x, &x->filtro), filtro); /* the parts left on approval only */
	/* The whole life, in order. */
	static const enum ordem_status vida[] = {
	    ORDEM_RECEBIDA,    ORDEM_EM_DIAGNOSTICO, ORDEM_AGUARDANDO_APROVACAO,
	    ORDEM_EM_EXECUCAO, ORDEM_FINALIZADA,     ORDEM_ENTREGUE};
	assert_int_equal(mem_ordem_repo_n_historico(&x->f.ordens, id.str), 6);
	for (size_t i = 0; i < 6; i++)
		assert_historico(x, &id, i, vida[i], &quem);
}

/* ---- orcamento ---------------------------------------------------------------------------- */

static void test_orcamento__sem_itens__invalido_no_campo_itens(void **state)
{
	struct fx *x = *state;
	struct uuid id = ordem_em(x, ORDEM_RECEBIDA);
	struct uuid linha =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_SERVICO, x->troca.str)->uuid;
	struct uuid filtro =
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->filtro.str)->uuid;
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_SERVICO, &linha, NULL), 0);
	assert_int_equal(remover_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &filtro, NULL), 0);
	mem_transaction_reset_counters(&x->f.tx);
	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(executar_acao_ordem(&x->f.app, &quem, &id, ACAO_ORCAMENTO, NULL, &fe, &cf),
	                 APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "itens");
	assert_false(cf.estado);
	assert_nada_mudou(x, &id, &antes);
	assert_false(guardada(x, &id)->tem_orcamento);
	assert_int_equal(x->f.tx.rollbacks, 1);
}

static void test_orcamento__so_pecas_ou_so_servicos__basta_um_item(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct ordem_item_campos p[] = {peca(&x->oleo, 2)};
	struct uuid so_servico = abrir_com(x, s, 1, NULL, 0), so_peca = abrir_com(x, NULL, 0, p, 1);

	levar_a(x, &so_servico, ORDEM_AGUARDANDO_APROVACAO);
	levar_a(x, &so_peca, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(guardada(x, &so_servico)->orcamento.valor_total, PRECO_TROCA);
	assert_int_equal(guardada(x, &so_servico)->orcamento.valor_pecas, 0);
	assert_int_equal(guardada(x, &so_peca)->orcamento.valor_total, 2 * PRECO_OLEO);
	assert_int_equal(guardada(x, &so_peca)->orcamento.valor_servicos, 0);
}

static void test_orcamento__calcula_e_congela_valores_exatos(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca), servico(&x->troca),
	                                servico(&x->alinhamento)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 3), peca(&x->oleo, 4)};
	struct uuid id = abrir_com(x, s, 3, p, 2);
	struct ordem_item_campos mais = peca(&x->oleo, 1);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct servico sv;

	levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	fake_clock_advance(3600);
	field_errors_init(&fe);
	assert_int_equal(executar_acao_ordem(&x->f.app, &quem, &id, ACAO_ORCAMENTO, NULL, &fe, &cf),
	                 0);
	const int64_t servicos = 2 * PRECO_TROCA + PRECO_ALINHA; /* 40099 */
	const int64_t pecas = 3 * PRECO_FILTRO + 4 * PRECO_OLEO; /* 24570 */
	const struct ordem *o = guardada(x, &id);
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
	assert_string_equal(ev->correlation_id, quem.correlation_id);
	assert_string_equal(campo(ev, "numero"), o->numero);
	assert_string_equal(campo(ev, "valor_servicos"), "400.99");
	assert_string_equal(campo(ev, "valor_pecas"), "245.70");
	assert_string_equal(campo(ev, "valor_total"), "646.69");
	assert_status_alterado(x, &id, ORDEM_EM_DIAGNOSTICO, ORDEM_AGUARDANDO_APROVACAO, &quem);
	fake_clock_set(FAKE_CLOCK_PADRAO);

	/* Frozen: neither the catalogue nor an attempt to add an item changes it. */
	assert_int_equal(servico_repo_find_by_uuid(&x->f.app.servicos, &x->troca, false, &sv), 0);
	sv.valor_centavos = 1;
	assert_int_equal(servico_repo_update(&x->f.app.servicos, &sv), 0);
	struct orcamento congelado = guardada(x, &id)->orcamento;
	field_errors_init(&fe);
	assert_int_equal(
	    adicionar_item_ordem(&x->f.app, &quem, &id, ITEM_PECA, &mais, &fe, &cf, NULL),
	    APP_ECONFLICT);
	assert_true(cf.estado);
	assert_int_equal(cf.status_atual, ORDEM_AGUARDANDO_APROVACAO);
	assert_memory_equal(&guardada(x, &id)->orcamento, &congelado, sizeof congelado);
	assert_int_equal(
	    mem_ordem_repo_item(&x->f.ordens, id.str, ITEM_PECA, x->oleo.str)->quantidade, 4);
	/* The approval's event carries the frozen total. */
	assert_int_equal(acao(x, &id, ACAO_APROVACAO), 0);
	assert_string_equal(
	    campo(mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado"), "valor_total"),
	    "646.69");
}

static void test_orcamento__acima_do_limite_de_dinheiro__invalido_no_campo_orcamento(void **state)
{
	struct fx *x = *state;
	struct uuid caro = novo_servico(x, "Motor novo", DINHEIRO_MAX_CENTAVOS, true);
	struct ordem_item_campos s[] = {servico(&caro), servico(&x->troca)};
	struct uuid id = abrir_com(x, s, 2, NULL, 0);
	struct field_errors fe;
	struct foto antes;

	levar_a(x, &id, ORDEM_EM_DIAGNOSTICO);
	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_ORCAMENTO, NULL, &fe, NULL),
	    APP_EINVALID);
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "orcamento");
	assert_nada_mudou(x, &id, &antes);
}

/* ---- aprovacao / reprovacao ------------------------------------------------------------- */

static void test_aprovacao__retira_cada_peca_do_estoque_e_registra_a_decisao(void **state)
{
	struct fx *x = *state;
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 3), peca(&x->oleo, 4)};
	struct uuid id = abrir_com(x, s, 1, p, 2);
	struct field_errors fe;
	long soma;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	size_t eventos = x->f.eventos.n;
	size_t mov_filtro = mem_catalogo_movimentos(&x->f.catalogo, x->filtro.str, NULL);
	size_t mov_oleo = mem_catalogo_movimentos(&x->f.catalogo, x->oleo.str, NULL);
	fake_clock_advance(120);
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_APROVACAO, NULL, &fe, NULL), 0);

	const struct ordem *o = guardada(x, &id);
	assert_int_equal(o->status, ORDEM_EM_EXECUCAO);
	assert_int_equal(o->decisao, DECISAO_APROVADO);
	assert_string_equal(o->orcamento_decidido_em, "2026-11-23T12:02:00Z");
	fake_clock_set(FAKE_CLOCK_PADRAO);

	assert_int_equal(saldo(x, &x->filtro), SALDO_FILTRO - 3);
	assert_int_equal(saldo(x, &x->oleo), SALDO_OLEO - 4);
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
		assert_string_equal(campo(ev, "ordem_uuid"), id.str);
		assert_string_equal(ev->correlation_id, quem.correlation_id);
	}
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(campo(ev, "numero"), o->numero);
	assert_string_equal(campo(ev, "valor_total"), "396.20"); /* 150.50 + 3×25.90 + 4×42.00 */
	assert_string_equal(campo(ev, "por"), quem.sub);
	assert_null(mem_evento_campo(ev, "motivo"));
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO, &quem);
}

/* The part's name is cut to fit the message on a whole character, so the JSON stays valid. */
static void test_aprovacao__peca_de_nome_longo_acentuado__mensagem_em_utf8_valido(void **state)
{
	struct fx *x = *state;
	char nome[80];

	memset(nome, 'a', 59);
	snprintf(nome + 59, sizeof nome - 59, "ção"); /* the "ç" takes bytes 59 and 60 */
	struct uuid p = nova_peca(x, nome, 100, 0, true);
	struct ordem_item_campos it[] = {peca(&p, 1)};
	struct uuid id = abrir_com(x, NULL, 0, it, 1);
	struct field_errors fe;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_APROVACAO, NULL, &fe, NULL),
	    APP_ECONFLICT);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_true(utf8_valido(fe.items[0].mensagem));
}

static void test_aprovacao__uma_peca_em_falta__conflito_nomeia_e_nada_muda(void **state)
{
	struct fx *x = *state;
	struct uuid pouca = nova_peca(x, "Pastilha de freio", 3000, 2, true);
	struct uuid muita = nova_peca(x, "Vela", 1000, 50, true);
	/* Uuid order is filtro, oleo, pouca, muita: two parts leave before the short one. */
	struct ordem_item_campos p[] = {peca(&muita, 4), peca(&pouca, 5), peca(&x->filtro, 1),
	                                peca(&x->oleo, 2)};
	struct uuid id = abrir_com(x, NULL, 0, p, 4);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	mem_transaction_reset_counters(&x->f.tx);
	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(executar_acao_ordem(&x->f.app, &quem, &id, ACAO_APROVACAO, NULL, &fe, &cf),
	                 APP_ECONFLICT);
	assert_false(cf.estado); /* the stock, not the state */
	assert_int_equal(fe.count, 1);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_string_equal(fe.items[0].mensagem,
	                    "estoque insuficiente de \"Pastilha de freio\": necessário 5, "
	                    "disponível 2, faltam 3");
	assert_nada_mudou(x, &id, &antes); /* state, decision, every balance, no event kept */
	assert_int_equal(saldo(x, &x->filtro), SALDO_FILTRO);
	assert_int_equal(saldo(x, &x->oleo), SALDO_OLEO);
	assert_int_equal(saldo(x, &pouca), 2);
	assert_int_equal(saldo(x, &muita), 50);
	assert_int_equal(guardada(x, &id)->status, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(guardada(x, &id)->decisao, DECISAO_NENHUMA);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "orcamento.aprovado"), 0);
	assert_int_equal(x->f.tx.commits, 0);
	assert_int_equal(x->f.tx.rollbacks, 1);
	assert_int_equal(x->f.tx.undone, 1);
}

static void test_aprovacao__varias_pecas_em_falta__nomeia_a_primeira_e_conta_as_outras(void **state)
{
	struct fx *x = *state;
	struct uuid a = nova_peca(x, "Amortecedor", 30000, 0, true);
	struct uuid b = nova_peca(x, "Mola", 20000, 1, true);
	struct uuid c = nova_peca(x, "Bucha", 500, 0, true);
	struct ordem_item_campos p[] = {peca(&a, 2), peca(&b, 2), peca(&c, 1), peca(&x->filtro, 1)};
	struct uuid id = abrir_com(x, NULL, 0, p, 4);
	struct field_errors fe;
	struct foto antes;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_APROVACAO, NULL, &fe, NULL),
	    APP_ECONFLICT);
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
	struct ordem_item_campos s[] = {servico(&x->alinhamento)};
	struct uuid id = abrir_com(x, s, 1, NULL, 0);
	size_t movimentos;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	movimentos = x->f.catalogo.movimentos.n;
	assert_int_equal(acao(x, &id, ACAO_APROVACAO), 0);
	assert_int_equal(guardada(x, &id)->status, ORDEM_EM_EXECUCAO);
	assert_int_equal(x->f.catalogo.movimentos.n, movimentos);
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "estoque.movimentado"), 0);
}

static void test_reprovacao__decisao_reprovado_motivo_e_cancelada_sem_mexer_no_estoque(void **state)
{
	struct fx *x = *state;
	struct uuid id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	size_t movimentos = x->f.catalogo.movimentos.n;
	struct field_errors fe;

	field_errors_init(&fe);
	assert_int_equal(
	    executar_acao_ordem(&x->f.app, &quem, &id, ACAO_REPROVACAO, "caro demais", &fe, NULL),
	    0);
	const struct ordem *o = guardada(x, &id);
	assert_int_equal(o->status, ORDEM_CANCELADA);
	assert_int_equal(o->decisao, DECISAO_REPROVADO);
	assert_string_equal(o->orcamento_decidido_em, AGORA);
	assert_true(o->tem_orcamento); /* the refused budget stays on record */
	assert_int_equal(saldo(x, &x->filtro), SALDO_FILTRO);
	assert_int_equal(x->f.catalogo.movimentos.n, movimentos);

	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.reprovado");
	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id.str);
	assert_string_equal(campo(ev, "motivo"), "caro demais");
	assert_string_equal(campo(ev, "valor_total"), "176.40"); /* 150.50 + 25.90 */
	assert_string_equal(campo(ev, "por"), quem.sub);
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_CANCELADA, &quem);
	assert_string_equal(
	    campo(mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado"), "motivo"),
	    "caro demais");
	assert_int_equal(mem_event_outbox_count(&x->f.eventos, "orcamento.aprovado"), 0);

	/* Without a reason the field is null. */
	struct uuid outra = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	assert_int_equal(acao(x, &outra, ACAO_REPROVACAO), 0);
	assert_string_equal(
	    campo(mem_event_outbox_last(&x->f.eventos, "orcamento.reprovado"), "motivo"), "null");
}

/* Arms fault at each call in turn; every failed approval undoes all; the last one gets through. */
static void aprovar_com_falha_em(struct fx *x, struct fake_fault *fault)
{
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct ordem_item_campos p[] = {peca(&x->filtro, 2), peca(&x->oleo, 1)};
	struct uuid id = abrir_com(x, s, 1, p, 2);
	struct field_errors fe;
	struct foto antes;
	int k, rc;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	mem_transaction_reset_counters(&x->f.tx);
	for (k = 0;; k++) {
		fotografar(x, &id, &antes);
		fake_fault_arm(fault, k, APP_EUNAVAILABLE);
		field_errors_init(&fe);
		rc = executar_acao_ordem(&x->f.app, &quem, &id, ACAO_APROVACAO, NULL, &fe, NULL);
		if (rc == 0)
			break;
		assert_int_equal(rc, APP_EUNAVAILABLE);
		assert_nada_mudou(x, &id, &antes);
	}
	fake_fault_arm(fault, 0, 0);
	assert_true(k >= 2);
	assert_int_equal(x->f.tx.rollbacks, k);
	assert_int_equal(guardada(x, &id)->status, ORDEM_EM_EXECUCAO);
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
	id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	fotografar(x, &id, &antes);
	fake_fault_next(&x->f.tx.commit_fault);
	assert_int_equal(acao(x, &id, ACAO_APROVACAO), APP_EUNAVAILABLE);
	assert_nada_mudou(x, &id, &antes);
	fake_fault_next(&x->f.tx.begin_fault);
	assert_int_equal(acao(x, &id, ACAO_APROVACAO), APP_EUNAVAILABLE);
	assert_nada_mudou(x, &id, &antes);
	/* orcamento with a failing store. */
	id = ordem_em(x, ORDEM_EM_DIAGNOSTICO);
	for (int k = 0; k < 2; k++) { /* find_for_update, the first listar_itens */
		fotografar(x, &id, &antes);
		fake_fault_arm(&x->f.ordens.fault, k, APP_EUNAVAILABLE);
		assert_int_equal(acao(x, &id, ACAO_ORCAMENTO), APP_EUNAVAILABLE);
		assert_nada_mudou(x, &id, &antes);
	}
}

/* ---- a customer as the caller ----------------------------------------------------------- */

static void test_cliente__so_aprova_ou_reprova_as_proprias_ordens(void **state)
{
	struct fx *x = *state;
	struct uuid minha = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct ordem_item_campos s[] = {servico(&x->troca)};
	struct ordem_campos in = {.cliente_uuid = x->outro.str,
	                          .veiculo_uuid = x->veiculo_outro.str,
	                          .servicos = s,
	                          .n_servicos = 1};
	struct ordem_item_campos item = servico(&x->alinhamento);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid alheia, linha;
	struct foto antes;
	int begins;

	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &alheia), 0);
	levar_a(x, &alheia, ORDEM_AGUARDANDO_APROVACAO);
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
	fotografar(x, &alheia, &antes);
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
	assert_int_equal(guardada(x, &minha)->status, ORDEM_EM_EXECUCAO);
	assert_historico(x, &minha, n, ORDEM_EM_EXECUCAO, &x->dono);
	assert_string_equal(
	    campo(mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado"), "por"),
	    x->cliente.str);
	assert_status_alterado(x, &minha, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO, &x->dono);
}

/* ---- decidir_orcamento_ordem (the webhook) ---------------------------------------------- */

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
	struct uuid id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	size_t n = mem_ordem_repo_n_historico(&x->f.ordens, id.str);
	struct ordem_conflito cf = {0};

	assert_int_equal(decidir(x, &id, DECISAO_APROVADO, &cf), 0);
	assert_int_equal(guardada(x, &id)->status, ORDEM_EM_EXECUCAO);
	assert_int_equal(guardada(x, &id)->decisao, DECISAO_APROVADO);
	assert_int_equal(saldo(x, &x->filtro), SALDO_FILTRO - 1);
	assert_historico(x, &id, n, ORDEM_EM_EXECUCAO, &webhook);
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "orcamento.aprovado");
	assert_string_equal(campo(ev, "por"), "webhook");
	assert_string_equal(ev->correlation_id, "corr-webhook-1");
	assert_status_alterado(x, &id, ORDEM_AGUARDANDO_APROVACAO, ORDEM_EM_EXECUCAO, &webhook);
}

static void test_decidir__reprovado__cancela_com_decisao(void **state)
{
	struct fx *x = *state;
	struct uuid id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);

	assert_int_equal(decidir(x, &id, DECISAO_REPROVADO, NULL), 0);
	assert_int_equal(guardada(x, &id)->status, ORDEM_CANCELADA);
	assert_int_equal(guardada(x, &id)->decisao, DECISAO_REPROVADO);
	assert_string_equal(
	    campo(mem_event_outbox_last(&x->f.eventos, "orcamento.reprovado"), "por"), "webhook");
	assert_int_equal(saldo(x, &x->filtro), SALDO_FILTRO);
}

static void test_decidir__mesma_decisao_de_novo__nada_faz_e_responde_sucesso(void **state)
{
	struct fx *x = *state;
	static const enum orcamento_decisao decisoes[] = {DECISAO_APROVADO, DECISAO_REPROVADO};

	for (size_t i = 0; i < 2; i++) {
		struct uuid id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
		struct ordem_conflito cf = {0};
		struct foto antes;

		assert_int_equal(decidir(x, &id, decisoes[i], &cf), 0);
		mem_transaction_reset_counters(&x->f.tx);
		fotografar(x, &id, &antes);
		assert_int_equal(decidir(x, &id, decisoes[i], &cf), 0);
		assert_false(cf.estado);
		assert_nada_mudou(x, &id, &antes); /* no second withdrawal, event or history row */
		assert_int_equal(x->f.tx.commits, 0);
		/* Still a no-op once the order has moved on. */
		if (decisoes[i] == DECISAO_APROVADO) {
			assert_int_equal(acao(x, &id, ACAO_FINALIZACAO), 0);
			fotografar(x, &id, &antes);
			assert_int_equal(decidir(x, &id, decisoes[i], &cf), 0);
			assert_nada_mudou(x, &id, &antes);
		}
	}
}

static void test_decidir__decisao_oposta_depois_de_aplicada__conflito(void **state)
{
	struct fx *x = *state;
	struct uuid aprovada = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct uuid reprovada = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	struct ordem_conflito cf = {0};
	struct foto antes;

	assert_int_equal(decidir(x, &aprovada, DECISAO_APROVADO, NULL), 0);
	assert_int_equal(decidir(x, &reprovada, DECISAO_REPROVADO, NULL), 0);

	fotografar(x, &aprovada, &antes);
	assert_int_equal(decidir(x, &aprovada, DECISAO_REPROVADO, &cf), APP_ECONFLICT);
	assert_true(cf.estado);
	assert_int_equal(cf.status_atual, ORDEM_EM_EXECUCAO);
	assert_nada_mudou(x, &aprovada, &antes);

	cf = (struct ordem_conflito){0};
	fotografar(x, &reprovada, &antes);
	assert_int_equal(decidir(x, &reprovada, DECISAO_APROVADO, &cf), APP_ECONFLICT);
	assert_true(cf.estado);
	assert_int_equal(cf.status_atual, ORDEM_CANCELADA);
	assert_nada_mudou(x, &reprovada, &antes);
	assert_int_equal(saldo(x, &x->filtro), SALDO_FILTRO - 1); /* only the first approval */
}

static void test_decidir__estado_que_nao_aguarda_decisao__conflito(void **state)
{
	struct fx *x = *state;
	static const enum ordem_status estados[] = {ORDEM_RECEBIDA, ORDEM_EM_DIAGNOSTICO,
	                                            ORDEM_CANCELADA};

	for (size_t i = 0; i < sizeof estados / sizeof estados[0]; i++) {
		struct uuid id = ordem_em(x, estados[i]);
		for (int d = DECISAO_APROVADO; d <= DECISAO_REPROVADO; d++) {
			struct ordem_conflito cf = {0};
			struct foto antes;
			fotografar(x, &id, &antes);
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
	struct uuid id = ordem_em(x, ORDEM_AGUARDANDO_APROVACAO);
	int begins = x->f.tx.begins;

	assert_int_equal(decidir(x, &id, DECISAO_NENHUMA, NULL), APP_EINVALID);
	assert_int_equal(decidir(x, &id, (enum orcamento_decisao)7, NULL), APP_EINVALID);
	assert_int_equal(x->f.tx.begins, begins);
	assert_int_equal(guardada(x, &id)->status, ORDEM_AGUARDANDO_APROVACAO);
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
	struct ordem_item_campos p[] = {peca(&x->filtro, 1), peca(&x->oleo, SALDO_OLEO + 1)};
	struct uuid id = abrir_com(x, NULL, 0, p, 2);
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct foto antes;

	levar_a(x, &id, ORDEM_AGUARDANDO_APROVACAO);
	fotografar(x, &id, &antes);
	field_errors_init(&fe);
	assert_int_equal(
	    decidir_orcamento_ordem(&x->f.app, &webhook, &id, DECISAO_APROVADO, &fe, &cf),
	    APP_ECONFLICT);
	assert_false(cf.estado);
	assert_string_equal(fe.items[0].campo, "pecas");
	assert_non_null(strstr(fe.items[0].mensagem, "Óleo 5W30"));
	assert_nada_mudou(x, &id, &antes);
	assert_int_equal(guardada(x, &id)->decisao, DECISAO_NENHUMA);
	/* Once stock arrives the same decision goes through. */
	struct movimento m = {.peca_uuid = x->oleo, .quantidade = 1, .motivo = "compra"};
	int minimo;
	assert_int_equal(estoque_repo_apply_movimento(&x->f.app.estoque, &m, NULL, &minimo), 0);
	assert_int_equal(decidir(x, &id, DECISAO_APROVADO, &cf), 0);
	assert_int_equal(saldo(x, &x->oleo), 0);
}

/* ---- the read model ---------------------------------------------------------------------- */

static void test_consultas__detalhe_status_historico_e_fila(void **state)
{
	struct fx *x = *state;
	struct uuid recebida = ordem_em(x, ORDEM_RECEBIDA);
	struct uuid execucao = ordem_em(x, ORDEM_EM_EXECUCAO);
	struct uuid entregue = ordem_em(x, ORDEM_ENTREGUE);
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
	assert_int_equal(abrir_ordem(&x->f.app, &quem, &in, &fe, &alheia), 0);

	assert_int_equal(obter_ordem(&x->f.app, NULL, &execucao, &d), 0);
	assert_int_equal(d.ordem.status, ORDEM_EM_EXECUCAO);
	assert_string_equal(d.cliente_nome, "Maria da Silva");
	assert_string_equal(d.placa, "ABC1D23");
	assert_int_equal(d.servicos.n, 1);
	assert_int_equal(d.pecas.n, 1);
	assert_string_equal(d.pecas.itens[0].nome, "Filtro de óleo");
	assert_int_equal(d.n_historico, 4);
	assert_int_equal(d.historico[3].status, ORDEM_EM_EXECUCAO);
	assert_string_equal(d.historico[3].por, quem.sub);
	ordem_detalhe_cleanup(&d);

	/* A customer sees their own orders only. */
	assert_int_equal(obter_ordem(&x->f.app, &x->dono, &alheia, &d), APP_ENOTFOUND);
	assert_int_equal(obter_status_ordem(&x->f.app, &x->dono, &alheia, &st), APP_ENOTFOUND);
	assert_int_equal(obter_historico_ordem(&x->f.app, &x->dono, &alheia, &h), APP_ENOTFOUND);
	assert_int_equal(obter_status_ordem(&x->f.app, &x->dono, &recebida, &st), 0);
	assert_int_equal(st.status, ORDEM_RECEBIDA);
	assert_string_equal(st.numero, guardada(x, &recebida)->numero);
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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

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
	    T(test_adicionar_item__servico_sem_quantidade__uma_unidade_e_uuid_da_linha),
	    T(test_adicionar_item__mesma_peca_de_novo__soma_na_linha_e_mesmo_preco),
	    T(test_adicionar_item__linha_passaria_do_limite__invalido_e_linha_intacta),
	    T(test_adicionar_item__catalogo_desconhecido_ou_inativo__invalido_no_campo),
	    T(test_adicionar_item__entrada_mal_formada__invalido_sem_transacao),
	    T(test_itens__fora_de_recebida_ou_diagnostico__conflito_e_nada_muda),
	    T(test_itens__ordem_inexistente__nao_encontrada),
	    T(test_remover_item__recebida_e_diagnostico__remove_so_a_linha),
	    T(test_remover_item__linha_inexistente_de_outro_tipo_ou_ordem__nao_encontrada),
	    T(test_acoes__de_cada_estado_permitido__estado_historico_e_evento),
	    T(test_acoes__de_cada_estado_proibido__conflito_e_nada_muda),
	    T(test_patch_status__acao_de_ordem_acao_para__leva_ao_estado_pedido),
	    T(test_acao__fora_do_enum__invalido_sem_transacao),
	    T(test_acao__motivo_longo__invalido_sem_transacao),
	    T(test_acao__ordem_inexistente__nao_encontrada),
	    T(test_cancelamento__com_motivo__motivo_no_evento_sem_decisao),
	    T(test_finalizacao_e_entrega__seguem_a_execucao),
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
	    T(test_decidir__aprovado__aplica_a_aprovacao_em_nome_do_webhook),
	    T(test_decidir__reprovado__cancela_com_decisao),
	    T(test_decidir__mesma_decisao_de_novo__nada_faz_e_responde_sucesso),
	    T(test_decidir__decisao_oposta_depois_de_aplicada__conflito),
	    T(test_decidir__estado_que_nao_aguarda_decisao__conflito),
	    T(test_decidir__decisao_nenhuma__invalido_sem_transacao),
	    T(test_decidir__ordem_inexistente__nao_encontrada),
	    T(test_decidir__peca_em_falta__conflito_e_nada_muda),
	    T(test_consultas__detalhe_status_historico_e_fila),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
