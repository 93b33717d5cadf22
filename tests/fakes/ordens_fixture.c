/*
 * The fixture of the service-order unit tests (tests/fakes, linked into every unit test binary;
 * used by tests/unit/application/test_ordens_*.c): the rows every test starts from and the helpers
 * that open orders, move them and check what a command left behind.
 */
#include "tests/fakes/ordens_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/errors.h"

const struct app_caller fx_quem = {
    .correlation_id = "corr-ordens-1",
    .sub = "00000003-0000-4000-8000-000000000001",
    .perfil = PERFIL_ATENDENTE,
};

/* ---- fixture ---------------------------------------------------------------------------- */

struct uuid fx_novo_cliente(struct fx *x, const char *nome, const char *doc, bool ativo)
{
	struct cliente c;

	memset(&c, 0, sizeof c);
	snprintf(c.nome, sizeof c.nome, "%s", nome);
	snprintf(c.documento, sizeof c.documento, "%s", doc);
	c.ativo = ativo;
	assert_int_equal(cliente_repo_insert(&x->f.app.clientes, &c), 0);
	return c.uuid;
}

struct uuid fx_novo_veiculo(struct fx *x, const struct uuid *dono, const char *placa, bool ativo)
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

struct uuid fx_novo_servico(struct fx *x, const char *nome, int64_t centavos, bool ativo)
{
	struct servico s;

	memset(&s, 0, sizeof s);
	snprintf(s.nome, sizeof s.nome, "%s", nome);
	s.valor_centavos = centavos;
	s.ativo = ativo;
	assert_int_equal(servico_repo_insert(&x->f.app.servicos, &s), 0);
	return s.uuid;
}

struct uuid fx_nova_peca(struct fx *x, const char *nome, int64_t centavos, int inicial, bool ativo)
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

int ordens_fixture_setup(void **state)
{
	struct fx *x = malloc(sizeof *x);

	if (!x)
		return -1;
	fake_app_init(&x->f);

	/* Rows the tests start from, written straight through the ports (no events). */
	x->cliente = fx_novo_cliente(x, "Maria da Silva", "52998224725", true);
	x->veiculo = fx_novo_veiculo(x, &x->cliente, "ABC1D23", true);
	x->outro = fx_novo_cliente(x, "João Souza", "11144477735", true);
	x->veiculo_outro = fx_novo_veiculo(x, &x->outro, "XYZ9876", true);
	x->troca = fx_novo_servico(x, "Troca de óleo", PRECO_TROCA, true);
	x->alinhamento = fx_novo_servico(x, "Alinhamento", PRECO_ALINHA, true);
	x->filtro = fx_nova_peca(x, "Filtro de óleo", PRECO_FILTRO, SALDO_FILTRO, true);
	x->oleo = fx_nova_peca(x, "Óleo 5W30", PRECO_OLEO, SALDO_OLEO, true);
	x->dono = (struct app_caller){
	    .correlation_id = "corr-dono-1", .sub = x->cliente.str, .perfil = PERFIL_CLIENTE};
	mem_transaction_reset_counters(&x->f.tx);
	*state = x;
	return 0;
}

