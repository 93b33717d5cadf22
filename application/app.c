/* Helpers over struct app (application layer). */
#include "application/app.h"

#include "domain/usuario.h"

const struct uuid *app_caller_dono(const struct app_caller *who, struct uuid *buf)
{
	if (!who || who->perfil != PERFIL_CLIENTE)
		return NULL;
	if (uuid_parse(who->sub, buf) != 0)
		buf->str[0] = '\0';
	return buf;
}

int app_ano_atual(const struct app *app)
{
	time_t now = app->agora();
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}
