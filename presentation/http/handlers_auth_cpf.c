/*
 * POST /api/auth/cpf: a customer's login by CPF and the plate of one of their vehicles, or by CPF
 * alone with CLIENTE_LOGIN=cpf (presentation layer; SPEC §4 and README "Customers: login by CPF
 * and plate"). An unknown CPF, an inactive customer and a plate that is not theirs get the very
 * same 401; a missing or invalid field is a 422 on it; a CPF locked out after too many failures
 * is a 429 with Retry-After.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application/commands/comandos_acesso.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"

void handle_auth_cpf(struct request *req, struct response *res)
{
	struct login_cliente *out = heap_calloc(1, sizeof *out);
	struct field_errors fe;
	char retry[24];
	int rc;

	if (!out)
		return; /* res already holds a 500 */
	field_errors_init(&fe);
	const char *cpf = json_input_text(req->json, "cpf", false, NULL, &fe);
	const char *placa = req->app->cliente_login.modo == CLIENTE_LOGIN_CPF_PLACA
	                        ? json_input_text(req->json, "placa", false, NULL, &fe)
	                        : NULL; /* the legacy login ignores it, whatever it is */
	rc = autenticar_cliente(req->app, cpf, placa, &fe, out);
	if (rc == APP_EUNAUTHORIZED) {
		metrics_count(BUSINESS_LOGINS_CLIENTE_RECUSADOS);
		response_problem(res, req, 401,
		                 req->app->cliente_login.modo == CLIENTE_LOGIN_CPF_PLACA
		                     ? "CPF ou placa não autorizados"
		                     : "CPF não autorizado",
		                 NULL);
		response_header(res, "WWW-Authenticate", "Bearer");
	} else if (rc == APP_ELOCKED) {
		metrics_count(BUSINESS_LOGINS_CLIENTE_BLOQUEADOS);
		response_error(res, req, rc, NULL);
		snprintf(retry, sizeof retry, "%ld", out->bloqueado_s > 0 ? out->bloqueado_s : 1);
		response_header(res, "Retry-After", retry);
	} else if (rc != 0) {
		response_error(res, req, rc, &fe);
	} else {
		metrics_count(BUSINESS_LOGINS_CLIENTE_OK);
		response_data(res, 200,
		              json_pack("{s:s, s:s, s:I, s:{s:s, s:s}}", "token", out->token,
		                        "token_type", "Bearer", "expires_in",
		                        (json_int_t)out->expires_in, "cliente", "uuid",
		                        out->cliente.uuid.str, "nome", out->cliente.nome));
	}
	explicit_bzero(out->token, sizeof out->token);
	heap_free(out);
}
