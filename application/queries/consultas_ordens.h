/*
 * Queries over service orders (application layer, CQRS read side): they read the read model
 * (application/ports/ordem_consultas.h) and never change state. A customer caller sees only their
 * own orders (app_caller_dono; another's answers APP_ENOTFOUND); staff and who == NULL see all.
 */
#ifndef OFICINA_APPLICATION_QUERIES_CONSULTAS_ORDENS_H
#define OFICINA_APPLICATION_QUERIES_CONSULTAS_ORDENS_H

#include "application/app.h"
#include "application/queries/lista.h"

/* A page of orders (the open queue without a status filter). On error out is empty. */
int listar_ordens(const struct app *app, const struct app_caller *who, const struct ordem_filtro *f,
                  const struct pagina *page, struct lista *out);

/* The whole order; on 0 release out with ordem_detalhe_cleanup. APP_ENOTFOUND. */
int obter_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                struct ordem_detalhe *out);

/* The order's state. APP_ENOTFOUND. */
int obter_status_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                       struct ordem_status_atual *out);

/* The order's history; on 0 release out with ordem_historico_lista_cleanup. APP_ENOTFOUND. */
int obter_historico_ordem(const struct app *app, const struct app_caller *who,
                          const struct uuid *id, struct ordem_historico_lista *out);

#endif
