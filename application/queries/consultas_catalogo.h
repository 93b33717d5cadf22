/*
 * Queries over the service catalogue, the parts and the stock ledger (application layer): they
 * read and never change state. Lists are one page (struct lista, queries/lista.h) whose items the
 * query allocates; release it with lista_cleanup (safe on an emptied list).
 */
#ifndef OFICINA_APPLICATION_QUERIES_CONSULTAS_CATALOGO_H
#define OFICINA_APPLICATION_QUERIES_CONSULTAS_CATALOGO_H

#include "application/app.h"
#include "application/queries/lista.h"

/* One service (inactive ones too). 0, APP_ENOTFOUND, APP_EUNAVAILABLE. */
int obter_servico(const struct app *app, const struct uuid *id, struct servico *out);

/* A page of services. 0, APP_ENOMEM, APP_EUNAVAILABLE; on error out is empty. */
int listar_servicos(const struct app *app, const struct servico_filtro *f,
                    const struct pagina *page, struct lista *out);

/* One part with its current balance. 0, APP_ENOTFOUND, APP_EUNAVAILABLE. */
int obter_peca(const struct app *app, const struct uuid *id, struct peca *out);

/* A page of parts (f->abaixo_do_minimo: quantidade_estoque < estoque_minimo). */
int listar_pecas(const struct app *app, const struct peca_filtro *f, const struct pagina *page,
                 struct lista *out);

/* One movement of part peca_uuid. 0, APP_ENOTFOUND, APP_EUNAVAILABLE. */
int obter_movimento(const struct app *app, const struct uuid *peca_uuid, const struct uuid *id,
                    struct movimento *out);

/* A page of a part's movements, newest first; APP_ENOTFOUND when the part does not exist. */
int listar_movimentos(const struct app *app, const struct uuid *peca_uuid,
                      const struct pagina *page, struct lista *out);

#endif
