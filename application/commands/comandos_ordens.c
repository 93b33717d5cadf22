/* Commands that change service orders (application layer). */
#include "application/commands/comandos_ordens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "application/commands/comandos_estoque.h"
#include "application/commands/evento.h"
#include "application/commands/unit_of_work.h"
#include "domain/dinheiro.h"
#include "domain/errors.h"
#include "domain/heap.h"
#include "domain/texto.h"

#define MOTIVO_ACAO_MAX 500 /* code points of the reason of a refusal or a cancellation */

static bool e_cliente(const struct app_caller *who)
{
	return who && who->perfil == PERFIL_CLIENTE;
}

static const char *campo_ref(enum ordem_item_tipo tipo)
{
	return tipo == ITEM_SERVICO ? "servico_uuid" : "peca_uuid";
}

static const char *nome_ref(enum ordem_item_tipo tipo)
{
	return tipo == ITEM_SERVICO ? "serviço inexistente ou inativo"
	                            : "peça inexistente ou inativa";
}

/*
 * Checks one item as typed; prefixo is "" for a lone item or "servicos[2]." for one of a list.
 * Writes the catalogue uuid and the quantity (1 for a service without one) on success.
 */
static void validar_item(const struct ordem_item_campos *in, enum ordem_item_tipo tipo,
                         const char *prefixo, struct field_errors *fe, struct uuid *ref, int *qtd)
{
	char campo[48];

	snprintf(campo, sizeof campo, "%s%s", prefixo, campo_ref(tipo));
	if (!in->ref_uuid)
		field_errors_missing(fe, campo);
	else if (uuid_parse(in->ref_uuid, ref) != 0)
		field_errors_add(fe, campo, "identificador inválido");

	snprintf(campo, sizeof campo, "%squantidade", prefixo);
	*qtd = 1;
	if (in->quantidade_given) {
		if (ordem_quantidade_valida(in->quantidade))
			*qtd = (int)in->quantidade;
		else
			field_errors_add(fe, campo, "deve ser um número inteiro de 1 a 10000");
	} else if (tipo == ITEM_PECA) {
		field_errors_missing(fe, campo);
	}
}

/* Maps a failed add_item to the field it concerns. */
static void erro_item(int rc, enum ordem_item_tipo tipo, const char *prefixo,
                      struct field_errors *fe)
{
	char campo[48];

	if (rc == APP_ENOTFOUND) {
		snprintf(campo, sizeof campo, "%s%s", prefixo, campo_ref(tipo));
		field_errors_add(fe, campo, nome_ref(tipo));
	} else if (rc == APP_EINVALID) {
		snprintf(campo, sizeof campo, "%squantidade", prefixo);
		field_errors_add(fe, campo, "a quantidade da linha passaria de 10000");
	}
}

/* Locks order id for this transaction; another customer's order is "not found". */
static int travar(const struct app *app, const struct app_caller *who, const struct uuid *id,
                  struct ordem *o)
{
	int rc = ordem_repo_find_for_update(&app->ordens, id, o);

	if (rc == 0 && e_cliente(who) && strcmp(o->cliente_uuid.str, who->sub ? who->sub : "") != 0)
		rc = APP_ENOTFOUND;
	return rc;
}

static int recusar_estado(const struct ordem *o, struct ordem_conflito *cf)
{
	if (cf) {
		cf->estado = true;
		cf->status_atual = o->status;
	}
	return APP_ECONFLICT;
}

static int historico(const struct app *app, const struct app_caller *who, const struct ordem *o,
                     enum ordem_status status)
{
	return ordem_repo_append_historico(&app->ordens, &o->uuid, status, who ? who->sub : NULL,
	                                   who && who->perfil ? perfil_nome(who->perfil) : NULL,
	                                   who ? who->correlation_id : NULL);
}

/* Moves o to para: the state, the history row and ordem.status_alterado. */
static int mudar_status(const struct app *app, const struct app_caller *who, struct ordem *o,
                        enum ordem_status para, const char *motivo)
{
	struct evento ev;
	int rc;

	if ((rc = ordem_repo_set_status(&app->ordens, &o->uuid, para)) != 0)
		return rc;
	if ((rc = historico(app, who, o, para)) != 0)
		return rc;
	evento_init(&ev, "ordem.status_alterado", o->uuid.str, who);
	evento_texto(&ev, "uuid", o->uuid.str);
	evento_texto(&ev, "numero", o->numero);
	evento_texto(&ev, "cliente_uuid", o->cliente_uuid.str);
	evento_texto(&ev, "de", ordem_status_nome(o->status));
	evento_texto(&ev, "para", ordem_status_nome(para));
	if (motivo)
		evento_texto(&ev, "motivo", motivo);
	rc = event_outbox_append(&app->eventos, &ev);
	if (rc == 0)
		o->status = para;
	return rc;
}

