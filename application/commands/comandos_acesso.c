/* Customer login by CPF (application layer). */
#include "application/commands/comandos_acesso.h"

#include <string.h>

#include "domain/errors.h"

int autenticar_cliente(const struct app *app, const char *cpf, struct field_errors *fe,
                       struct login_cliente *out)
{
	char digitos[CPF_DIGITOS + 1];
	int rc;

	memset(out, 0, sizeof *out);
	if (!cpf) {
		field_errors_missing(fe, "cpf");
		return APP_EINVALID;
	}
	if (cpf_parse(cpf, digitos) != 0) {
		field_errors_add(fe, "cpf", "CPF inválido");
		return APP_EINVALID;
	}
	/*
	 * Unknown and inactive answer alike after the same lookup, so that the answer does not
	 * tell whether a CPF is a (former) customer of the workshop.
	 */
	rc = cliente_repo_find_by_documento(&app->clientes, digitos, &out->cliente);
	if (rc == APP_ENOTFOUND || (rc == 0 && !out->cliente.ativo))
		rc = APP_EUNAUTHORIZED;
	if (rc == 0)
		rc = token_service_issue(&app->tokens, out->cliente.uuid.str,
		                         perfil_nome(PERFIL_CLIENTE), out->token, &out->expires_in);
	if (rc != 0)
		memset(out, 0, sizeof *out);
	return rc;
}

int encerrar_sessoes(const struct app *app, const struct app_caller *who)
{
	struct uuid id;
	int rc;

	if (!who->sub || uuid_parse(who->sub, &id) != 0)
		return APP_EUNAUTHORIZED;
	rc = who->perfil == PERFIL_CLIENTE ? cliente_repo_encerrar_sessoes(&app->clientes, &id)
	                                   : usuario_repo_encerrar_sessoes(&app->usuarios, &id);
	return rc == APP_ENOTFOUND ? 0 : rc;
}
