/* Ending the transaction of a command handler (application layer). */
#ifndef OFICINA_APPLICATION_COMMANDS_UNIT_OF_WORK_H
#define OFICINA_APPLICATION_COMMANDS_UNIT_OF_WORK_H

#include "application/app.h"

/*
 * Ends the transaction opened by transaction_begin: commits when rc is 0, rolls back otherwise.
 * Returns rc, or the commit's error.
 */
int uow_finish(const struct app *app, int rc);

/*
 * Ends the transaction of a command that creates something, as uow_finish, and copies id (the
 * new row's) to *out_id only once it is committed: a caller is never given the id of a row that
 * does not exist. Returns rc, or the commit's error.
 */
int uow_finish_criado(const struct app *app, int rc, const struct uuid *id, struct uuid *out_id);

#endif
