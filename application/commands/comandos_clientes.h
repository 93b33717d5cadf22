/*
 * Commands that change customers (application layer). Each validates, runs in one transaction
 * and returns 0 or a code of domain/errors.h; field detail of APP_EINVALID and APP_ECONFLICT goes
 * to fe (caller-owned; may already hold type errors found while reading the request).
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_CLIENTES_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_CLIENTES_H

#include "application/app.h"

/* Creates a customer and emits cliente.criado; *out_id gets its uuid. APP_ECONFLICT: documento. */
int criar_cliente(const struct app *app, const struct app_caller *who,
                  const struct cliente_campos *in, struct field_errors *fe, struct uuid *out_id);

/* PUT (CAMPOS_SUBSTITUIR) or PATCH (CAMPOS_ALTERAR) of customer id. APP_ENOTFOUND. */
int alterar_cliente(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct cliente_campos *in, enum campos_modo modo,
                    struct field_errors *fe);

/*
 * Deactivates customer id (customers are never deleted). APP_ENOTFOUND; APP_ECONFLICT with an fe
 * entry while the customer has an open order (SPEC §5).
 */
int desativar_cliente(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe);

#endif
