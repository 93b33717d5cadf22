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

static void ler_campos(json_t *o, struct usuario_campos *in, struct field_errors *fe)
{
	in->nome = json_input_text(o, "nome", false, NULL, fe);
	in->email = json_input_text(o, "email", false, NULL, fe);
	in->senha = json_input_text(o, "senha", false, NULL, fe);
	in->perfil = json_input_text(o, "perfil", false, NULL, fe);
	in->ativo = json_input_bool(o, "ativo", fe);
}

/* A user is created whole (POST) or changed field by field (PATCH; there is no PUT). */
static int gravar(struct request *req, enum campos_modo modo, struct field_errors *fe,
                  struct uuid *id)
{
	struct usuario_campos in;

	ler_campos(req->json, &in, fe);
	if (modo == CAMPOS_CRIAR)
		return criar_usuario(req->app, &req->caller, &in, fe, id);
	return alterar_usuario(req->app, &req->caller, id, &in, fe);
}

void handle_usuarios_gravar(struct request *req, struct response *res)
{
	handle_gravacao(req, res, gravar, handle_usuarios_obter, BUSINESS_USUARIOS_CRIADOS);
}

void handle_usuarios_listar(struct request *req, struct response *res)
{
	struct lista lista;
	struct pagina page;
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	rc = listar_usuarios(req->app, &page, &lista);
	RESPONSE_LISTA(res, req, rc, &page, &lista, struct usuario, view_usuario);
}

void handle_usuarios_obter(struct request *req, struct response *res)
{
	struct usuario u;
	int rc = obter_usuario(req->app, &req->ids[0], &u);
	response_entity(res, req, rc, rc ? NULL : view_usuario(&u));
}

void handle_usuarios_desativar(struct request *req, struct response *res)
{
	handle_desativacao(req, res, desativar_usuario);
}
