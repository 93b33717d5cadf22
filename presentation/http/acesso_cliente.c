/* Who a customer is, from their token (presentation layer). */
#include "presentation/http/acesso_cliente.h"

#include "domain/usuario.h"

bool acesso_cliente(const struct request *req, struct uuid *proprio)
{
	struct uuid sub;

	if (!req->authenticated || perfil_parse(req->claims.role) != PERFIL_CLIENTE)
		return false;
	/* A customer token whose sub is not a uuid owns nothing: it matches no row. */
	if (uuid_parse(req->claims.sub, &sub) != 0)
		sub.str[0] = '\0';
	if (proprio)
		*proprio = sub;
	return true;
}

bool acesso_cliente_permite(const struct request *req, const struct uuid *dono)
{
	struct uuid proprio;

	if (!acesso_cliente(req, &proprio))
		return true;
	return proprio.str[0] && uuid_equal(&proprio, dono);
}
