/* What the notifier tells a customer (cmd layer; notificar_textos.h). */
#include "cmd/oficina/notificar_textos.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/dinheiro.h"
#include "domain/heap.h"

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

struct texto {
	char *s;
	size_t len, cap;
	int ok;
};

static void escrever(struct texto *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void escrever(struct texto *t, const char *fmt, ...)
{
	va_list ap;
	for (int tentativa = 0; t->ok && tentativa < 2; tentativa++) {
		va_start(ap, fmt);
		int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->ok = 0;
			return;
		}
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap : 512;
		while (cap <= t->len + (size_t)n)
			cap *= 2;
		char *novo = heap_realloc(t->s, cap);
		if (!novo) {
			t->ok = 0;
			return;
		}
		t->s = novo;
		t->cap = cap;
	}
}

static void itens(struct texto *t, json_t *lista)
{
	size_t i;
	json_t *it;
	char valor[DINHEIRO_REAIS_MAX];

	json_array_foreach(lista, i, it)
	{
		json_int_t qtd = json_integer_value(json_object_get(it, "quantidade"));
		dinheiro_reais(json_integer_value(json_object_get(it, "valor_centavos")) * qtd,
		               valor);
		escrever(t, "  - %lld x %s: R$ %s\n", (long long)qtd,
		         json_string_value(json_object_get(it, "nome")) ?: "", valor);
	}
}

int notificacao_compor(enum notificacao n, const struct notificacao_conteudo *c, char **assunto,
                       char **texto)
{
	struct texto a = {.ok = 1}, t = {.ok = 1};
	char total[DINHEIRO_REAIS_MAX];

	dinheiro_reais(c->total_centavos, total);
	escrever(&t, "Olá, %s.\n\n", c->nome);
	switch (n) {
	case NOTIFICACAO_ORCAMENTO:
		escrever(&a, "Orçamento da ordem %s aguarda sua aprovação", c->numero);
		escrever(&t, "O orçamento da ordem de serviço %s (%s) está pronto:\n\n", c->numero,
		         c->veiculo);
		itens(&t, c->itens);
		escrever(&t,
		         "\nTotal: R$ %s\n\nPara aprovar ou recusar, abra:\n%s\n\n"
		         "O link vale por %d horas e serve apenas para este orçamento.\n",
		         total, c->link, c->link_horas);
		break;
	case NOTIFICACAO_APROVADO:
		escrever(&a, "Orçamento da ordem %s aprovado", c->numero);
		escrever(&t,
		         "Recebemos a aprovação do orçamento da ordem %s (%s), no total de R$ %s.\n"
		         "O serviço já vai começar; avisaremos quando o veículo estiver pronto.\n",
		         c->numero, c->veiculo, total);
		break;
	case NOTIFICACAO_REPROVADO:
		escrever(&a, "Orçamento da ordem %s recusado", c->numero);
		escrever(&t,
		         "Registramos a recusa do orçamento da ordem %s (%s).\n"
		         "O veículo fica à sua disposição para retirada.\n",
		         c->numero, c->veiculo);
		break;
	case NOTIFICACAO_PRONTO:
		escrever(&a, "Seu veículo está pronto (ordem %s)", c->numero);
		escrever(&t,
		         "O serviço da ordem %s (%s) foi concluído e o veículo está pronto para "
		         "retirada.\n",
		         c->numero, c->veiculo);
		break;
	default:
		a.ok = 0;
	}
	escrever(&t, "\nOficina\n");
	if (!a.ok || !t.ok) {
		heap_free(a.s);
		heap_free(t.s);
		return -1;
	}
	*assunto = a.s;
	*texto = t.s;
	return 0;
}
