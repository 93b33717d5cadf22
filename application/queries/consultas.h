/*
 * Queries (application layer): they read and never change state. Lists are one page (struct
 * lista, queries/lista.h) whose items the query allocates; release it with lista_cleanup.
 */
#ifndef OFICINA_APPLICATION_QUERIES_CONSULTAS_H
#define OFICINA_APPLICATION_QUERIES_CONSULTAS_H

#include "application/app.h"
#include "application/queries/lista.h"

/* One customer (a customer caller: only themself, app_caller_dono). 0, APP_ENOTFOUND,
 * APP_EUNAVAILABLE. */
int obter_cliente(const struct app *app, const struct app_caller *who, const struct uuid *id,
                  struct cliente *out);

/* A page of customers. 0, APP_ENOMEM, APP_EUNAVAILABLE; on error out is empty. */
int listar_clientes(const struct app *app, const struct cliente_filtro *f,
                    const struct pagina *page, struct lista *out);

/* One vehicle (a customer caller: only their own). 0, APP_ENOTFOUND, APP_EUNAVAILABLE. */
int obter_veiculo(const struct app *app, const struct app_caller *who, const struct uuid *id,
                  struct veiculo *out);

/* A page of vehicles (a customer caller: only their own). */
int listar_veiculos(const struct app *app, const struct app_caller *who,
                    const struct veiculo_filtro *f, const struct pagina *page, struct lista *out);

/* A page of one customer's vehicles; APP_ENOTFOUND when the customer does not exist. */
int listar_veiculos_do_cliente(const struct app *app, const struct app_caller *who,
                               const struct uuid *cliente_uuid, const struct pagina *page,
                               struct lista *out);

/* One staff user. */
int obter_usuario(const struct app *app, const struct uuid *id, struct usuario *out);

/* A page of staff users. */
int listar_usuarios(const struct app *app, const struct pagina *page, struct lista *out);

#endif
