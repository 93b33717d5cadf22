/*
 * /api/pecas and /api/pecas/{uuid}/movimentos: parts, supplies and their stock ledger over HTTP
 * (presentation layer).
 */
#include <stdio.h>
#include <string.h>

#include "application/commands/comandos_catalogo.h"
#include "application/commands/comandos_estoque.h"
#include "application/queries/consultas_catalogo.h"
#include "domain/errors.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/response.h"
#include "presentation/http/views.h"

/* valor is caller storage that in->valor points into. */
static void ler_campos(json_t *o, struct peca_campos *in, char valor[DINHEIRO_TEXTO_MAX],
                       struct field_errors *fe)
{
	bool valor_given;

	in->nome = json_input_text(o, "nome", false, NULL, fe);
	in->codigo = json_input_text(o, "codigo", true, &in->codigo_given, fe);
	in->tipo = json_input_text(o, "tipo", false, NULL, fe);
	json_input_dinheiro(o, "valor", valor, &valor_given, fe);
	in->valor = valor_given ? valor : NULL;
	in->quantidade_given =
	    json_input_integer(o, "quantidade_estoque", &in->quantidade_estoque, fe);
	in->estoque_minimo_given = json_input_integer_nullable(
	    o, "estoque_minimo", &in->estoque_minimo, &in->estoque_minimo_nulo, fe);
	in->ativo = json_input_bool(o, "ativo", fe);
}

static int gravar(struct request *req, enum campos_modo modo, struct field_errors *fe,
                  struct uuid *id)
{
	struct peca_campos in;
	char valor[DINHEIRO_TEXTO_MAX];

	ler_campos(req->json, &in, valor, fe);
	if (modo == CAMPOS_CRIAR)
		return criar_peca(req->app, &req->caller, &in, fe, id);
	return alterar_peca(req->app, &req->caller, id, &in, modo, fe);
}

void handle_pecas_gravar(struct request *req, struct response *res)
{
	handle_gravacao(req, res, gravar, handle_pecas_obter, SEM_CONTADOR);
}

/* A boolean query parameter: -1 when absent, 0 or 1; -2 for anything but "true" or "false". */
static int query_bool(const char *v)
{
	if (!v)
		return -1;
	if (strcmp(v, "true") == 0)
		return 1;
	if (strcmp(v, "false") == 0)
		return 0;
	return -2;
}

void handle_pecas_listar(struct request *req, struct response *res)
{
	struct peca_filtro f = {.abaixo_do_minimo = -1, .tipo = -1};
	struct lista lista;
	struct pagina page;
	struct field_errors fe;
	enum tipo_peca tipo;
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	field_errors_init(&fe);
	const char *abaixo = query_param(req, "abaixo_do_minimo");
	const char *t = query_param(req, "tipo");
	if ((f.abaixo_do_minimo = query_bool(abaixo)) == -2)
		field_errors_add(&fe, "abaixo_do_minimo", "deve ser true ou false");
	if (t && tipo_peca_parse(t, &tipo) != 0)
		field_errors_add(&fe, "tipo", "deve ser PECA ou INSUMO");
	else if (t)
		f.tipo = (int)tipo;
	f.nome_parte = query_busca(req, "q", &fe);
	if (!query_sem_erros(req, res, &fe))
		return;
	rc = listar_pecas(req->app, &f, &page, &lista);
	RESPONSE_LISTA(res, req, rc, &page, &lista, struct peca, view_peca);
}

void handle_pecas_obter(struct request *req, struct response *res)
{
	struct peca p;
	int rc = obter_peca(req->app, &req->ids[0], &p);
	response_entity(res, req, rc, rc ? NULL : view_peca(&p));
}

void handle_pecas_desativar(struct request *req, struct response *res)
{
	handle_desativacao(req, res, desativar_peca);
}

void handle_pecas_movimentar(struct request *req, struct response *res)
{
	struct field_errors fe;
	struct movimento m;
	struct uuid id;
	char colecao[96];
	long quantidade = 0;
	int rc;

	id = req->ids[0];
	field_errors_init(&fe);
	bool quantidade_given = json_input_integer(req->json, "quantidade", &quantidade, &fe);
	const char *motivo = json_input_text(req->json, "motivo", false, NULL, &fe);
	rc = movimentar_estoque(req->app, &req->caller, &id, quantidade_given, quantidade, motivo,
	                        &fe, &m);
	if (rc == APP_ECONFLICT) {
		/* The detail names the part and its balance; nothing changed. */
		response_problem(res, req, 409, fe.count ? fe.items[0].mensagem : NULL, &fe);
		return;
	}
	if (rc != 0) {
		response_error(res, req, rc, &fe);
		return;
	}
	/* From the parsed uuid: the path keeps it as typed (upper case is accepted). */
	snprintf(colecao, sizeof colecao, "/api/pecas/%s/movimentos", id.str);
	response_created(res, colecao, m.uuid.str, view_movimento(&m));
}

void handle_pecas_movimentos(struct request *req, struct response *res)
{
	struct lista lista;
	struct pagina page;
	struct uuid id;
	int rc;

	id = req->ids[0];
	if (!query_pagina(req, res, &page))
		return;
	rc = listar_movimentos(req->app, &id, &page, &lista);
	RESPONSE_LISTA(res, req, rc, &page, &lista, struct movimento, view_movimento);
}

void handle_pecas_movimento_obter(struct request *req, struct response *res)
{
	struct movimento m;
	struct uuid peca, id;
	int rc;

	peca = req->ids[0];
	id = req->ids[1];
	if ((rc = obter_movimento(req->app, &peca, &id, &m)) != 0)
		response_error(res, req, rc, NULL);
	else
		response_data(res, 200, view_movimento(&m));
}
