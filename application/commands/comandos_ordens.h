/*
 * Commands that change service orders (application layer, SPEC §5): opening, items, and every
 * action of the state machine (domain/ordem_status.h). Each runs in one transaction that first
 * locks the order's row (FOR UPDATE), so that concurrent actions on one order run one after the
 * other; each state change appends a history row (who, role, correlation id) and emits
 * ordem.status_alterado in the same transaction, besides the action's own events.
 *
 * Every command returns 0 or a code of domain/errors.h. Field detail of APP_EINVALID and
 * APP_ECONFLICT goes to fe (caller-owned; may already hold type errors found while reading the
 * request). When an action is refused because of the order's state, *cf (may be NULL) says so
 * and gives the current state, for the 409 answer's status_atual and transicoes_permitidas.
 *
 * Ownership: when who->perfil is PERFIL_CLIENTE, who->sub is the customer's uuid and another
 * customer's order answers APP_ENOTFOUND (its existence is not revealed); a customer may only
 * approve or refuse (APP_EFORBIDDEN for anything else). Role checks of staff are the route table's.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_ORDENS_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_ORDENS_H

#include <stdbool.h>

#include "application/app.h"
#include "domain/field_errors.h"
#include "domain/ordem.h"

/* One item of a request: a catalogue uuid and, maybe, a quantity (as typed). */
struct ordem_item_campos {
	const char *ref_uuid;  /* servico_uuid or peca_uuid; NULL when not given */
	bool quantidade_given; /* quantidade was given (as a JSON integer) */
	long quantidade;       /* valid when quantidade_given */
};

/* What POST /api/ordens carries. */
struct ordem_campos {
	const char *cliente_uuid;
	const char *veiculo_uuid;
	const char *descricao;                    /* NULL: none */
	const struct ordem_item_campos *servicos; /* n_servicos entries */
	size_t n_servicos;
	const struct ordem_item_campos *pecas; /* n_pecas entries; quantidade required */
	size_t n_pecas;
};

/* Why an APP_ECONFLICT was answered. */
struct ordem_conflito {
	bool estado;                    /* the order's state does not allow it */
	enum ordem_status status_atual; /* the state at the time (when estado) */
};

/*
 * Opens an order in RECEBIDA with its optional items, appends the RECEBIDA history row and emits
 * ordem.criada; *out_id gets its uuid. APP_EINVALID when a field is bad, the customer or the
 * vehicle does not exist or is inactive, the vehicle is another customer's, or an item's
 * catalogue entry does not exist or is inactive (fe names the field, e.g. "pecas[1].peca_uuid").
 */
int abrir_ordem(const struct app *app, const struct app_caller *who, const struct ordem_campos *in,
                struct field_errors *fe, struct uuid *out_id);

/*
 * Adds an item (a service, quantidade 1 when not given; or a part, quantidade required) to order
 * id; the same catalogue entry again adds to its line. Only in RECEBIDA or EM_DIAGNOSTICO
 * (APP_ECONFLICT with cf->estado otherwise). APP_ENOTFOUND: no such order. APP_EINVALID: bad or
 * unknown/inactive catalogue entry, bad quantity. *item_out (may be NULL) gets the line's uuid.
 */
int adicionar_item_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                         enum ordem_item_tipo tipo, const struct ordem_item_campos *in,
                         struct field_errors *fe, struct ordem_conflito *cf, struct uuid *item_out);

/* Removes line item of order id; same state rule. APP_ENOTFOUND: no such order or line. */
int remover_item_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                       enum ordem_item_tipo tipo, const struct uuid *item,
                       struct ordem_conflito *cf);

/*
 * Runs action acao on order id (motivo may be NULL; it is recorded in the event of a refusal or a
 * cancellation). APP_ECONFLICT with cf->estado when the state does not allow it.
 *   orcamento: needs at least one item (APP_EINVALID, campo "itens"); computes and freezes the
 *     budget (APP_EINVALID, campo "orcamento", when it exceeds the money range); orcamento.gerado.
 *   aprovacao: takes every part out of stock; a part short → APP_ECONFLICT with fe entry "pecas"
 *     naming it, and nothing changes (neither state nor stock); orcamento.aprovado.
 *   reprovacao: decision REPROVADO; orcamento.reprovado.
 */
int executar_acao_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                        enum ordem_acao acao, const char *motivo, struct field_errors *fe,
                        struct ordem_conflito *cf);

/*
 * The decision of an external approval (the webhook): aprovacao or reprovacao of order id.
 * Repeating the decision already recorded is a no-op answering 0; the opposite decision after one
 * was recorded, or any decision in a state that does not await one, is APP_ECONFLICT with
 * cf->estado. APP_ENOTFOUND: no such order.
 */
int decidir_orcamento_ordem(const struct app *app, const struct app_caller *who,
                            const struct uuid *id, enum orcamento_decisao decisao,
                            struct field_errors *fe, struct ordem_conflito *cf);

#endif
