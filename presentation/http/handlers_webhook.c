/*
 * POST /api/webhooks/orcamento: the decision on a budget from an outside system (presentation
 * layer, SPEC §5 "External approval"). The route is public but signed: the signature
 * (X-Signature: sha256=<hex HMAC-SHA256 of the raw body with WEBHOOK_SECRET>) is checked through
 * the assinatura port over the raw bytes FIRST, before anything of the body is parsed, so an
 * unsigned caller learns nothing (not even whether its JSON was valid). Missing or wrong
 * signature, and a server without WEBHOOK_SECRET (webhook disabled), answer 401.
 *
 * {ordem_uuid, decisao: "APROVADO"|"REPROVADO"}: repeating the decision already recorded is a
 * no-op 200 with the order; the opposite decision after one was recorded is 409.
 */
#include <string.h>

#include "application/commands/comandos_ordens.h"
#include "domain/errors.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/ordens_http.h"
#include "presentation/http/pipeline.h"
#include "presentation/http/response.h"

#define WEBHOOK_POR "webhook" /* who, in history rows and events */

void handle_webhook_orcamento(struct request *req, struct response *res)
{
	const struct assinatura *sig = &req->app->webhook;
	struct app_caller who = {req->correlation_id, WEBHOOK_POR, PERFIL_WEBHOOK};
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	enum orcamento_decisao d = DECISAO_NENHUMA;
	struct uuid id;
	int rc;

	const char *assinatura =
	    MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Signature");
	if (!sig->ops || assinatura_verify(sig, req->body, req->body_len, assinatura) != 0) {
		response_problem(res, req, 401, "assinatura X-Signature ausente ou inválida", NULL);
		response_header(res, "WWW-Authenticate", "HMAC-SHA256 header=\"X-Signature\"");
		return;
	}
	/* Only a signed body is read: the route takes no body in the pipeline for this reason. */
	if (!pipeline_read_body(req, res))
		return;
	field_errors_init(&fe);
	const char *ordem = json_input_text(req->json, "ordem_uuid", false, NULL, &fe);
	const char *decisao = json_input_text(req->json, "decisao", false, NULL, &fe);
	if (!ordem)
		field_errors_missing(&fe, "ordem_uuid");
	else if (uuid_parse(ordem, &id) != 0)
		field_errors_add(&fe, "ordem_uuid", "identificador inválido");
	if (!decisao)
		field_errors_missing(&fe, "decisao");
	else if ((d = orcamento_decisao_parse(decisao)) == DECISAO_NENHUMA)
		field_errors_add(&fe, "decisao", "use APROVADO ou REPROVADO");
	if (fe.count) {
		response_error(res, req, APP_EINVALID, &fe);
		return;
	}
	rc = decidir_orcamento_ordem(req->app, &who, &id, d, &fe, &cf);
	if (rc == APP_ENOTFOUND) {
		/* A reference in the body to an order that does not exist (SPEC §3: 422). */
		field_errors_add(&fe, "ordem_uuid", "ordem de serviço inexistente");
		response_error(res, req, APP_EINVALID, &fe);
	} else {
		ordens_responder_comando(req, res, rc, &fe, &cf, &id);
	}
}
