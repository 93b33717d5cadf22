/* The service-order state machine as a table (domain layer, no I/O). */
#include "domain/ordem_status.h"

#include "domain/texto.h"

static const char *const status_nomes[ORDEM_STATUS_COUNT] = {
    "RECEBIDA", "EM_DIAGNOSTICO", "AGUARDANDO_APROVACAO", "EM_EXECUCAO", "FINALIZADA",
    "ENTREGUE", "CANCELADA",
};

static const char *const acao_nomes[ACAO_COUNT] = {
    "diagnostico", "orcamento", "aprovacao", "reprovacao", "finalizacao", "entrega", "cancelamento",
};

/* For each action: the states it may start from (bit per state) and where it leads. */
#define BIT(s) (1u << (s))
static const struct {
	unsigned de;
	enum ordem_status para;
} regras[ACAO_COUNT] = {
    [ACAO_DIAGNOSTICO] = {BIT(ORDEM_RECEBIDA), ORDEM_EM_DIAGNOSTICO},
    [ACAO_ORCAMENTO] = {BIT(ORDEM_EM_DIAGNOSTICO), ORDEM_AGUARDANDO_APROVACAO},
    [ACAO_APROVACAO] = {BIT(ORDEM_AGUARDANDO_APROVACAO), ORDEM_EM_EXECUCAO},
    [ACAO_REPROVACAO] = {BIT(ORDEM_AGUARDANDO_APROVACAO), ORDEM_CANCELADA},
    [ACAO_FINALIZACAO] = {BIT(ORDEM_EM_EXECUCAO), ORDEM_FINALIZADA},
    [ACAO_ENTREGA] = {BIT(ORDEM_FINALIZADA), ORDEM_ENTREGUE},
    [ACAO_CANCELAMENTO] = {BIT(ORDEM_RECEBIDA) | BIT(ORDEM_EM_DIAGNOSTICO) |
                               BIT(ORDEM_AGUARDANDO_APROVACAO),
                           ORDEM_CANCELADA},
};

const char *ordem_status_nome(enum ordem_status s)
{
	return texto_nome(status_nomes, ORDEM_STATUS_COUNT, (int)s);
}

enum ordem_status ordem_status_parse(const char *s)
{
	int i = texto_nome_indice(status_nomes, ORDEM_STATUS_COUNT, s);
	return i < 0 ? ORDEM_STATUS_INVALIDO : (enum ordem_status)i;
}

const char *ordem_acao_nome(enum ordem_acao a)
{
	return texto_nome(acao_nomes, ACAO_COUNT, (int)a);
}

enum ordem_status ordem_transicao(enum ordem_status de, enum ordem_acao a)
{
	if (de < 0 || de >= ORDEM_STATUS_COUNT || a < 0 || a >= ACAO_COUNT)
		return ORDEM_STATUS_INVALIDO;
	return regras[a].de & BIT(de) ? regras[a].para : ORDEM_STATUS_INVALIDO;
}

enum ordem_acao ordem_acao_para(enum ordem_status de, enum ordem_status para)
{
	/* Cancelamento before reprovação: a status PATCH is staff's cancelling, not a refusal. */
	static const enum ordem_acao ordem[] = {ACAO_DIAGNOSTICO, ACAO_ORCAMENTO, ACAO_APROVACAO,
	                                        ACAO_FINALIZACAO, ACAO_ENTREGA,   ACAO_CANCELAMENTO,
	                                        ACAO_REPROVACAO};
	for (size_t i = 0; i < sizeof ordem / sizeof ordem[0]; i++)
		if (ordem_transicao(de, ordem[i]) == para && para != ORDEM_STATUS_INVALIDO)
			return ordem[i];
	return ACAO_INVALIDA;
}

size_t ordem_transicoes_permitidas(enum ordem_status de, enum ordem_status out[ORDEM_STATUS_COUNT])
{
	size_t n = 0;
	for (int para = 0; para < ORDEM_STATUS_COUNT; para++)
		if (ordem_acao_para(de, (enum ordem_status)para) != ACAO_INVALIDA)
			out[n++] = (enum ordem_status)para;
	return n;
}

bool ordem_itens_editaveis(enum ordem_status s)
{
	return s == ORDEM_RECEBIDA || s == ORDEM_EM_DIAGNOSTICO;
}

bool ordem_aberta(enum ordem_status s)
{
	return s >= ORDEM_RECEBIDA && s <= ORDEM_EM_EXECUCAO;
}
