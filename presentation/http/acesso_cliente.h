/*
 * A customer's own data (presentation layer, SPEC §4): with a token of role "cliente" a customer
 * reads only their own record and vehicles, and another customer's answers 404, so that its
 * existence is not revealed. The handlers of clientes and veiculos ask here who the caller is.
 */
#ifndef OFICINA_PRESENTATION_HTTP_ACESSO_CLIENTE_H
#define OFICINA_PRESENTATION_HTTP_ACESSO_CLIENTE_H

#include <stdbool.h>

#include "domain/uuid.h"
#include "presentation/http/http_types.h"

/*
 * True when req was made with a customer's token; *proprio (may be NULL) then gets the
 * customer's uuid (the token's sub). False for staff and anonymous callers.
 */
bool acesso_cliente(const struct request *req, struct uuid *proprio);

/*
 * Whether the caller may see what belongs to customer dono: staff always; a customer only when
 * dono is themself.
 */
bool acesso_cliente_permite(const struct request *req, const struct uuid *dono);

#endif
