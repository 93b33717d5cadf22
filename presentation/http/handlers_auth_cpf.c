/*
 * POST /api/auth/cpf: a customer's login by CPF (presentation layer, SPEC §4). Unknown and
 * inactive customers get the very same 401; an invalid CPF is a 422 on "cpf".
 */
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
	int rc;

	if (!out)
		return; /* res already holds a 500 */
	field_errors_init(&fe);
	const char *cpf = json_input_text(req->json, "cpf", false, NULL, &fe);
	rc = autenticar_cliente(req->app, cpf, &fe, out);
	if (rc == APP_EUNAUTHORIZED) {
		metrics_count(BUSINESS_LOGINS_CLIENTE_RECUSADOS);
		response_problem(res, req, 401, "CPF não autorizado", NULL);
		response_header(res, "WWW-Authenticate", "Bearer");
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