int abrir_ordem(const struct app *app, const struct app_caller *who, const struct ordem_campos *in,
                struct field_errors *fe, struct uuid *out_id)
{
	struct ordem o = {0};
	struct uuid cliente_id, veiculo_id, item;
	struct uuid *servicos = NULL, *pecas = NULL;
	int *qs = NULL, *qp = NULL;
	struct cliente c;
	struct veiculo v;
	struct evento ev;
	char prefixo[32];
	int rc;

	if (!in->cliente_uuid)
		field_errors_missing(fe, "cliente_uuid");
	else if (uuid_parse(in->cliente_uuid, &cliente_id) != 0)
		field_errors_add(fe, "cliente_uuid", "identificador inválido");
	if (!in->veiculo_uuid)
		field_errors_missing(fe, "veiculo_uuid");
	else if (uuid_parse(in->veiculo_uuid, &veiculo_id) != 0)
		field_errors_add(fe, "veiculo_uuid", "identificador inválido");
	if (!ordem_descricao_valida(in->descricao))
		field_errors_add(fe, "descricao", "deve ter até 2000 caracteres");
	if (in->n_servicos > ORDEM_ITENS_ABERTURA_MAX)
		field_errors_add(fe, "servicos", "no máximo 50 itens");
	if (in->n_pecas > ORDEM_ITENS_ABERTURA_MAX)
		field_errors_add(fe, "pecas", "no máximo 50 itens");
	if (fe->count > 0)
		return APP_EINVALID;

	servicos = heap_calloc(in->n_servicos + 1, sizeof *servicos);
	pecas = heap_calloc(in->n_pecas + 1, sizeof *pecas);
	qs = heap_calloc(in->n_servicos + 1, sizeof *qs);
	qp = heap_calloc(in->n_pecas + 1, sizeof *qp);
	if (!servicos || !pecas || !qs || !qp) {
		rc = APP_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < in->n_servicos; i++) {
		snprintf(prefixo, sizeof prefixo, "servicos[%zu].", i);
		validar_item(&in->servicos[i], ITEM_SERVICO, prefixo, fe, &servicos[i], &qs[i]);
	}
	for (size_t i = 0; i < in->n_pecas; i++) {
		snprintf(prefixo, sizeof prefixo, "pecas[%zu].", i);
		validar_item(&in->pecas[i], ITEM_PECA, prefixo, fe, &pecas[i], &qp[i]);
	}
	if (fe->count > 0) {
		rc = APP_EINVALID;
		goto out;
	}

	if ((rc = transaction_begin(&app->tx)) != 0)
		goto out;
	/* Locked so that the customer cannot be deactivated while the order is being opened. */
	rc = cliente_repo_find_by_uuid(&app->clientes, &cliente_id, true, &c);
	if (rc == APP_ENOTFOUND || (rc == 0 && !c.ativo)) {
		field_errors_add(fe, "cliente_uuid", "cliente inexistente ou inativo");
		rc = 0;
	}
	if (rc == 0) {
		rc = veiculo_repo_find_by_uuid(&app->veiculos, &veiculo_id, true, &v);
		if (rc == APP_ENOTFOUND || (rc == 0 && !v.ativo)) {
			field_errors_add(fe, "veiculo_uuid", "veículo inexistente ou inativo");
			rc = 0;
		} else if (rc == 0 && !uuid_equal(&v.cliente_uuid, &cliente_id)) {
			field_errors_add(fe, "veiculo_uuid", "o veículo não pertence ao cliente");
		}
	}
	if (rc == 0 && fe->count > 0)
		rc = APP_EINVALID;

