/* /api/servicos: the service catalogue over HTTP (presentation layer). */
#include <string.h>

#include "application/commands/comandos_catalogo.h"
#include "application/queries/consultas_catalogo.h"
#include "domain/errors.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

/* valor is caller storage that in->valor points into. */
static void ler_campos(json_t *o, struct servico_campos *in, char valor[DINHEIRO_TEXTO_MAX],
                       struct field_errors *fe)
{
	bool valor_given;

	in->nome = json_input_text(o, "nome", false, NULL, fe);
	in->descricao = json_input_text(o, "descricao", true, &in->descricao_given, fe);
	json_input_dinheiro(o, "valor", valor, &valor_given, fe);
	in->valor = valor_given ? valor : NULL;
	in->tempo_given = json_input_integer_nullable(
	    o, "tempo_estimado_minutos", &in->tempo_estimado_minutos, &in->tempo_nulo, fe);
	in->ativo = json_input_bool(o, "ativo", fe);
}

static int gravar(struct request *req, enum campos_modo modo, struct field_errors *fe,
                  struct uuid *id)
{
	struct servico_campos in;
	char valor[DINHEIRO_TEXTO_MAX];

	ler_campos(req->json, &in, valor, fe);
	if (modo == CAMPOS_CRIAR)
		return criar_servico(req->app, &req->caller, &in, fe, id);
	return alterar_servico(req->app, &req->caller, id, &in, modo, fe);
}

void handle_servicos_gravar(struct request *req, struct response *res)
{
	handle_gravacao(req, res, gravar, handle_servicos_obter, SEM_CONTADOR);
}

void handle_servicos_listar(struct request *req, struct response *res)
{
	struct servico_filtro f = {0};
	struct lista lista;
	struct pagina page;
	struct field_errors fe;
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	field_errors_init(&fe);
	f.nome_parte = query_busca(req, "q", &fe);
	if (!query_sem_erros(req, res, &fe))
		return;
	rc = listar_servicos(req->app, &f, &page, &lista);
	RESPONSE_LISTA(res, req, rc, &page, &lista, struct servico, view_servico);
}

void handle_servicos_obter(struct request *req, struct response *res)
{
	struct servico s;
	int rc = obter_servico(req->app, &req->ids[0], &s);
	response_entity(res, req, rc, rc ? NULL : view_servico(&s));
}

void handle_servicos_desativar(struct request *req, struct response *res)
{
	handle_desativacao(req, res, desativar_servico);
}
