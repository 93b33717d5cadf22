/* Queries over the service catalogue, the parts and the stock ledger (application layer). */
#include "application/queries/consultas_catalogo.h"

#include <stdlib.h>

#include "domain/errors.h"

/* Allocates room for one page; the adapters write at most por_pagina rows. */
static void *alocar_pagina(const struct pagina *page, size_t item_size)
{
	return calloc((size_t)page->por_pagina, item_size);
}

int obter_servico(const struct app *app, const struct uuid *id, struct servico *out)
{
	return servico_repo_find_by_uuid(&app->servicos, id, false, out);
}

int listar_servicos(const struct app *app, const struct servico_filtro *f,
                    const struct pagina *page, struct servico_lista *out)
{
	int rc;

	out->n = 0;
	out->total = 0;
	if (!(out->itens = alocar_pagina(page, sizeof *out->itens)))
		return APP_ENOMEM;
	rc = servico_repo_list(&app->servicos, f, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		servico_lista_cleanup(out);
	return rc;
}

void servico_lista_cleanup(struct servico_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}

int obter_peca(const struct app *app, const struct uuid *id, struct peca *out)
{
	return peca_repo_find_by_uuid(&app->pecas, id, false, out);
}

int listar_pecas(const struct app *app, const struct peca_filtro *f, const struct pagina *page,
                 struct peca_lista *out)
{
	int rc;

	out->n = 0;
	out->total = 0;
	if (!(out->itens = alocar_pagina(page, sizeof *out->itens)))
		return APP_ENOMEM;
	rc = peca_repo_list(&app->pecas, f, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		peca_lista_cleanup(out);
	return rc;
}

void peca_lista_cleanup(struct peca_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}

int obter_movimento(const struct app *app, const struct uuid *peca_uuid, const struct uuid *id,
                    struct movimento *out)
{
	return estoque_repo_find_by_uuid(&app->estoque, peca_uuid, id, out);
}

int listar_movimentos(const struct app *app, const struct uuid *peca_uuid,
                      const struct pagina *page, struct movimento_lista *out)
{
	struct peca p;
	int rc;

	out->itens = NULL;
	out->n = 0;
	out->total = 0;
	if ((rc = obter_peca(app, peca_uuid, &p)) != 0)
		return rc;
	if (!(out->itens = alocar_pagina(page, sizeof *out->itens)))
		return APP_ENOMEM;
	rc = estoque_repo_listar(&app->estoque, peca_uuid, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		movimento_lista_cleanup(out);
	return rc;
}

void movimento_lista_cleanup(struct movimento_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}
