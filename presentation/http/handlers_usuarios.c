/* /api/usuarios: staff users over HTTP, for admins (presentation layer). */
#include <stdio.h>

#include "application/commands/comandos_usuarios.h"
#include "application/queries/consultas.h"
#include "domain/errors.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

#define COLECAO "/api/usuarios"

static void ler_campos(json_t *o, struct usuario_campos *in, struct field_errors *fe)
{
	in->nome = json_input_text(o, "nome", false, NULL, fe);
	in->email = json_input_text(o, "email", false, NULL, fe);
	in->senha = json_input_text(o, "senha", false, NULL, fe);
	in->perfil = json_input_text(o, "perfil", false, NULL, fe);
	in->ativo = json_input_bool(o, "ativo", fe);
}

static void responder_usuario(struct request *req, struct response *res, const struct uuid *id,
                              unsigned status)
{
	struct usuario u;
	int rc = obter_usuario(req->app, id, &u);
	response_entity(res, req, rc, status, COLECAO, u.uuid.str, rc ? NULL : view_usuario(&u));
}

void handle_usuarios_criar(struct request *req, struct response *res)
{
	struct usuario_campos in;
	struct field_errors fe;
	struct uuid id;
	int rc;

	field_errors_init(&fe);
	ler_campos(req->json, &in, &fe);
	rc = criar_usuario(req->app, &req->caller, &in, &fe, &id);
	if (rc != 0) {
		response_error(res, req, rc, &fe);
		return;
	}
	metrics_count(BUSINESS_USUARIOS_CRIADOS);
	responder_usuario(req, res, &id, 201);
}

void handle_usuarios_listar(struct request *req, struct response *res)
{
	struct lista lista;
	struct pagina page;
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	if ((rc = listar_usuarios(req->app, &page, &lista)) != 0) {
		response_error(res, req, rc, NULL);
		return;
	}
	RESPONSE_LISTA(res, req, &page, &lista, struct usuario, view_usuario);
}

void handle_usuarios_obter(struct request *req, struct response *res)
{
	responder_usuario(req, res, &req->ids[0], 200);
}

void handle_usuarios_alterar(struct request *req, struct response *res)
{
	struct usuario_campos in;
	struct field_errors fe;
	struct uuid id;
	int rc;

	id = req->ids[0];
	field_errors_init(&fe);
	ler_campos(req->json, &in, &fe);
	rc = alterar_usuario(req->app, &req->caller, &id, &in, &fe);
	if (rc != 0)
		response_error(res, req, rc, &fe);
	else
		responder_usuario(req, res, &id, 200);
}

void handle_usuarios_desativar(struct request *req, struct response *res)
{
	struct field_errors fe;
	int rc;

	field_errors_init(&fe);
	if ((rc = desativar_usuario(req->app, &req->caller, &req->ids[0], &fe)) != 0)
		response_error(res, req, rc, &fe);
	else
		response_no_content(res);
}
