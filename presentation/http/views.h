/*
 * JSON views of the entities (presentation layer): exactly the fields SPEC §5 lists, with absent
 * optional values as null. Never the password hash. Each returns a new reference.
 */
#ifndef OFICINA_PRESENTATION_HTTP_VIEWS_H
#define OFICINA_PRESENTATION_HTTP_VIEWS_H

#include <jansson.h>

#include "application/ports/estoque_repo.h"
#include "domain/cliente.h"
#include "domain/peca.h"
#include "domain/servico.h"
#include "domain/usuario.h"
#include "domain/veiculo.h"

/*
 * Appends item (a view, possibly NULL) to *array; when that fails (out of memory) releases both
 * and sets *array to NULL, so that the whole answer fails rather than lack an item. A NULL
 * *array releases item. Build every JSON array of an answer with it.
 */
void view_append(json_t **array, json_t *item);

json_t *view_cliente(const struct cliente *c);
json_t *view_veiculo(const struct veiculo *v);
json_t *view_usuario(const struct usuario *u);

/* Catalogue and stock: money as a string with two decimals ("150.00"). */
json_t *view_servico(const struct servico *s);
json_t *view_peca(const struct peca *p);
json_t *view_movimento(const struct movimento *m);

/* Service orders; money as "150.00", timestamps RFC 3339 UTC, absent values null. */
#include "application/ports/ordem_consultas.h"

/* GET /api/ordens/{uuid}: the whole order (SPEC §5 Reads). */
json_t *view_ordem(const struct ordem_detalhe *d);
/* One order of a list. */
json_t *view_ordem_resumo(const struct ordem_resumo *o);
/* GET /api/ordens/{uuid}/status. */
json_t *view_ordem_status(const struct ordem_status_atual *s);
/* One history row {status, em, por}. */
json_t *view_ordem_historico(const struct ordem_historico_item *h);

#endif
