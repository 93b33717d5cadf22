/*
 * Commands that change vehicles (application layer). Same contract as comandos_clientes.h; a
 * cliente_uuid that names no active customer is APP_EINVALID with an entry for "cliente_uuid".
 */
#ifndef OFICINA_APPLICATION_COMMANDS_COMANDOS_VEICULOS_H
#define OFICINA_APPLICATION_COMMANDS_COMANDOS_VEICULOS_H

#include "application/app.h"

/* Creates a vehicle and emits veiculo.criado; *out_id gets its uuid. APP_ECONFLICT: placa. */
int criar_veiculo(const struct app *app, const struct app_caller *who,
                  const struct veiculo_campos *in, struct field_errors *fe, struct uuid *out_id);

/* PUT or PATCH of vehicle id. APP_ENOTFOUND, APP_EINVALID, APP_ECONFLICT. */
int alterar_veiculo(const struct app *app, const struct app_caller *who, const struct uuid *id,
                    const struct veiculo_campos *in, enum campos_modo modo,
                    struct field_errors *fe);

/* Deactivates vehicle id: alterar_veiculo of ativo false, fe as there. APP_ENOTFOUND. */
int desativar_veiculo(const struct app *app, const struct app_caller *who, const struct uuid *id,
                      struct field_errors *fe);

#endif
