/*
 * JSON views of the entities (presentation layer): exactly the fields SPEC §5 lists, with absent
 * optional values as null. Never the password hash. Each returns a new reference.
 */
#ifndef OFICINA_PRESENTATION_HTTP_VIEWS_H
#define OFICINA_PRESENTATION_HTTP_VIEWS_H

#include <jansson.h>

#include "domain/cliente.h"
#include "domain/usuario.h"
#include "domain/veiculo.h"

json_t *view_cliente(const struct cliente *c);
json_t *view_veiculo(const struct veiculo *v);
json_t *view_usuario(const struct usuario *u);

#endif
