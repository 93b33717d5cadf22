/*
 * The life of a service order (domain layer, no I/O, SPEC §5): its states, the actions that move
 * it, and which action is allowed from which state. Everything that changes an order's state asks
 * this module first.
 */
#ifndef OFICINA_DOMAIN_ORDEM_STATUS_H
#define OFICINA_DOMAIN_ORDEM_STATUS_H

#include <stdbool.h>
#include <stddef.h>

enum ordem_status {
	ORDEM_RECEBIDA,
	ORDEM_EM_DIAGNOSTICO,
	ORDEM_AGUARDANDO_APROVACAO,
	ORDEM_EM_EXECUCAO,
	ORDEM_FINALIZADA,
	ORDEM_ENTREGUE,
	ORDEM_CANCELADA,
	ORDEM_STATUS_COUNT,
	ORDEM_STATUS_INVALIDO = -1,
};

enum ordem_acao {
	ACAO_DIAGNOSTICO,  /* RECEBIDA → EM_DIAGNOSTICO */
	ACAO_ORCAMENTO,    /* EM_DIAGNOSTICO → AGUARDANDO_APROVACAO (needs an item) */
	ACAO_APROVACAO,    /* AGUARDANDO_APROVACAO → EM_EXECUCAO (takes parts out of stock) */
	ACAO_REPROVACAO,   /* AGUARDANDO_APROVACAO → CANCELADA */
	ACAO_FINALIZACAO,  /* EM_EXECUCAO → FINALIZADA */
	ACAO_ENTREGA,      /* FINALIZADA → ENTREGUE */
	ACAO_CANCELAMENTO, /* RECEBIDA, EM_DIAGNOSTICO, AGUARDANDO_APROVACAO → CANCELADA */
	ACAO_COUNT,
	ACAO_INVALIDA = -1,
};

/* "RECEBIDA", ...; "" for an invalid value. */
const char *ordem_status_nome(enum ordem_status s);

/* The state named s (exact, upper case), or ORDEM_STATUS_INVALIDO. */
enum ordem_status ordem_status_parse(const char *s);

/* "diagnostico", "orcamento", ...: the action's name in the API path; "" when invalid. */
const char *ordem_acao_nome(enum ordem_acao a);

/*
 * The state action a leads to from state de, or ORDEM_STATUS_INVALIDO when a is not allowed
 * from de.
 */
enum ordem_status ordem_transicao(enum ordem_status de, enum ordem_acao a);

/*
 * The action that leads from de to para (PATCH .../status names only the target state), or
 * ACAO_INVALIDA when none does. CANCELADA is reached by cancelamento.
 */
enum ordem_acao ordem_acao_para(enum ordem_status de, enum ordem_status para);

/*
 * The states reachable from de, in a fixed order, into out (room for ORDEM_STATUS_COUNT).
 * Returns how many.
 */
size_t ordem_transicoes_permitidas(enum ordem_status de, enum ordem_status out[ORDEM_STATUS_COUNT]);

/* Whether items may be added or removed in state s (RECEBIDA, EM_DIAGNOSTICO). */
bool ordem_itens_editaveis(enum ordem_status s);

/* Whether s is open (in the queue): not FINALIZADA, ENTREGUE or CANCELADA. */
bool ordem_aberta(enum ordem_status s);

#endif
