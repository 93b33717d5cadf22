/* Queries over the service catalogue, the parts and the stock ledger (application layer). */
#include "application/queries/consultas_catalogo.h"

#include <stdlib.h>

#include "domain/errors.h"

int obter_servico(const struct app *app, const struct uuid *id, struct servico *out)
{
	return servico_repo_find_by_uuid(&app->servicos, id, false, out);
}

int listar_servicos(const struct app *app, const struct servico_filtro *f,
                    const struct pagina *page, struct lista *out)
{
	int rc;

	if ((rc = lista_alloc(out, page, sizeof(struct servico))) != 0)
		return rc;
	rc = servico_repo_list(&app->servicos, f, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}

int obter_peca(const struct app *app, const struct uuid *id, struct peca *out)
{
	return peca_repo_find_by_uuid(&app->pecas, id, false, out);
}

int listar_pecas(const struct app *app, const struct peca_filtro *f, const struct pagina *page,
                 struct lista *out)
{
	int rc;

	if ((rc = lista_alloc(out, page, sizeof(struct peca))) != 0)
		return rc;
	rc = peca_repo_list(&app->pecas, f, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}

int obter_movimento(const struct app *app, const struct uuid *peca_uuid, const struct uuid *id,
                    struct movimento *out)
{
	return estoque_repo_find_by_uuid(&app->estoque, peca_uuid, id, out);
}

int listar_movimentos(const struct app *app, const struct uuid *peca_uuid,
                      const struct pagina *page, struct lista *out)
{
	struct peca p;
	int rc;

	lista_init(out);
	if ((rc = obter_peca(app, peca_uuid, &p)) != 0)
		return rc;
	if ((rc = lista_alloc(out, page, sizeof(struct movimento))) != 0)
		return rc;
	rc = estoque_repo_list(&app->estoque, peca_uuid, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}