int ordens_fixture_teardown(void **state)
{
	struct fx *x = *state;

	fake_app_cleanup(&x->f);
	free(x);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

struct ordem_item_campos fx_servico(const struct uuid *u)
{
	return (struct ordem_item_campos){.ref_uuid = u->str};
}

struct ordem_item_campos fx_peca(const struct uuid *u, long q)
{
	return (struct ordem_item_campos){
	    .ref_uuid = u->str, .quantidade_given = true, .quantidade = q};
}

struct ordem_campos fx_campos(const struct fx *x)
{
	return (struct ordem_campos){.cliente_uuid = x->cliente.str,
	                             .veiculo_uuid = x->veiculo.str};
}

/* Opens an order with the given items; it must work. */
struct uuid fx_abrir_com(struct fx *x, const struct ordem_item_campos *s, size_t ns,
                         const struct ordem_item_campos *p, size_t np)
{
	struct ordem_campos in = fx_campos(x);
	struct field_errors fe;
	struct uuid id = {""};

	in.servicos = s;
	in.n_servicos = ns;
	in.pecas = p;
	in.n_pecas = np;
	field_errors_init(&fe);
	assert_int_equal(abrir_ordem(&x->f.app, &fx_quem, &in, &fe, &id), 0);
	assert_int_equal(fe.count, 0);
	return id;
}

int fx_executar(struct fx *x, const struct uuid *id, enum ordem_acao a, const char *motivo,
                struct field_errors *fe, struct ordem_conflito *cf)
{
	field_errors_init(fe);
	return executar_acao_ordem(&x->f.app, &fx_quem, id, a, motivo, fe, cf);
}

int fx_acao(struct fx *x, const struct uuid *id, enum ordem_acao a)
{
	struct field_errors fe;
	struct ordem_conflito cf = {0};

	return fx_executar(x, id, a, NULL, &fe, &cf);
}

int fx_adicionar(struct fx *x, const struct uuid *id, enum ordem_item_tipo tipo,
                 const struct ordem_item_campos *in, struct field_errors *fe,
                 struct ordem_conflito *cf, struct uuid *item_out)
{
	field_errors_init(fe);
	return adicionar_item_ordem(&x->f.app, &fx_quem, id, tipo, in, fe, cf, item_out);
}

/* Moves order id from RECEBIDA to alvo through the actions of the state machine. */
void fx_levar_a(struct fx *x, const struct uuid *id, enum ordem_status alvo)
{
	static const enum ordem_acao caminho[] = {ACAO_DIAGNOSTICO, ACAO_ORCAMENTO, ACAO_APROVACAO,
	                                          ACAO_FINALIZACAO, ACAO_ENTREGA};
	if (alvo == ORDEM_CANCELADA) {
		assert_int_equal(fx_acao(x, id, ACAO_CANCELAMENTO), 0);
		return;
	}
	for (size_t i = 0; i < (size_t)alvo; i++)
		assert_int_equal(fx_acao(x, id, caminho[i]), 0);
	assert_int_equal(mem_ordem_repo_get(&x->f.ordens, id->str)->status, alvo);
}

/* An order with one service and one filter, in state alvo. */
struct uuid fx_ordem_em(struct fx *x, enum ordem_status alvo)
{
	struct ordem_item_campos s[] = {fx_servico(&x->troca)};
	struct ordem_item_campos p[] = {fx_peca(&x->filtro, 1)};
	struct uuid id = fx_abrir_com(x, s, 1, p, 1);

	fx_levar_a(x, &id, alvo);
	return id;
}

const struct ordem *fx_guardada(const struct fx *x, const struct uuid *id)
{
	const struct ordem *o = mem_ordem_repo_get(&x->f.ordens, id->str);

	assert_non_null(o);
	return o;
}

int fx_saldo(const struct fx *x, const struct uuid *p)
{
	const struct peca *r = mem_catalogo_peca(&x->f.catalogo, p->str);

	assert_non_null(r);
	return r->quantidade_estoque;
}

const char *fx_campo(const struct mem_evento *ev, const char *chave)
{
	const struct mem_evento_campo *c = mem_evento_campo(ev, chave);

	assert_non_null(c);
	return c->valor ? c->valor : "null";
}

void fx_fotografar(const struct fx *x, const struct uuid *id, struct foto *f)
{
	memset(f, 0, sizeof *f);
	if (id)
		memcpy(&f->o, fx_guardada(x, id), sizeof f->o);
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

void assert_nada_mudou(const struct fx *x, const struct uuid *id, const struct foto *antes)
{
	struct foto agora;

	fx_fotografar(x, id, &agora);
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

void assert_historico(const struct fx *x, const struct uuid *id, size_t i, enum ordem_status status,
                      const struct app_caller *who)
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
void assert_status_alterado(const struct fx *x, const struct uuid *id, enum ordem_status de,
                            enum ordem_status para, const struct app_caller *who)
{
	const struct mem_evento *ev = mem_event_outbox_last(&x->f.eventos, "ordem.status_alterado");

	assert_non_null(ev);
	assert_string_equal(ev->agregado_uuid, id->str);
	assert_string_equal(ev->correlation_id, who->correlation_id);
	assert_string_equal(fx_campo(ev, "uuid"), id->str);
	assert_string_equal(fx_campo(ev, "numero"), fx_guardada(x, id)->numero);
	assert_string_equal(fx_campo(ev, "de"), ordem_status_nome(de));
	assert_string_equal(fx_campo(ev, "para"), ordem_status_nome(para));
}
