/*
 * What the notifier tells a customer, in Portuguese (cmd layer): which events become an e-mail,
 * and the subject and text of each.
 */
#ifndef OFICINA_CMD_OFICINA_NOTIFICAR_TEXTOS_H
#define OFICINA_CMD_OFICINA_NOTIFICAR_TEXTOS_H

#include <jansson.h>
#include <stdint.h>

enum notificacao {
	NOTIFICACAO_NENHUMA = 0,
	NOTIFICACAO_ORCAMENTO, /* orcamento.gerado: the budget, with the approval link */
	NOTIFICACAO_APROVADO,  /* orcamento.aprovado: confirmation */
	NOTIFICACAO_REPROVADO, /* orcamento.reprovado: confirmation */
	NOTIFICACAO_PRONTO,    /* ordem.status_alterado to FINALIZADA: the car is ready */
};

/* The e-mail an event calls for (dados: the event's data), or NOTIFICACAO_NENHUMA. */
enum notificacao notificacao_do_evento(const char *tipo, json_t *dados);

struct notificacao_conteudo {
	const char *nome;    /* the customer's */
	const char *numero;  /* the order's, OS-YYYY-NNNNNN */
	const char *veiculo; /* "ABC1D23 — Fiat Uno 2015" */
	json_t *itens;       /* [{nome, quantidade, valor_centavos}] */
	int64_t total_centavos;
	const char *link; /* the approval page (NOTIFICACAO_ORCAMENTO only) */
	int link_horas;   /* how long the link is valid */
};

/* Subject and text (both heap_alloc'd; free with heap_free). 0, or -1 out of memory. */
int notificacao_compor(enum notificacao n, const struct notificacao_conteudo *c, char **assunto,
                       char **texto);

#endif