	if (rc == 0) {
		o.cliente_uuid = cliente_id;
		o.veiculo_uuid = veiculo_id;
		texto_trim(in->descricao, o.descricao, sizeof o.descricao);
		o.status = ORDEM_RECEBIDA;
		rc = ordem_repo_insert(&app->ordens, &o);
	}
	for (size_t i = 0; rc == 0 && i < in->n_servicos + in->n_pecas; i++) {
		bool servico = i < in->n_servicos;
		size_t k = servico ? i : i - in->n_servicos;
		enum ordem_item_tipo tipo = servico ? ITEM_SERVICO : ITEM_PECA;
		int r = ordem_repo_add_item(&app->ordens, &o.uuid, tipo,
		                            servico ? &servicos[k] : &pecas[k],
		                            servico ? qs[k] : qp[k], &item);
		snprintf(prefixo, sizeof prefixo, "%s[%zu].", servico ? "servicos" : "pecas", k);
		if (r == APP_ENOTFOUND || r == APP_EINVALID)
			erro_item(r, tipo, prefixo, fe);
		else
			rc = r;
	}
	if (rc == 0 && fe->count > 0)
		rc = APP_EINVALID;
	if (rc == 0)
		rc = historico(app, who, &o, ORDEM_RECEBIDA);
	if (rc == 0) {
		evento_init(&ev, "ordem.criada", o.uuid.str, who);
		evento_texto(&ev, "uuid", o.uuid.str);
		evento_texto(&ev, "numero", o.numero);
		evento_texto(&ev, "cliente_uuid", o.cliente_uuid.str);
		evento_texto(&ev, "veiculo_uuid", o.veiculo_uuid.str);
		evento_texto(&ev, "status", ordem_status_nome(o.status));
		rc = event_outbox_append(&app->eventos, &ev);
	}
	rc = uow_finish_criado(app, rc, &o.uuid, out_id);
out:
	heap_free(servicos);
	heap_free(pecas);
	heap_free(qs);
	heap_free(qp);
	return rc;
}

/*
 * Opens the transaction of a change to the items of order id: the order read and locked into *o
 * (see travar), and its items still editable in its state (else APP_ECONFLICT, cf says the
 * state). The caller ends the transaction with uow_finish whatever this returns.
 */
static int abrir_edicao_itens(const struct app *app, const struct app_caller *who,
                              const struct uuid *id, struct ordem *o, struct ordem_conflito *cf)
{
	int rc;

	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = travar(app, who, id, o);
	if (rc == 0 && !ordem_itens_editaveis(o->status))
		rc = recusar_estado(o, cf);
	return rc;
}

int adicionar_item_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                         enum ordem_item_tipo tipo, const struct ordem_item_campos *in,
                         struct field_errors *fe, struct ordem_conflito *cf, struct uuid *item_out)
{
	struct uuid ref, item;
	struct ordem o;
	int qtd, rc;

	if (e_cliente(who))
		return APP_EFORBIDDEN;
	validar_item(in, tipo, "", fe, &ref, &qtd);
	if (fe->count > 0)
		return APP_EINVALID;
	rc = abrir_edicao_itens(app, who, id, &o, cf);
	if (rc == 0) {
		rc = ordem_repo_add_item(&app->ordens, &o.uuid, tipo, &ref, qtd, &item);
		erro_item(rc, tipo, "", fe);
		if (rc == APP_ENOTFOUND)
			rc = APP_EINVALID; /* the catalogue entry, not the order */
	}
	rc = uow_finish(app, rc);
	if (rc == 0 && item_out)
		*item_out = item;
	return rc;
}

int remover_item_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                       enum ordem_item_tipo tipo, const struct uuid *item,
                       struct ordem_conflito *cf)
{
	struct ordem o;
	int rc;

	if (e_cliente(who))
		return APP_EFORBIDDEN;
	rc = abrir_edicao_itens(app, who, id, &o, cf);
	if (rc == 0)
		rc = ordem_repo_remove_item(&app->ordens, &o.uuid, tipo, item);
	return uow_finish(app, rc);
}

static void formatar(int64_t centavos, char out[DINHEIRO_TEXTO_MAX])
{
	dinheiro_format(centavos, out);
}

