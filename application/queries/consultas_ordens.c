/* Queries over service orders (application layer). */
#include "application/queries/consultas_ordens.h"

#include <stdlib.h>

#include "domain/errors.h"

int listar_ordens(const struct app *app, const struct ordem_filtro *f, const struct pagina *page,
                  struct ordem_lista *out)
{
	const struct ordem_consultas *q = &app->ordens_leitura;
	int rc;

	out->n = 0;
	out->total = 0;
	if (!(out->itens = calloc((size_t)page->por_pagina, sizeof *out->itens)))
		return APP_ENOMEM;
	rc = q->ops->listar(q->self, f, page, out->itens, &out->n, &out->total);
	if (rc != 0)
		ordem_lista_cleanup(out);
	return rc;
}

void ordem_lista_cleanup(struct ordem_lista *l)
{
	free(l->itens);
	l->itens = NULL;
	l->n = 0;
	l->total = 0;
}

int obter_ordem(const struct app *app, const struct uuid *id, const struct uuid *dono,
                struct ordem_detalhe *out)
{
	return app->ordens_leitura.ops->detalhe(app->ordens_leitura.self, id, dono, out);
}

int obter_status_ordem(const struct app *app, const struct uuid *id, const struct uuid *dono,
                       struct ordem_status_atual *out)
{
	return app->ordens_leitura.ops->status(app->ordens_leitura.self, id, dono, out);
}

int obter_historico_ordem(const struct app *app, const struct uuid *id, const struct uuid *dono,
                          struct ordem_historico_lista *out)
{
	return app->ordens_leitura.ops->historico(app->ordens_leitura.self, id, dono, out);
}
