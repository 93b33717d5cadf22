/* What the notifier tells a customer (cmd layer; notificar_textos.h). */
#include "cmd/oficina/notificar_textos.h"

#include <stdio.h>
#include <string.h>

#include "domain/dinheiro.h"
#include "domain/heap.h"
#include "domain/strbuf.h"

enum notificacao notificacao_do_evento(const char *tipo, json_t *dados)
{
	if (strcmp(tipo, "orcamento.gerado") == 0)
		return NOTIFICACAO_ORCAMENTO;
	if (strcmp(tipo, "orcamento.aprovado") == 0)
		return NOTIFICACAO_APROVADO;
	if (strcmp(tipo, "orcamento.reprovado") == 0)
		return NOTIFICACAO_REPROVADO;
	if (strcmp(tipo, "ordem.status_alterado") == 0) {
		const char *para = json_string_value(json_object_get(dados, "para"));
		if (para && strcmp(para, "FINALIZADA") == 0)
			return NOTIFICACAO_PRONTO;
	}
	return NOTIFICACAO_NENHUMA;
}

static void itens(struct strbuf *t, json_t *lista)
{
	size_t i;
	json_t *it;
	char valor[DINHEIRO_REAIS_MAX];

	json_array_foreach(lista, i, it)
	{
		json_int_t qtd = json_integer_value(json_object_get(it, "quantidade"));
		dinheiro_reais(json_integer_value(json_object_get(it, "valor_centavos")) * qtd,
		               valor);
		strbuf_printf(t, "  - %lld x %s: R$ %s\n", (long long)qtd,
		              json_string_value(json_object_get(it, "nome")) ?: "", valor);
	}
}

int notificacao_compor(enum notificacao n, const struct notificacao_conteudo *c, char **assunto,
                       char **texto)
{
	struct strbuf a = {0}, t = {0};
	char total[DINHEIRO_REAIS_MAX];

	dinheiro_reais(c->total_centavos, total);
	strbuf_printf(&t, "Olá, %s.\n\n", c->nome);
	switch (n) {
	case NOTIFICACAO_ORCAMENTO:
		strbuf_printf(&a, "Orçamento da ordem %s aguarda sua aprovação", c->numero);
		strbuf_printf(&t, "O orçamento da ordem de serviço %s (%s) está pronto:\n\n",
		              c->numero, c->veiculo);
		itens(&t, c->itens);
		strbuf_printf(&t,
		              "\nTotal: R$ %s\n\nPara aprovar ou recusar, abra:\n%s\n\n"
		              "O link vale por %d horas e serve apenas para este orçamento.\n",
		              total, c->link, c->link_horas);
		break;
	case NOTIFICACAO_APROVADO:
		strbuf_printf(&a, "Orçamento da ordem %s aprovado", c->numero);
		strbuf_printf(
		    &t,
		    "Recebemos a aprovação do orçamento da ordem %s (%s), no total de R$ %s.\n"
		    "O serviço já vai começar; avisaremos quando o veículo estiver pronto.\n",
		    c->numero, c->veiculo, total);
		break;
	case NOTIFICACAO_REPROVADO:
		strbuf_printf(&a, "Orçamento da ordem %s recusado", c->numero);
		strbuf_printf(&t,
		              "Registramos a recusa do orçamento da ordem %s (%s).\n"
		              "O veículo fica à sua disposição para retirada.\n",
		              c->numero, c->veiculo);
		break;
	case NOTIFICACAO_PRONTO:
		strbuf_printf(&a, "Seu veículo está pronto (ordem %s)", c->numero);
		strbuf_printf(
		    &t,
		    "O serviço da ordem %s (%s) foi concluído e o veículo está pronto para "
		    "retirada.\n",
		    c->numero, c->veiculo);
		break;
	default:
		strbuf_cleanup(&a);
		strbuf_cleanup(&t);
		return -1;
	}
	strbuf_printf(&t, "\nOficina\n");
	*assunto = strbuf_take(&a);
	*texto = strbuf_take(&t);
	if (!*assunto || !*texto) {
		heap_free(*assunto);
		heap_free(*texto);
		*assunto = *texto = NULL;
		return -1;
	}
	return 0;
}