/* orcamento: at least one item; the budget is computed and frozen. */
static int gerar_orcamento(const struct app *app, const struct app_caller *who,
                           const struct ordem *o, struct field_errors *fe)
{
	struct ordem_itens servicos = {0}, pecas = {0};
	char vs[DINHEIRO_TEXTO_MAX], vp[DINHEIRO_TEXTO_MAX], vt[DINHEIRO_TEXTO_MAX];
	struct orcamento orc;
	struct evento ev;
	int rc;

	rc = ordem_repo_list_itens(&app->ordens, &o->uuid, ITEM_SERVICO, &servicos);
	if (rc == 0)
		rc = ordem_repo_list_itens(&app->ordens, &o->uuid, ITEM_PECA, &pecas);
	if (rc == 0 && servicos.n + pecas.n == 0) {
		field_errors_add(fe, "itens", "a ordem precisa de ao menos um serviço ou peça");
		rc = APP_EINVALID;
	}
	if (rc == 0 && orcamento_calcular(&servicos, &pecas, &orc) != 0) {
		field_errors_add(fe, "orcamento", "o valor do orçamento excede o limite");
		rc = APP_EINVALID;
	}
	if (rc == 0)
		rc = ordem_repo_save_orcamento(&app->ordens, &o->uuid, &orc);
	if (rc == 0) {
		formatar(orc.valor_servicos, vs);
		formatar(orc.valor_pecas, vp);
		formatar(orc.valor_total, vt);
		evento_init(&ev, "orcamento.gerado", o->uuid.str, who);
		evento_texto(&ev, "uuid", o->uuid.str);
		evento_texto(&ev, "numero", o->numero);
		evento_texto(&ev, "cliente_uuid", o->cliente_uuid.str);
		evento_texto(&ev, "veiculo_uuid", o->veiculo_uuid.str);
		evento_texto(&ev, "valor_servicos", vs);
		evento_texto(&ev, "valor_pecas", vp);
		evento_texto(&ev, "valor_total", vt);
		rc = event_outbox_append(&app->eventos, &ev);
	}
	ordem_itens_cleanup(&servicos);
	ordem_itens_cleanup(&pecas);
	return rc;
}

static int por_peca(const void *a, const void *b)
{
	const struct ordem_item *x = a, *y = b;
	return strcmp(x->ref_uuid.str, y->ref_uuid.str);
}

/* Appends "Nome (faltam N)" to the short-parts message. */
static void anotar_falta(char *msg, size_t n, size_t *faltando, const struct ordem_item *it,
                         int saldo)
{
	size_t len = strlen(msg);
	int falta = it->quantidade - (saldo > 0 ? saldo : 0);
	char nome[61];

	(*faltando)++;
	if (*faltando > 1)
		return; /* the first is named in full; the others are counted */
	texto_trim(it->nome, nome, sizeof nome); /* cut on a character, never inside one */
	if (falta > 0)
		snprintf(msg + len, n - len,
		         "estoque insuficiente de \"%s\": necessário %d, "
		         "disponível %d, faltam %d",
		         nome, it->quantidade, saldo > 0 ? saldo : 0, falta);
	else
		snprintf(msg + len, n - len, "estoque insuficiente de \"%s\"", nome);
}

/*
 * aprovacao: every part line leaves the stock, in uuid order (two approvals sharing parts lock
 * them in the same order and cannot deadlock). A short part does not stop the loop at once: the
 * others are tried too (a refused withdrawal changes nothing), so that the answer can say how
 * many are short; the caller rolls everything back.
 */
static int retirar_pecas(const struct app *app, const struct app_caller *who, const struct ordem *o,
                         struct field_errors *fe)
{
	struct ordem_itens pecas = {0};
	char msg[sizeof fe->items[0].mensagem] = "";
	size_t faltando = 0;
	int rc;

	rc = ordem_repo_list_itens(&app->ordens, &o->uuid, ITEM_PECA, &pecas);
	if (rc == 0 && pecas.n > 1)
		qsort(pecas.itens, pecas.n, sizeof *pecas.itens, por_peca);
	for (size_t i = 0; rc == 0 && i < pecas.n; i++) {
		const struct ordem_item *it = &pecas.itens[i];
		struct peca p;
		int r = retirar_estoque_na_transacao(app, who, &it->ref_uuid, it->quantidade,
		                                     &o->uuid, NULL, NULL);
		if (r == APP_ECONFLICT) {
			/* The balance now, read in this transaction (the part is not locked). */
			int saldo =
			    peca_repo_find_by_uuid(&app->pecas, &it->ref_uuid, false, &p) == 0
			        ? p.quantidade_estoque
			        : it->estoque;
			anotar_falta(msg, sizeof msg, &faltando, it, saldo);
		} else if (r == APP_ENOTFOUND) {
			anotar_falta(msg, sizeof msg, &faltando, it, 0);
		} else {
			rc = r;
		}
	}
	if (rc == 0 && faltando > 0) {
		if (faltando > 1) {
			size_t len = strlen(msg);
			snprintf(msg + len, sizeof msg - len, " (e mais %zu peças)", faltando - 1);
		}
		field_errors_add(fe, "pecas", msg);
		rc = APP_ECONFLICT;
	}
	ordem_itens_cleanup(&pecas);
	return rc;
}

