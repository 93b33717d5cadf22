/* Ending the transaction of a command handler (application layer). */
#ifndef OFICINA_APPLICATION_COMMANDS_UNIT_OF_WORK_H
#define OFICINA_APPLICATION_COMMANDS_UNIT_OF_WORK_H

#include "application/app.h"

/*
 * Ends the transaction opened by transaction_begin: commits when rc is 0, rolls back otherwise.
 * Returns rc, or the commit's error.
 */
int uow_finish(const struct app *app, int rc);

#endif
