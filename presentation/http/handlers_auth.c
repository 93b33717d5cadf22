/* POST /api/auth/login: staff login (presentation layer). */
#include <stdlib.h>
#include <string.h>

#include "application/commands/comandos_acesso.h"
#include "application/commands/comandos_usuarios.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

void handle_login(struct request *req, struct response *res)
{
	struct login_resultado *out = heap_calloc(1, sizeof *out);
	struct field_errors fe;
	int rc;

	if (!out)
		return; /* res already holds a 500 */
	field_errors_init(&fe);
	const char *email = json_input_text(req->json, "email", false, NULL, &fe);
	const char *senha = json_input_text(req->json, "senha", false, NULL, &fe);
	rc = autenticar_usuario(req->app, email, senha, &fe, out);
	if (rc == APP_EUNAUTHORIZED) {
		metrics_count(BUSINESS_LOGINS_RECUSADOS);
		response_problem(res, req, 401, "e-mail ou senha inválidos", NULL);
		response_header(res, "WWW-Authenticate", "Bearer");
	} else if (rc != 0) {
		response_error(res, req, rc, &fe);
	} else {
		metrics_count(BUSINESS_LOGINS_OK);
		response_data(res, 200,
		              json_pack("{s:s, s:s, s:I, s:o}", "token", out->token, "token_type",
		                        "Bearer", "expires_in", (json_int_t)out->expires_in,
		                        "usuario", view_usuario(&out->usuario)));
	}
	explicit_bzero(out->token, sizeof out->token);
	heap_free(out);
}

void handle_logout(struct request *req, struct response *res)
{
	int rc = encerrar_sessoes(req->app, &req->caller);
	if (rc != 0)
		response_error(res, req, rc, NULL);
	else
		response_no_content(res);
}
