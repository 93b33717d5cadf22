/* Helpers over struct app (application layer). */
#include "application/app.h"

int app_ano_atual(const struct app *app)
{
	time_t now = app->agora();
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}
