/*
 * /api/ordens: service orders over HTTP (presentation layer): opening, items, the actions of the
 * state machine, the generic PATCH .../status, and the reads. A customer's token ("cliente")
 * reaches only the customer's own orders: the read model filters by owner and the commands hide
 * another customer's order (404 either way, never 403, so that its existence is not revealed).
 */
#include <stdio.h>
#include <string.h>

#include "application/commands/comandos_ordens.h"
#include "application/queries/consultas_ordens.h"
#include "domain/errors.h"
#include "domain/placa.h"
#include "domain/usuario.h"
#include "presentation/http/handler_support.h"
#include "presentation/http/handlers.h"
#include "presentation/http/json_input.h"
#include "presentation/http/ordens_http.h"
#include "presentation/http/metrics.h"
#include "presentation/http/response.h"
#include "presentation/http/router.h"
#include "presentation/http/views.h"

void ordens_responder(struct request *req, struct response *res, const struct uuid *id)
{
	struct ordem_detalhe d;
	int rc;

	if ((rc = obter_ordem(req->app, &req->caller, id, &d)) != 0) {
		response_error(res, req, rc, NULL);
		return;
	}
	response_data(res, 200, view_ordem(&d));
	ordem_detalhe_cleanup(&d);
}

void ordens_responder_erro(struct request *req, struct response *res, int rc,
                           const struct field_errors *fe, const struct ordem_conflito *cf)
{
	enum ordem_status permitidas[ORDEM_STATUS_COUNT];
	char detail[160];

	if (rc == APP_ECONFLICT && cf && cf->estado) {
		size_t n = ordem_transicoes_permitidas(cf->status_atual, permitidas);
		json_t *lista = json_array();
		for (size_t i = 0; i < n && lista; i++)
			view_append(&lista, json_string(ordem_status_nome(permitidas[i])));
		snprintf(detail, sizeof detail, "a ordem está em %s e não permite esta operação",
		         ordem_status_nome(cf->status_atual));
		response_problem_extra(res, req, 409, detail, NULL,
		                       json_pack("{s:s, s:o}", "status_atual",
		                                 ordem_status_nome(cf->status_atual),
		                                 "transicoes_permitidas", lista));
	} else if (rc == APP_ECONFLICT && fe && field_errors_has(fe, "pecas")) {
		response_problem(res, req, 409, "estoque insuficiente para aprovar a ordem", fe);
	} else {
		response_error(res, req, rc, fe);
	}
}

void ordens_responder_comando(struct request *req, struct response *res, int rc,
                              const struct field_errors *fe, const struct ordem_conflito *cf,
                              const struct uuid *id)
{
	if (rc != 0)
		ordens_responder_erro(req, res, rc, fe, cf);
	else
		ordens_responder(req, res, id);
}

/* Reads {servico_uuid|peca_uuid, quantidade} of one item object. */
static void ler_item(json_t *o, enum ordem_item_tipo tipo, const char *prefixo,
                     struct ordem_item_campos *in, struct field_errors *fe)
{
	struct field_errors local;
	const char *ref = tipo == ITEM_SERVICO ? "servico_uuid" : "peca_uuid";

	/* Type errors are recorded under the item's own path ("pecas[0].quantidade"). */
	field_errors_init(&local);
	in->ref_uuid = json_input_text(o, ref, false, NULL, &local);
	in->quantidade_given = json_input_integer(o, "quantidade", &in->quantidade, &local);
	for (size_t i = 0; i < local.count; i++) {
		char campo[48];
		snprintf(campo, sizeof campo, "%s%s", prefixo, local.items[i].campo);
		field_errors_add(fe, campo, local.items[i].mensagem);
	}
}

/* Reads an optional array of items; *n stays 0 when absent. */
static void ler_itens(json_t *body, const char *campo, enum ordem_item_tipo tipo,
                      struct ordem_item_campos *out, size_t *n, struct field_errors *fe)
{
	json_t *arr = json_object_get(body, campo), *v;
	char prefixo[32];
	size_t i;

