/*
 * Answers shared by the handlers of service orders and of the approval webhook (presentation
 * layer): the order as GET /api/ordens/{uuid} shows it, and the problems of refused commands.
 */
#ifndef OFICINA_PRESENTATION_HTTP_ORDENS_HTTP_H
#define OFICINA_PRESENTATION_HTTP_ORDENS_HTTP_H

#include "application/commands/comandos_ordens.h"
#include "presentation/http/http_types.h"

/*
 * Answers order id as it is now, 200, read with the caller's ownership filter (a customer's
 * token sees only their own orders: 404 otherwise). A creation follows with response_as_created.
 */
void ordens_responder(struct request *req, struct response *res, const struct uuid *id);

/*
 * The problem for a refused order command: 409 with "status_atual" and "transicoes_permitidas"
 * when the order's state did not allow it (cf->estado), 409 naming the part when stock is short
 * (fe has "pecas"), else the usual mapping of response_error. fe and cf may be NULL.
 */
void ordens_responder_erro(struct request *req, struct response *res, int rc,
                           const struct field_errors *fe, const struct ordem_conflito *cf);

/*
 * The answer to an order command that changed order id: its problem (ordens_responder_erro)
 * when rc != 0, else the order as it is now, 200.
 */
void ordens_responder_comando(struct request *req, struct response *res, int rc,
                              const struct field_errors *fe, const struct ordem_conflito *cf,
                              const struct uuid *id);

#endif
