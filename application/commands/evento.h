/*
 * Building an outbox event (application layer): a command handler fills one and appends it to
 * app->eventos in its transaction.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_EVENTO_H
#define OFICINA_APPLICATION_COMMANDS_EVENTO_H

#include "application/app.h"

/* Starts an event of type tipo about agregado_uuid, caused by who (may be NULL). */
void evento_init(struct evento *ev, const char *tipo, const char *agregado_uuid,
                 const struct app_caller *who);

/* Adds a string field (valor NULL is JSON null); silently ignores fields beyond the maximum. */
void evento_texto(struct evento *ev, const char *chave, const char *valor);

/* Adds a number field; numero is the text of a JSON number, e.g. "2024". */
void evento_numero(struct evento *ev, const char *chave, const char *numero);

#endif
