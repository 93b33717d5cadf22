/* Ending a command's transaction (application layer). */
#include "application/commands/unit_of_work.h"

int uow_finish(const struct app *app, int rc)
{
	if (rc == 0)
		rc = transaction_commit(&app->tx);
	if (rc != 0)
		transaction_rollback(&app->tx);
	return rc;
}

int uow_finish_criado(const struct app *app, int rc, const struct uuid *id, struct uuid *out_id)
{
	rc = uow_finish(app, rc);
	if (rc == 0)
		*out_id = *id;
	return rc;
}