static int decisao_evento(const struct app *app, const struct app_caller *who,
                          const struct ordem *o, enum orcamento_decisao d, const char *motivo)
{
	char vt[DINHEIRO_TEXTO_MAX];
	struct evento ev;
	int rc = ordem_repo_save_decisao(&app->ordens, &o->uuid, d);

	if (rc != 0)
		return rc;
	evento_init(&ev, d == DECISAO_APROVADO ? "orcamento.aprovado" : "orcamento.reprovado",
	            o->uuid.str, who);
	evento_texto(&ev, "uuid", o->uuid.str);
	evento_texto(&ev, "numero", o->numero);
	evento_texto(&ev, "cliente_uuid", o->cliente_uuid.str);
	if (o->tem_orcamento) {
		formatar(o->orcamento.valor_total, vt);
		evento_texto(&ev, "valor_total", vt);
	}
	if (d == DECISAO_REPROVADO)
		evento_texto(&ev, "motivo", motivo);
	evento_texto(&ev, "por", who ? who->sub : NULL);
	return event_outbox_append(&app->eventos, &ev);
}

/* Runs acao on the locked order o inside the open transaction. */
static int aplicar(const struct app *app, const struct app_caller *who, struct ordem *o,
                   enum ordem_acao acao, const char *motivo, struct field_errors *fe,
                   struct ordem_conflito *cf)
{
	enum ordem_status para = ordem_transicao(o->status, acao);
	int rc = 0;

	if (para == ORDEM_STATUS_INVALIDO)
		return recusar_estado(o, cf);
	switch (acao) {
	case ACAO_ORCAMENTO:
		rc = gerar_orcamento(app, who, o, fe);
		break;
	case ACAO_APROVACAO:
		rc = retirar_pecas(app, who, o, fe);
		if (rc == 0)
			rc = decisao_evento(app, who, o, DECISAO_APROVADO, NULL);
		break;
	case ACAO_REPROVACAO:
		rc = decisao_evento(app, who, o, DECISAO_REPROVADO, motivo);
		break;
	default:
		break;
	}
	if (rc == 0)
		rc = mudar_status(app, who, o, para, motivo);
	return rc;
}

static bool motivo_valido(const char *motivo, struct field_errors *fe)
{
	if (!motivo || texto_tamanho_valido(motivo, 0, MOTIVO_ACAO_MAX))
		return true;
	field_errors_add(fe, "motivo", "deve ter até 500 caracteres");
	return false;
}

int executar_acao_ordem(const struct app *app, const struct app_caller *who, const struct uuid *id,
                        enum ordem_acao acao, const char *motivo, struct field_errors *fe,
                        struct ordem_conflito *cf)
{
	struct ordem o;
	int rc;

	if (acao < 0 || acao >= ACAO_COUNT)
		return APP_EINVALID;
	if (e_cliente(who) && acao != ACAO_APROVACAO && acao != ACAO_REPROVACAO)
		return APP_EFORBIDDEN;
	if (!motivo_valido(motivo, fe))
		return APP_EINVALID;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = travar(app, who, id, &o);
	if (rc == 0)
		rc = aplicar(app, who, &o, acao, motivo, fe, cf);
	return uow_finish(app, rc);
}

int decidir_orcamento_ordem(const struct app *app, const struct app_caller *who,
                            const struct uuid *id, enum orcamento_decisao decisao,
                            struct field_errors *fe, struct ordem_conflito *cf)
{
	enum ordem_acao acao = decisao == DECISAO_APROVADO ? ACAO_APROVACAO : ACAO_REPROVACAO;
	struct ordem o;
	int rc;

	if (decisao != DECISAO_APROVADO && decisao != DECISAO_REPROVADO)
		return APP_EINVALID;
	if ((rc = transaction_begin(&app->tx)) != 0)
		return rc;
	rc = travar(app, who, id, &o);
	if (rc == 0 && o.decisao == decisao) {
		transaction_rollback(&app->tx); /* already applied: nothing to do */
		return 0;
	}
	if (rc == 0 && o.decisao != DECISAO_NENHUMA)
		rc = recusar_estado(&o, cf);
	if (rc == 0)
		rc = aplicar(app, who, &o, acao, NULL, fe, cf);
	return uow_finish(app, rc);
}
