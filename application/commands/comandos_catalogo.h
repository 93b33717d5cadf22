/*
 * Commands that change the service catalogue and the parts (application layer). Each validates,
 * runs in one transaction and returns 0 or a code of domain/errors.h; field detail of
 * APP_EINVALID and APP_ECONFLICT goes to fe (caller-owned; may already hold type errors found
 * while reading the request).
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_CATALOGO_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_CATALOGO_H

#include "application/app.h"

/* Creates a service; *out_id gets its uuid. APP_EINVALID. */
int criar_servico(const struct app *app, const struct app_caller *who,
                  const struct servico_campos *in, struct field_errors *fe, struct uuid *out_id);

/* PUT (CAMPOS_SUBSTITUIR) or PATCH (CAMPOS_ALTERAR) of service id. APP_ENOTFOUND, APP_EINVALID. */
int alterar_servico(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct servico_campos *in, enum campos_modo modo,
                    struct field_errors *fe);

/*
 * Deactivates service id (services are never deleted: orders keep pointing at them):
 * alterar_servico of ativo false, fe as there. Idempotent. APP_ENOTFOUND.
 */
int desativar_servico(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe);

/*
 * Creates a part; *out_id gets its uuid. A quantidade_estoque above zero is recorded, in the same
 * transaction, as the part's first movement ("estoque inicial", event estoque.movimentado), so
 * that the balance is always the sum of the movements. APP_EINVALID, APP_ECONFLICT (codigo).
 */
int criar_peca(const struct app *app, const struct app_caller *who, const struct peca_campos *in,
               struct field_errors *fe, struct uuid *out_id);

/*
 * PUT or PATCH of part id. The balance is not changed here (see peca_aplicar). APP_ENOTFOUND,
 * APP_EINVALID, APP_ECONFLICT (codigo).
 */
int alterar_peca(const struct app *app, const struct app_caller *who, const struct uuid *id,
                 const struct peca_campos *in, enum campos_modo modo, struct field_errors *fe);

/*
 * Deactivates part id (alterar_peca of ativo false, fe as there); its stock and movements stay.
 * Idempotent. APP_ENOTFOUND.
 */
int desativar_peca(const struct app *app, const struct app_caller *who, const struct uuid *id,
                   struct field_errors *fe);

#endif
