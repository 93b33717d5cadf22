/*
 * Small helpers every command handler uses (application layer): running a transaction to its end
 * and building an outbox event.
 */
#ifndef OFICINA_APPLICATION_COMMANDS_UNIT_OF_WORK_H
#define OFICINA_APPLICATION_COMMANDS_UNIT_OF_WORK_H

#include "application/app.h"

/*
 * Ends the transaction opened by app->tx.ops->begin: commits when rc is 0, rolls back otherwise.
 * Returns rc, or the commit's error.
 */
int uow_finish(const struct app *app, int rc);

/* Starts an event of type tipo about agregado_uuid, caused by who (may be NULL). */
void evento_init(struct evento *ev, const char *tipo, const char *agregado_uuid,
                 const struct app_caller *who);

/* Adds a string field (valor NULL is JSON null); silently ignores fields beyond the maximum. */
void evento_texto(struct evento *ev, const char *chave, const char *valor);

/* Adds a number field; numero is the text of a JSON number, e.g. "2024". */
void evento_numero(struct evento *ev, const char *chave, const char *numero);

#endif