	*n = 0;
	if (!arr || json_is_null(arr))
		return;
	if (!json_is_array(arr)) {
		field_errors_add(fe, campo, "deve ser uma lista");
		return;
	}
	if (json_array_size(arr) > ORDEM_ITENS_ABERTURA_MAX) {
		field_errors_add(fe, campo, "no máximo 50 itens");
		return;
	}
	json_array_foreach(arr, i, v)
	{
		snprintf(prefixo, sizeof prefixo, "%s[%zu].", campo, i);
		memset(&out[i], 0, sizeof out[i]);
		if (!json_is_object(v)) {
			snprintf(prefixo, sizeof prefixo, "%s[%zu]", campo, i);
			field_errors_add(fe, prefixo, "deve ser um objeto");
			continue;
		}
		ler_item(v, tipo, prefixo, &out[i], fe);
	}
	*n = json_array_size(arr);
}

void handle_ordens_criar(struct request *req, struct response *res)
{
	struct ordem_item_campos servicos[ORDEM_ITENS_ABERTURA_MAX],
	    pecas[ORDEM_ITENS_ABERTURA_MAX];
	struct ordem_campos in = {0};
	struct field_errors fe;
	struct uuid id;
	int rc;

	field_errors_init(&fe);
	in.cliente_uuid = json_input_text(req->json, "cliente_uuid", false, NULL, &fe);
	in.veiculo_uuid = json_input_text(req->json, "veiculo_uuid", false, NULL, &fe);
	in.descricao = json_input_text(req->json, "descricao", true, NULL, &fe);
	ler_itens(req->json, "servicos", ITEM_SERVICO, servicos, &in.n_servicos, &fe);
	ler_itens(req->json, "pecas", ITEM_PECA, pecas, &in.n_pecas, &fe);
	in.servicos = servicos;
	in.pecas = pecas;
	/* Fields with type errors were recorded already; abrir_ordem adds the rest. */
	rc = abrir_ordem(req->app, &req->caller, &in, &fe, &id);
	if (rc != 0) {
		response_error(res, req, rc, &fe);
		return;
	}
	metrics_count(BUSINESS_ORDENS_CRIADAS);
	ordens_responder(req, res, &id);
	response_as_created(res, req->path, id.str); /* POST /api/ordens */
}

/* ?status=A,B into a mask; false when a name is not a state. */
static bool filtro_status(const char *texto, unsigned *mask)
{
	char buf[256], *save = NULL;

	*mask = 0;
	if (strlen(texto) >= sizeof buf)
		return false;
	memcpy(buf, texto, strlen(texto) + 1);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		enum ordem_status s = ordem_status_parse(t);
		if (s == ORDEM_STATUS_INVALIDO)
			return false;
		*mask |= 1u << s;
	}
	return *mask != 0;
}

void handle_ordens_listar(struct request *req, struct response *res)
{
	struct ordem_filtro f = {0};
	struct lista lista;
	struct field_errors fe;
	struct pagina page;
	struct uuid cliente;
	char placa[PLACA_MAX];
	int rc;

	if (!query_pagina(req, res, &page))
		return;
	field_errors_init(&fe);
	const char *status = query_param(req, "status");
	if (status && !filtro_status(status, &f.status_mask))
		field_errors_add(&fe, "status", "use estados separados por vírgula, como RECEBIDA");
	f.cliente_uuid = query_uuid(req, "cliente_uuid", &cliente, &fe);
	f.placa = query_placa(req, "placa", placa, &fe);
	if (!query_sem_erros(req, res, &fe))
		return;
	rc = listar_ordens(req->app, &req->caller, &f, &page, &lista);
	RESPONSE_LISTA(res, req, rc, &page, &lista, struct ordem_resumo, view_ordem_resumo);
}

void handle_ordens_obter(struct request *req, struct response *res)
{
	ordens_responder(req, res, &req->ids[0]);
}

void handle_ordens_status(struct request *req, struct response *res)
{
	struct ordem_status_atual s;
	int rc;

	if ((rc = obter_status_ordem(req->app, &req->caller, &req->ids[0], &s)) != 0)
		response_error(res, req, rc, NULL);
	else
		response_data(res, 200, view_ordem_status(&s));
}

void handle_ordens_historico(struct request *req, struct response *res)
{
	struct ordem_historico_lista h;
	int rc;

	if ((rc = obter_historico_ordem(req->app, &req->caller, &req->ids[0], &h)) != 0) {
		response_error(res, req, rc, NULL);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < h.n && items; i++)
		view_append(&items, view_ordem_historico(&h.itens[i]));
	response_data(res, 200, items);
	ordem_historico_lista_cleanup(&h);
}

