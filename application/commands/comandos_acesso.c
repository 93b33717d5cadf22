/* Customer login by CPF and plate, or by CPF alone (legacy); logout (application layer). */
#include "application/commands/comandos_acesso.h"

#include <stdbool.h>
#include <string.h>

#include "domain/errors.h"
#include "domain/placa.h"

/*
 * The owner looked up for a CPF that is nobody's: a uuid no customer has, so that an unknown CPF
 * costs the same vehicle lookup as a known one.
 */
static const struct uuid ninguem = {"00000000-0000-0000-0000-000000000000"};

/* *sim: placa (normalised) is an active vehicle of dono. */
static int placa_do_cliente(const struct app *app, const struct uuid *dono, const char *placa,
                            bool *sim)
{
	const struct veiculo_filtro f = {.placa = placa, .cliente_uuid = dono};
	const struct pagina page = {.pagina = 1, .por_pagina = 1};
	struct veiculo v;
	size_t n = 0;
	long total = 0;
	int rc = veiculo_repo_list(&app->veiculos, &f, &page, &v, &n, &total);

	*sim = rc == 0 && n == 1 && v.ativo;
	return rc;
}

/* The token of out->cliente, who has proved who they are. */
static int emitir(const struct app *app, struct login_cliente *out)
{
	return token_service_issue(&app->tokens, out->cliente.uuid.str, perfil_nome(PERFIL_CLIENTE),
	                           out->token, &out->expires_in);
}

/*
 * CLIENTE_LOGIN=cpf, as SPEC §4 has it. Unknown and inactive answer alike after the same lookup,
 * so that the answer does not tell whether a CPF is a (former) customer of the workshop.
 */
static int login_so_cpf(const struct app *app, const char *digitos, struct login_cliente *out)
{
	int rc = cliente_repo_find_by_documento(&app->clientes, digitos, &out->cliente);

	if (rc == APP_ENOTFOUND || (rc == 0 && !out->cliente.ativo))
		rc = APP_EUNAUTHORIZED;
	return rc == 0 ? emitir(app, out) : rc;
}

/*
 * CLIENTE_LOGIN=cpf_placa. The attempt is counted before anything is checked, in one atomic step
 * of the store, so that concurrent guesses cannot all slip in under the limit, and it stays
 * counted unless it succeeds.
 */
static int login_cpf_placa(const struct app *app, const char *digitos, const char *placa,
                           struct login_cliente *out)
{
	const struct cliente_login_regras *regras = &app->cliente_login;
	struct login_tentativa t;
	bool conhecido, dela = false;
	int rc;

	if ((rc = login_tentativas_record(&app->login_tentativas, digitos, regras->bloqueio_s,
	                                  &t)) != 0)
		return rc;
	if (t.tentativas > regras->max_falhas) {
		out->bloqueado_s = t.restante_s;
		return APP_ELOCKED;
	}
	rc = cliente_repo_find_by_documento(&app->clientes, digitos, &out->cliente);
	if (rc != 0 && rc != APP_ENOTFOUND)
		return rc;
	conhecido = rc == 0;
	/* Unknown, inactive or another's plate: the same two lookups and the same answer. */
	rc = placa_do_cliente(app, conhecido ? &out->cliente.uuid : &ninguem, placa, &dela);
	if (rc != 0)
		return rc;
	if (!conhecido || !out->cliente.ativo || !dela)
		return APP_EUNAUTHORIZED;
	if ((rc = login_tentativas_clear(&app->login_tentativas, digitos)) != 0)
		return rc;
	return emitir(app, out);
}

int autenticar_cliente(const struct app *app, const char *cpf, const char *placa,
                       struct field_errors *fe, struct login_cliente *out)
{
	bool com_placa = app->cliente_login.modo == CLIENTE_LOGIN_CPF_PLACA;
	char digitos[CPF_DIGITOS + 1], placa_normal[PLACA_MAX];
	bool valido = true;
	int rc;

	memset(out, 0, sizeof *out);
	if (!cpf) {
		field_errors_missing(fe, "cpf");
		valido = false;
	} else if (cpf_parse(cpf, digitos) != 0) {
		field_errors_add(fe, "cpf", "CPF inválido");
		valido = false;
	}
	if (com_placa && !placa) {
		field_errors_missing(fe, "placa");
		valido = false;
	} else if (com_placa && placa_normalizar(placa, placa_normal) != 0) {
		field_errors_add(fe, "placa", PLACA_INVALIDA);
		valido = false;
	}
	if (!valido)
		return APP_EINVALID;

	rc = com_placa ? login_cpf_placa(app, digitos, placa_normal, out)
	               : login_so_cpf(app, digitos, out);
	if (rc != 0) {
		long bloqueado_s = out->bloqueado_s;
		memset(out, 0, sizeof *out);
		out->bloqueado_s = bloqueado_s;
	}
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
