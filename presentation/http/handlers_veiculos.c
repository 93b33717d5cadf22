/* /api/veiculos: vehicles over HTTP (presentation layer). */
#include <stdio.h>

#include "application/commands/comandos_veiculos.h"
#include "application/queries/consultas.h"
#include "domain/errors.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

static void ler_campos(json_t *o, struct veiculo_campos *in, struct field_errors *fe)
{
	in->cliente_uuid = json_input_text(o, "cliente_uuid", false, NULL, fe);
	in->placa = json_input_text(o, "placa", false, NULL, fe);
	in->marca = json_input_text(o, "marca", false, NULL, fe);
	in->modelo = json_input_text(o, "modelo", false, NULL, fe);
	in->ano_given = json_input_integer(o, "ano", &in->ano, fe);
	in->cor = json_input_text(o, "cor", true, &in->cor_given, fe);
	in->ativo = json_input_bool(o, "ativo", fe);
}

static int gravar(struct request *req, enum campos_modo modo, struct field_errors *fe,
                  struct uuid *id)
{
	struct veiculo_campos in = {0};

	ler_campos(req->json, &in, fe);
	if (modo == CAMPOS_CRIAR)
		return criar_veiculo(req->app, &req->caller, &in, fe, id);
	return alterar_veiculo(req->app, &req->caller, id, &in, modo, fe);
}

void handle_veiculos_gravar(struct request *req, struct response *res)
{
	handle_gravacao(req, res, gravar, handle_veiculos_obter, BUSINESS_VEICULOS_CRIADOS);
}

void handle_veiculos_listar(struct request *req, struct response *res)
{
	struct veiculo_filtro f = {0};
	struct lista lista;
	struct pagina page;
	struct field_errors fe;
	struct uuid cliente;
	char placa[PLACA_MAX];
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	field_errors_init(&fe);
	f.placa = query_placa(req, "placa", placa, &fe);
	f.cliente_uuid = query_uuid(req, "cliente_uuid", &cliente, &fe);
	if (!query_sem_erros(req, res, &fe))
		return;
	rc = listar_veiculos(req->app, &req->caller, &f, &page, &lista);
	veiculos_responder_lista(req, res, rc, &page, &lista);
}

void veiculos_responder_lista(struct request *req, struct response *res, int rc,
                              const struct pagina *page, struct lista *lista)
{
	RESPONSE_LISTA(res, req, rc, page, lista, struct veiculo, view_veiculo);
}

void handle_veiculos_obter(struct request *req, struct response *res)
{
	struct veiculo v;
	int rc = obter_veiculo(req->app, &req->caller, &req->ids[0], &v);
	response_entity(res, req, rc, rc ? NULL : view_veiculo(&v));
}

void handle_veiculos_desativar(struct request *req, struct response *res)
{
	handle_desativacao(req, res, desativar_veiculo);
}
