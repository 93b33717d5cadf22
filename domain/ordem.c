/* Service-order items and budget (domain layer, no I/O). */
#include "domain/ordem.h"

#include <stdlib.h>
#include <string.h>

#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/texto.h"

static const char *const decisao_nomes[] = {
    [DECISAO_APROVADO] = "APROVADO",
    [DECISAO_REPROVADO] = "REPROVADO",
};
#define DECISOES (sizeof decisao_nomes / sizeof decisao_nomes[0])

const char *orcamento_decisao_nome(enum orcamento_decisao d)
{
	return texto_nome(decisao_nomes, DECISOES, (int)d);
}

enum orcamento_decisao orcamento_decisao_parse(const char *s)
{
	int i = texto_nome_indice(decisao_nomes, DECISOES, s);
	return i < 0 ? DECISAO_NENHUMA : (enum orcamento_decisao)i;
}

bool ordem_quantidade_valida(long q)
{
	return q >= 1 && q <= ORDEM_ITEM_QUANTIDADE_MAX;
}

bool ordem_descricao_valida(const char *s)
{
	return !s || texto_tamanho_valido(s, 0, ORDEM_DESCRICAO_MAX);
}

int ordem_item_total(const struct ordem_item *it, int64_t *out)
{
	*out = 0;
	if (!ordem_quantidade_valida(it->quantidade) || it->valor_unitario < 0 ||
	    it->valor_unitario > DINHEIRO_MAX_CENTAVOS)
		return APP_EINVALID;
	/* Both factors are bounded (1e4 × 1e11 < 2^63): the product cannot overflow. */
	int64_t total = (int64_t)it->quantidade * it->valor_unitario;
	if (total > DINHEIRO_MAX_CENTAVOS)
		return APP_EINVALID;
	*out = total;
	return 0;
}

/* Σ of the lines of l into *soma; APP_EINVALID past DINHEIRO_MAX_CENTAVOS. */
static int somar(const struct ordem_itens *l, int64_t *soma)
{
	int64_t linha;

	*soma = 0;
	for (size_t i = 0; l && i < l->n; i++) {
		if (ordem_item_total(&l->itens[i], &linha) != 0)
			return APP_EINVALID;
		/* Both terms are at most DINHEIRO_MAX_CENTAVOS: the sum cannot overflow. */
		if (*soma + linha > DINHEIRO_MAX_CENTAVOS)
			return APP_EINVALID;
		*soma += linha;
	}
	return 0;
}

int orcamento_calcular(const struct ordem_itens *servicos, const struct ordem_itens *pecas,
                       struct orcamento *out)
{
	struct orcamento o = {0};

	memset(out, 0, sizeof *out);
	if (somar(servicos, &o.valor_servicos) != 0 || somar(pecas, &o.valor_pecas) != 0 ||
	    o.valor_servicos + o.valor_pecas > DINHEIRO_MAX_CENTAVOS)
		return APP_EINVALID;
	o.valor_total = o.valor_servicos + o.valor_pecas;
	*out = o;
	return 0;
}

void ordem_itens_cleanup(struct ordem_itens *l)
{
	if (!l)
		return;
	heap_free(l->itens);
	l->itens = NULL;
	l->n = 0;
}
