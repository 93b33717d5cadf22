/*
 * The fixture of the service-order unit tests (tests/unit/application/test_ordens_*.c; cmocka,
 * tests/fakes): a struct fake_app holding two customers with a vehicle each, two services and two
 * parts with stock, the staff caller who acts in them, and the helpers every file of them uses to
 * open orders, move them through the state machine, and check the stored rows, the history, the
 * outbox and that a refused or failed command left everything as it was. The helpers fail the
 * running cmocka test when a step that must work does not. Every unit test binary links the
 * object (as it links all of tests/fakes), so its names start with fx_ (the assertions with
 * assert_): none can clash with another test's own.
 */
#ifndef OFICINA_TESTS_FAKES_ORDENS_FIXTURE_H
#define OFICINA_TESTS_FAKES_ORDENS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "application/commands/comandos_ordens.h"
#include "tests/fakes/fake_app.h"

#define AGORA        "2026-11-23T12:00:00Z"
#define SALDO_FILTRO 1000 /* enough for every order a test opens */
#define SALDO_OLEO   40
#define PRECO_TROCA  15050 /* R$ 150.50 */
#define PRECO_ALINHA 9999  /* R$ 99.99 */
#define PRECO_FILTRO 2590  /* R$ 25.90 */
#define PRECO_OLEO   4200  /* R$ 42.00 */
#define SALDOS_MAX   16
#define UUID_NENHUMA "00000000-0000-4000-8000-000000000000"

/* The staff member (an atendente) behind every command of the helpers. */
extern const struct app_caller fx_quem;

struct fx {
	struct fake_app f;
	struct uuid cliente, veiculo;     /* an active customer and their vehicle */
	struct uuid outro, veiculo_outro; /* another customer and theirs */
	struct uuid troca, alinhamento;   /* active services */
	struct uuid filtro, oleo;         /* active parts with stock */
	struct app_caller dono;           /* x->cliente as a "cliente" caller */
};

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

/*
 * cmocka setup and teardown: a malloc'd struct fx in *state with the rows above written straight
 * through the ports (no events) and the transaction counters at zero; teardown frees it.
 */
int ordens_fixture_setup(void **state);
int ordens_fixture_teardown(void **state);

/* Rows written straight through the ports (no events, no transaction); their uuid. */
struct uuid fx_novo_cliente(struct fx *x, const char *nome, const char *doc, bool ativo);
struct uuid fx_novo_veiculo(struct fx *x, const struct uuid *dono, const char *placa, bool ativo);
struct uuid fx_novo_servico(struct fx *x, const char *nome, int64_t centavos, bool ativo);
/* A part with inicial units in stock (one movement when inicial > 0). */
struct uuid fx_nova_peca(struct fx *x, const char *nome, int64_t centavos, int inicial, bool ativo);

/* An item of an order's input: a service (no quantity) or a part with quantity q. */
struct ordem_item_campos fx_servico(const struct uuid *u);
struct ordem_item_campos fx_peca(const struct uuid *u, long q);

/* The input of an order for x->cliente and x->veiculo, without items. */
struct ordem_campos fx_campos(const struct fx *x);

/* Opens an order with the given items; it must work. */
struct uuid fx_abrir_com(struct fx *x, const struct ordem_item_campos *s, size_t ns,
                         const struct ordem_item_campos *p, size_t np);

/* executar_acao_ordem of a on order id as fx_quem, with fe initialised first; what it answers. */
int fx_executar(struct fx *x, const struct uuid *id, enum ordem_acao a, const char *motivo,
                struct field_errors *fe, struct ordem_conflito *cf);

/* executar without a reason, its errors and conflict discarded. */
int fx_acao(struct fx *x, const struct uuid *id, enum ordem_acao a);

/* adicionar_item_ordem on order id as fx_quem, with fe initialised first; what it answers. */
int fx_adicionar(struct fx *x, const struct uuid *id, enum ordem_item_tipo tipo,
                 const struct ordem_item_campos *in, struct field_errors *fe,
                 struct ordem_conflito *cf, struct uuid *item_out);

/* Moves order id from RECEBIDA to alvo through the actions of the state machine. */
void fx_levar_a(struct fx *x, const struct uuid *id, enum ordem_status alvo);

/* An order with one service and one filter, in state alvo. */
struct uuid fx_ordem_em(struct fx *x, enum ordem_status alvo);

/* The stored order id, which must exist; do not keep it across writes. */
const struct ordem *fx_guardada(const struct fx *x, const struct uuid *id);

/* The stock balance of part p, which must exist. */
int fx_saldo(const struct fx *x, const struct uuid *p);

/* Field chave of event ev, which must be there; "null" for a JSON null. */
const char *fx_campo(const struct mem_evento *ev, const char *chave);

/* Takes f of every store (and of order id's row unless id is NULL). */
void fx_fotografar(const struct fx *x, const struct uuid *id, struct foto *f);

/* Nothing changed since antes was taken, and no transaction is left open. */
void assert_nada_mudou(const struct fx *x, const struct uuid *id, const struct foto *antes);

/* The i-th history row of order id is status, entered at AGORA by who. */
void assert_historico(const struct fx *x, const struct uuid *id, size_t i, enum ordem_status status,
                      const struct app_caller *who);

/* The newest ordem.status_alterado is about id, from de to para, by who. */
void assert_status_alterado(const struct fx *x, const struct uuid *id, enum ordem_status de,
                            enum ordem_status para, const struct app_caller *who);

#endif
