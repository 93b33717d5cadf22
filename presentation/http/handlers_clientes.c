/* /api/clientes: customers over HTTP (presentation layer). */
#include <stdio.h>
#include <string.h>

#include "application/commands/comandos_clientes.h"
#include "application/queries/consultas.h"
#include "domain/errors.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

static void ler_campos(json_t *o, struct cliente_campos *in, struct field_errors *fe)
{
	in->nome = json_input_text(o, "nome", false, NULL, fe);
	in->documento = json_input_text(o, "documento", false, NULL, fe);
	in->email = json_input_text(o, "email", true, &in->email_given, fe);
	in->telefone = json_input_text(o, "telefone", true, &in->telefone_given, fe);
	in->ativo = json_input_bool(o, "ativo", fe);
}

static int gravar(struct request *req, enum campos_modo modo, struct field_errors *fe,
                  struct uuid *id)
{
	struct cliente_campos in;

	ler_campos(req->json, &in, fe);
	if (modo == CAMPOS_CRIAR)
		return criar_cliente(req->app, &req->caller, &in, fe, id);
	return alterar_cliente(req->app, &req->caller, id, &in, modo, fe);
}

void handle_clientes_gravar(struct request *req, struct response *res)
{
	handle_gravacao(req, res, gravar, handle_clientes_obter, BUSINESS_CLIENTES_CRIADOS);
}

/*
 * ?documento= formatted or not: keep the digits. Anything but digits and the usual separators is
 * a malformed parameter.
 */
static bool filtro_documento(const char *in, char *out, size_t n)
{
	size_t j = 0;
	for (; *in; in++) {
		if (*in >= '0' && *in <= '9') {
			if (j + 1 >= n)
				return false;
			out[j++] = *in;
		} else if (!strchr(".-/ ", *in)) {
			return false;
		}
	}
	out[j] = '\0';
	return j > 0;
}

void handle_clientes_listar(struct request *req, struct response *res)
{
	struct cliente_filtro f = {0};
	struct lista lista;
	struct pagina page;
	struct field_errors fe;
	char documento[32];
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	field_errors_init(&fe);
	const char *doc = query_param(req, "documento");
	if (doc && !filtro_documento(doc, documento, sizeof documento))
		field_errors_add(&fe, "documento", "use apenas dígitos, '.', '-' e '/'");
	else if (doc)
		f.documento = documento;
	f.nome_parte = query_busca(req, "q", &fe);
	if (!query_sem_erros(req, res, &fe))
		return;
	rc = listar_clientes(req->app, &f, &page, &lista);
	RESPONSE_LISTA(res, req, rc, &page, &lista, struct cliente, view_cliente);
}

void handle_clientes_obter(struct request *req, struct response *res)
{
	struct cliente c;
	int rc = obter_cliente(req->app, &req->caller, &req->ids[0], &c);
	response_entity(res, req, rc, rc ? NULL : view_cliente(&c));
}

void handle_clientes_desativar(struct request *req, struct response *res)
{
	handle_desativacao(req, res, desativar_cliente);
}

void handle_clientes_veiculos(struct request *req, struct response *res)
{
	struct lista lista;
	struct pagina page;
	struct uuid id;
	int rc;

	id = req->ids[0];
	if (!query_pagina(req, res, &page))
		return;
	rc = listar_veiculos_do_cliente(req->app, &req->caller, &id, &page, &lista);
	veiculos_responder_lista(req, res, rc, &page, &lista);
}