/* POST /api/ordens/{uuid}/<action>: the action is the route row's arg. */
void handle_ordens_acao(struct request *req, struct response *res)
{
	enum ordem_acao a = (enum ordem_acao)req->route->arg;
	struct ordem_conflito cf = {0};
	struct field_errors fe;
	struct uuid id;
	int rc;

	field_errors_init(&fe);
	id = req->ids[0];
	/* The optional {motivo}: the pipeline checked its content type and parsed it (req->json).
	 */
	const char *motivo =
	    req->json ? json_input_text(req->json, "motivo", true, NULL, &fe) : NULL;
	if (fe.count)
		rc = APP_EINVALID;
	else
		rc = executar_acao_ordem(req->app, &req->caller, &id, a, motivo, &fe, &cf);
	ordens_responder_comando(req, res, rc, &fe, &cf, &id);
}

/* Who may run action a: the roles of its route (routes.c), the one place that says so. */
static unsigned perfis_da_acao(enum ordem_acao a)
{
	for (size_t i = 0; i < routes_count; i++)
		if (routes[i].handler == handle_ordens_acao && routes[i].arg == (int)a)
			return routes[i].perfis;
	return 0;
}

void handle_ordens_alterar_status(struct request *req, struct response *res)
{
	struct ordem_conflito cf = {0};
	struct ordem_status_atual atual;
	struct field_errors fe;
	struct uuid id;
	enum ordem_status para = ORDEM_STATUS_INVALIDO;
	int rc;

	id = req->ids[0];
	field_errors_init(&fe);
	const char *nome = json_input_text(req->json, "status", false, NULL, &fe);
	if (nome && (para = ordem_status_parse(nome)) == ORDEM_STATUS_INVALIDO)
		field_errors_add(&fe, "status", "estado desconhecido");
	else if (!nome)
		field_errors_missing(&fe, "status");
	if (fe.count) {
		response_error(res, req, APP_EINVALID, &fe);
		return;
	}
	/* The action is found from the current state; the command checks it again under lock. */
	if ((rc = obter_status_ordem(req->app, &req->caller, &id, &atual)) != 0) {
		response_error(res, req, rc, NULL);
		return;
	}
	enum ordem_acao a = ordem_acao_para(atual.status, para);
	if (a == ACAO_INVALIDA) {
		cf = (struct ordem_conflito){.estado = true, .status_atual = atual.status};
		ordens_responder_erro(req, res, APP_ECONFLICT, NULL, &cf);
		return;
	}
	if (!(req->caller.perfil & perfis_da_acao(a))) {
		response_error(res, req, APP_EFORBIDDEN, NULL);
		return;
	}
	rc = executar_acao_ordem(req->app, &req->caller, &id, a, NULL, &fe, &cf);
	ordens_responder_comando(req, res, rc, &fe, &cf, &id);
}

/* POST /api/ordens/{uuid}/servicos or /pecas: the kind of item is the route row's arg. */
void handle_ordens_item_adicionar(struct request *req, struct response *res)
{
	enum ordem_item_tipo tipo = (enum ordem_item_tipo)req->route->arg;
	struct ordem_conflito cf = {0};
	struct ordem_item_campos in;
	struct field_errors fe;
	struct uuid id;
	int rc;

	id = req->ids[0];
	field_errors_init(&fe);
	ler_item(req->json, tipo, "", &in, &fe);
	if (fe.count)
		rc = APP_EINVALID;
	else
		rc = adicionar_item_ordem(req->app, &req->caller, &id, tipo, &in, &fe, &cf, NULL);
	/* 200, not 201: the same entry again grows its line, and the answer is the order. */
	ordens_responder_comando(req, res, rc, &fe, &cf, &id);
}

void handle_ordens_item_remover(struct request *req, struct response *res)
{
	enum ordem_item_tipo tipo = (enum ordem_item_tipo)req->route->arg;
	struct ordem_conflito cf = {0};
	struct uuid id, item;
	int rc;

	id = req->ids[0];
	item = req->ids[1];
	rc = remover_item_ordem(req->app, &req->caller, &id, tipo, &item, &cf);
	ordens_responder_comando(req, res, rc, NULL, &cf, &id);
}
