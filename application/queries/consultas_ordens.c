/* Queries over service orders (application layer). */
#include "application/queries/consultas_ordens.h"

#include <stdlib.h>

#include "domain/errors.h"

/* A customer whose token names no uuid owns nothing: no order is theirs. */
static bool sem_nada(const struct uuid *dono)
{
	return dono && !dono->str[0];
}

int listar_ordens(const struct app *app, const struct app_caller *who, const struct ordem_filtro *f,
                  const struct pagina *page, struct lista *out)
{
	const struct ordem_consultas *q = &app->ordens_leitura;
	struct ordem_filtro proprias = *f;
	struct uuid buf;
	int rc;

	proprias.dono = app_caller_dono(who, &buf);
	if ((rc = lista_alloc(out, page, sizeof(struct ordem_resumo))) != 0)
		return rc;
	if (sem_nada(proprias.dono))
		return 0; /* an empty page */
	rc = ordem_consultas_list(q, &proprias, page, out->itens, &out->n, &out->total);
	return lista_concluir(out, rc);
}

int obter_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                struct ordem_detalhe *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);
	if (sem_nada(dono))
		return APP_ENOTFOUND;
	return ordem_consultas_find_detalhe(&app->ordens_leitura, id, dono, out);
}

int obter_status_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                       struct ordem_status_atual *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);
	if (sem_nada(dono))
		return APP_ENOTFOUND;
	return ordem_consultas_find_status(&app->ordens_leitura, id, dono, out);
}

int obter_historico_ordem(const struct app *app, const struct app_caller *who,
                          const struct uuid *id, struct ordem_historico_lista *out)
{
	struct uuid buf;
	const struct uuid *dono = app_caller_dono(who, &buf);
	if (sem_nada(dono))
		return APP_ENOTFOUND;
	return ordem_consultas_list_historico(&app->ordens_leitura, id, dono, out);
}
