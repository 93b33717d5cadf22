/* Entities rendered as JSON objects (presentation layer). */
#include "presentation/http/views.h"

#include "domain/dinheiro.h"

/* A string, or null for "" (an optional value that is absent). */
static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

json_t *view_cliente(const struct cliente *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s, s:s}", "uuid", c->uuid.str,
	                 "nome", c->nome, "documento", c->documento, "tipo_documento",
	                 tipo_documento_nome(c->tipo_documento), "email", text_or_null(c->email),
	                 "telefone", text_or_null(c->telefone), "ativo", c->ativo, "criado_em",
	                 c->criado_em, "atualizado_em", c->atualizado_em);
}

json_t *view_veiculo(const struct veiculo *v)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:b, s:s, s:s}", "uuid", v->uuid.str,
	                 "cliente_uuid", v->cliente_uuid.str, "placa", v->placa, "marca", v->marca,
	                 "modelo", v->modelo, "ano", v->ano, "cor", text_or_null(v->cor), "ativo",
	                 v->ativo, "criado_em", v->criado_em, "atualizado_em", v->atualizado_em);
}

json_t *view_usuario(const struct usuario *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "uuid", u->uuid.str, "nome",
	                 u->nome, "email", u->email, "perfil", perfil_nome(u->perfil), "ativo",
	                 u->ativo, "criado_em", u->criado_em, "atualizado_em", u->atualizado_em);
}

/* Money as the API writes it: "150.00". */
static json_t *dinheiro_json(int64_t centavos)
{
	char texto[DINHEIRO_TEXTO_MAX];
	dinheiro_format(centavos, texto);
	return json_string(texto);
}

json_t *view_servico(const struct servico *s)
{
	return json_pack(
	    "{s:s, s:s, s:o, s:o, s:o, s:b, s:s, s:s}", "uuid", s->uuid.str, "nome", s->nome,
	    "descricao", text_or_null(s->descricao), "valor", dinheiro_json(s->valor_centavos),
	    "tempo_estimado_minutos",
	    s->tempo_estimado_minutos > 0 ? json_integer(s->tempo_estimado_minutos) : json_null(),
	    "ativo", s->ativo, "criado_em", s->criado_em, "atualizado_em", s->atualizado_em);
}

json_t *view_peca(const struct peca *p)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:i, s:i, s:b, s:s, s:s}", "uuid", p->uuid.str,
	                 "nome", p->nome, "codigo", text_or_null(p->codigo), "tipo",
	                 tipo_peca_nome(p->tipo), "valor", dinheiro_json(p->valor_centavos),
	                 "quantidade_estoque", p->quantidade_estoque, "estoque_minimo",
	                 p->estoque_minimo, "ativo", p->ativo, "criado_em", p->criado_em,
	                 "atualizado_em", p->atualizado_em);
}

json_t *view_movimento(const struct movimento *m)
{
	return json_pack("{s:s, s:i, s:s, s:i, s:o, s:s}", "uuid", m->uuid.str, "quantidade",
	                 m->quantidade, "motivo", m->motivo, "saldo", m->saldo, "ordem_uuid",
	                 text_or_null(m->ordem_uuid.str), "criado_em", m->criado_em);
}

/* ---- service orders ---- */
#include "domain/dinheiro.h"

static json_t *ordem_dinheiro_json(int64_t centavos)
{
	char texto[DINHEIRO_TEXTO_MAX];
	dinheiro_format(centavos, texto);
	return json_string(texto);
}

void view_append(json_t **array, json_t *item)
{
	if (*array && json_array_append_new(*array, item) == 0)
		return;
	if (!*array)
		json_decref(item);
	json_decref(*array);
	*array = NULL;
}

static json_t *view_ordem_itens(const struct ordem_itens *l, const char *ref)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n && a; i++) {
		const struct ordem_item *it = &l->itens[i];
		/* Both factors are bounded (quantity 1e4, price 1e11): no overflow. */
		int64_t total = (int64_t)it->quantidade * it->valor_unitario;
		view_append(&a, json_pack("{s:s, s:s, s:s, s:i, s:o, s:o}", "uuid", it->uuid.str,
		                          ref, it->ref_uuid.str, "nome", it->nome, "quantidade",
		                          it->quantidade, "valor_unitario",
		                          ordem_dinheiro_json(it->valor_unitario), "valor_total",
		                          ordem_dinheiro_json(total)));
	}
	return a;
}

static json_t *view_orcamento(const struct ordem *o)
{
	if (!o->tem_orcamento)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "valor_servicos",
	                 ordem_dinheiro_json(o->orcamento.valor_servicos), "valor_pecas",
	                 ordem_dinheiro_json(o->orcamento.valor_pecas), "valor_total",
	                 ordem_dinheiro_json(o->orcamento.valor_total), "gerado_em",
	                 text_or_null(o->orcamento_gerado_em), "decidido_em",
	                 text_or_null(o->orcamento_decidido_em), "decisao",
	                 text_or_null(orcamento_decisao_nome(o->decisao)));
}

json_t *view_ordem_historico(const struct ordem_historico_item *h)
{
	return json_pack("{s:s, s:s, s:o}", "status", ordem_status_nome(h->status), "em", h->em,
	                 "por", text_or_null(h->por));
}

json_t *view_ordem(const struct ordem_detalhe *d)
{
	const struct ordem *o = &d->ordem;
	json_t *historico = json_array();

	for (size_t i = 0; i < d->n_historico && historico; i++)
		view_append(&historico, view_ordem_historico(&d->historico[i]));
	return json_pack(
	    "{s:s, s:s, s:s, s:o, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:i}, s:o, s:o, s:o, "
	    "s:o, s:s, s:s}",
	    "uuid", o->uuid.str, "numero", o->numero, "status", ordem_status_nome(o->status),
	    "descricao", text_or_null(o->descricao), "cliente", "uuid", o->cliente_uuid.str, "nome",
	    d->cliente_nome, "documento", d->cliente_documento, "veiculo", "uuid",
	    o->veiculo_uuid.str, "placa", d->placa, "marca", d->marca, "modelo", d->modelo, "ano",
	    d->ano, "servicos", view_ordem_itens(&d->servicos, "servico_uuid"), "pecas",
	    view_ordem_itens(&d->pecas, "peca_uuid"), "orcamento", view_orcamento(o), "historico",
	    historico, "criada_em", o->criada_em, "atualizada_em", o->atualizada_em);
}

json_t *view_ordem_resumo(const struct ordem_resumo *o)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:o, s:s, s:s}", "uuid",
	                 o->uuid.str, "numero", o->numero, "status", ordem_status_nome(o->status),
	                 "cliente", "uuid", o->cliente_uuid.str, "nome", o->cliente_nome, "veiculo",
	                 "uuid", o->veiculo_uuid.str, "placa", o->placa, "valor_total",
	                 o->tem_orcamento ? ordem_dinheiro_json(o->valor_total) : json_null(),
	                 "criada_em", o->criada_em, "atualizada_em", o->atualizada_em);
}

json_t *view_ordem_status(const struct ordem_status_atual *s)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "uuid", s->uuid.str, "numero", s->numero, "status",
	                 ordem_status_nome(s->status), "atualizada_em", s->atualizada_em);
}
