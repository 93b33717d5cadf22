/* In-memory service orders: the ordem_repo and ordem_consultas ports for unit tests (tests/fakes).
 */
#include "tests/fakes/mem_ordem_repo.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fakes/fake_clock.h"

/* ---- the three tables as one member of the transaction ---- */

static int snapshot(void *self)
{
	struct mem_ordem_repo *m = self;
	int rc;

	if ((rc = mem_table_snapshot(&m->ordens)) != 0)
		return rc;
	if ((rc = mem_table_snapshot(&m->itens)) != 0) {
		mem_table_release(&m->ordens);
		return rc;
	}
	if ((rc = mem_table_snapshot(&m->historico)) != 0) {
		mem_table_release(&m->itens);
		mem_table_release(&m->ordens);
		return rc;
	}
	return 0;
}

static void restore(void *self)
{
	struct mem_ordem_repo *m = self;

	mem_table_restore(&m->ordens);
	mem_table_restore(&m->itens);
	mem_table_restore(&m->historico);
}

static void release(void *self)
{
	struct mem_ordem_repo *m = self;

	mem_table_release(&m->ordens);
	mem_table_release(&m->itens);
	mem_table_release(&m->historico);
}

void mem_ordem_repo_init(struct mem_ordem_repo *m, struct mem_transaction *tx,
                         const struct mem_catalogo *catalogo,
                         const struct mem_cliente_repo *clientes,
                         const struct mem_veiculo_repo *veiculos, time_t (*agora)(void))
{
	memset(m, 0, sizeof *m);
	mem_table_init(&m->ordens, sizeof(struct ordem));
	mem_table_init(&m->itens, sizeof(struct mem_ordem_item));
	mem_table_init(&m->historico, sizeof(struct mem_ordem_historico));
	m->tx = tx;
	m->catalogo = catalogo;
	m->clientes = clientes;
	m->veiculos = veiculos;
	m->agora = agora;
	if (tx) {
		struct mem_tx_member member = {snapshot, restore, release, m};
		mem_transaction_enlist(tx, &member);
	}
}

void mem_ordem_repo_cleanup(struct mem_ordem_repo *m)
{
	if (!m)
		return;
	mem_table_cleanup(&m->ordens);
	mem_table_cleanup(&m->itens);
	mem_table_cleanup(&m->historico);
}

/* ---- lookups ---- */

static struct ordem *ordem_row(const struct mem_ordem_repo *m, const char *uuid)
{
	return mem_table_find_uuid(&m->ordens, offsetof(struct ordem, uuid), uuid);
}

static struct mem_ordem_item *item_row(const struct mem_ordem_repo *m, size_t i)
{
	return mem_table_at(&m->itens, i);
}

static bool item_de(const struct mem_ordem_item *r, const char *ordem, enum ordem_item_tipo tipo)
{
	return r->tipo == tipo && strcmp(r->ordem_uuid.str, ordem) == 0;
}

static struct mem_ordem_item *linha_de(const struct mem_ordem_repo *m, const char *ordem,
                                       enum ordem_item_tipo tipo, const char *ref)
{
	for (size_t i = 0; i < m->itens.n; i++) {
		struct mem_ordem_item *r = item_row(m, i);
		if (item_de(r, ordem, tipo) && strcmp(r->item.ref_uuid.str, ref) == 0)
			return r;
	}
	return NULL;
}

const struct ordem *mem_ordem_repo_get(const struct mem_ordem_repo *m, const char *uuid)
{
	return ordem_row(m, uuid);
}

size_t mem_ordem_repo_n_itens(const struct mem_ordem_repo *m, const char *uuid,
                              enum ordem_item_tipo tipo)
{
	size_t n = 0;
	for (size_t i = 0; i < m->itens.n; i++)
		if (item_de(item_row(m, i), uuid, tipo))
			n++;
	return n;
}

const struct ordem_item *mem_ordem_repo_item(const struct mem_ordem_repo *m, const char *uuid,
                                             enum ordem_item_tipo tipo, const char *ref)
{
	const struct mem_ordem_item *r = linha_de(m, uuid, tipo, ref);
	return r ? &r->item : NULL;
}

size_t mem_ordem_repo_n_historico(const struct mem_ordem_repo *m, const char *uuid)
{
	size_t n = 0;
	for (size_t i = 0; i < m->historico.n; i++) {
		const struct mem_ordem_historico *h = mem_table_at(&m->historico, i);
		if (strcmp(h->ordem_uuid.str, uuid) == 0)
			n++;
	}
	return n;
}

const struct mem_ordem_historico *mem_ordem_repo_historico(const struct mem_ordem_repo *m,
                                                           const char *uuid, size_t i)
{
	for (size_t k = 0; k < m->historico.n; k++) {
		const struct mem_ordem_historico *h = mem_table_at(&m->historico, k);
		if (strcmp(h->ordem_uuid.str, uuid) == 0 && i-- == 0)
			return h;
	}
	return NULL;
}

/* The active catalogue entry ref (name and price into *nome / *valor), as the SELECT ... AND ativo.
 */
static bool catalogo_ativo(const struct mem_catalogo *c, enum ordem_item_tipo tipo, const char *ref,
                           const char **nome, int64_t *valor)
{
	if (tipo == ITEM_SERVICO) {
		const struct servico *s =
		    mem_table_find_uuid(&c->servicos, offsetof(struct servico, uuid), ref);
		if (!s || !s->ativo)
			return false;
		*nome = s->nome;
		*valor = s->valor_centavos;
		return true;
	}
	const struct peca *p = mem_catalogo_peca(c, ref);
	if (!p || !p->ativo)
		return false;
	*nome = p->nome;
	*valor = p->valor_centavos;
	return true;
}

/* ---- common ---- */

static int enter(struct mem_ordem_repo *m)
{
	m->calls++;
	return fake_fault_hit(&m->fault);
}

static void note_write(struct mem_ordem_repo *m)
{
	if (m->tx && !m->tx->open)
		m->writes_outside_tx++;
}

static void agora_txt(const struct mem_ordem_repo *m, char out[TIMESTAMP_BYTES])
{
	fake_rfc3339(m->agora(), out);
}

static void copiar(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* ---- ordem_repo ---- */

static int insert(void *self, struct ordem *o)
{
	struct mem_ordem_repo *m = self;
	struct ordem nova;
	time_t t;
	struct tm tm;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	t = m->agora();
	gmtime_r(&t, &tm);
	memset(&nova, 0, sizeof nova);
	nova.cliente_uuid = o->cliente_uuid;
	nova.veiculo_uuid = o->veiculo_uuid;
	memcpy(nova.descricao, o->descricao, sizeof nova.descricao);
	nova.status = ORDEM_RECEBIDA;
	nova.decisao = DECISAO_NENHUMA;
	/* nextval() happens before the insert and is never given back. */
	snprintf(nova.numero, sizeof nova.numero, "OS-%04d-%06lu", tm.tm_year + 1900,
	         ++m->numero_seq);
	mem_uuid_make(MEM_ORDEM_UUID_KIND, ++m->serial, &nova.uuid);
	agora_txt(m, nova.criada_em);
	memcpy(nova.atualizada_em, nova.criada_em, sizeof nova.atualizada_em);
	if ((rc = mem_table_append(&m->ordens, &nova)) != 0)
		return rc;
	*o = nova;
	return 0;
}

static int find_for_update(void *self, const struct uuid *id, struct ordem *out)
{
	struct mem_ordem_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	m->locks++;
	return mem_table_read_uuid(&m->ordens, offsetof(struct ordem, uuid), id->str, out);
}

static int set_status(void *self, const struct uuid *id, enum ordem_status status)
{
	struct mem_ordem_repo *m = self;
	struct ordem *o;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (status < 0 || status >= ORDEM_STATUS_COUNT)
		return APP_EINVALID; /* the CHECK constraint */
	if (!(o = ordem_row(m, id->str)))
		return APP_ENOTFOUND;
	o->status = status;
	agora_txt(m, o->atualizada_em);
	return 0;
}

static int save_orcamento(void *self, const struct uuid *id, const struct orcamento *orc)
{
	struct mem_ordem_repo *m = self;
	struct ordem *o;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (!(o = ordem_row(m, id->str)))
		return APP_ENOTFOUND;
	o->tem_orcamento = true;
	o->orcamento = *orc;
	agora_txt(m, o->orcamento_gerado_em);
	o->orcamento_decidido_em[0] = '\0';
	o->decisao = DECISAO_NENHUMA;
	agora_txt(m, o->atualizada_em);
	return 0;
}

static int save_decisao(void *self, const struct uuid *id, enum orcamento_decisao d)
{
	struct mem_ordem_repo *m = self;
	struct ordem *o;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (d != DECISAO_APROVADO && d != DECISAO_REPROVADO)
		return APP_EINVALID;
	if (!(o = ordem_row(m, id->str)))
		return APP_ENOTFOUND;
	o->decisao = d;
	agora_txt(m, o->orcamento_decidido_em);
	agora_txt(m, o->atualizada_em);
	return 0;
}

static int add_item(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
                    const struct uuid *ref_uuid, int quantidade, struct uuid *item_out)
{
	struct mem_ordem_repo *m = self;
	struct mem_ordem_item *linha, nova;
	struct ordem *o;
	const char *nome;
	int64_t valor;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (!catalogo_ativo(m->catalogo, tipo, ref_uuid->str, &nome, &valor))
		return APP_ENOTFOUND;
	if (quantidade <= 0)
		return APP_EINVALID; /* CHECK (quantidade > 0) */
	if (!(o = ordem_row(m, ordem->str)))
		return APP_EINVALID; /* the foreign key */
	if ((linha = linha_de(m, ordem->str, tipo, ref_uuid->str))) {
		/* ON CONFLICT DO UPDATE ... WHERE the sum stays within the limit; the price stays.
		 */
		if ((long)linha->item.quantidade + quantidade > ORDEM_ITEM_QUANTIDADE_MAX)
			return APP_EINVALID;
		linha->item.quantidade += quantidade;
		*item_out = linha->item.uuid;
	} else {
		if (quantidade > ORDEM_ITEM_QUANTIDADE_MAX)
			return APP_EINVALID;
		memset(&nova, 0, sizeof nova);
		nova.ordem_uuid = *ordem;
		nova.tipo = tipo;
		mem_uuid_make(MEM_ORDEM_ITEM_UUID_KIND, ++m->serial, &nova.item.uuid);
		nova.item.ref_uuid = *ref_uuid;
		copiar(nova.item.nome, sizeof nova.item.nome, nome);
		nova.item.quantidade = quantidade;
		nova.item.valor_unitario = valor;
		nova.item.estoque = -1;
		if ((rc = mem_table_append(&m->itens, &nova)) != 0)
			return rc;
		*item_out = nova.item.uuid;
	}
	agora_txt(m, o->atualizada_em);
	return 0;
}

static int remove_item(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
                       const struct uuid *item)
{
	struct mem_ordem_repo *m = self;
	struct ordem *o;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	for (size_t i = 0; i < m->itens.n; i++) {
		struct mem_ordem_item *r = item_row(m, i);
		if (!item_de(r, ordem->str, tipo) || strcmp(r->item.uuid.str, item->str) != 0)
			continue;
		/* Keep the order of the others; the snapshot holds its own copy. */
		memmove(r, item_row(m, i + 1), (m->itens.n - i - 1) * m->itens.row_size);
		m->itens.n--;
		if ((o = ordem_row(m, ordem->str)))
			agora_txt(m, o->atualizada_em);
		return 0;
	}
	return APP_ENOTFOUND;
}

/* The lines of tipo of order id into *out (malloc'd); parts with their balance when com_saldo. */
static int copiar_itens(const struct mem_ordem_repo *m, const char *id, enum ordem_item_tipo tipo,
                        bool com_saldo, struct ordem_itens *out)
{
	size_t n = mem_ordem_repo_n_itens(m, id, tipo), k = 0;

	out->itens = NULL;
	out->n = 0;
	if (n == 0)
		return 0;
	if (!(out->itens = calloc(n, sizeof *out->itens)))
		return APP_ENOMEM;
	for (size_t i = 0; i < m->itens.n; i++) {
		const struct mem_ordem_item *r = item_row(m, i);
		if (!item_de(r, id, tipo))
			continue;
		out->itens[k] = r->item;
		out->itens[k].estoque = -1;
		if (com_saldo && tipo == ITEM_PECA) {
			const struct peca *p = mem_catalogo_peca(m->catalogo, r->item.ref_uuid.str);
			out->itens[k].estoque = p ? p->quantidade_estoque : 0;
		}
		k++;
	}
	out->n = k;
	return 0;
}

static int list_itens(void *self, const struct uuid *ordem, enum ordem_item_tipo tipo,
                      struct ordem_itens *out)
{
	struct mem_ordem_repo *m = self;
	int rc;

	out->itens = NULL;
	out->n = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	return copiar_itens(m, ordem->str, tipo, true, out);
}

static int append_historico(void *self, const struct uuid *ordem, enum ordem_status status,
                            const char *por, const char *perfil, const char *correlation_id)
{
	struct mem_ordem_repo *m = self;
	struct mem_ordem_historico h;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (!ordem_row(m, ordem->str))
		return APP_EINVALID; /* the foreign key */
	memset(&h, 0, sizeof h);
	h.ordem_uuid = *ordem;
	h.status = status;
	agora_txt(m, h.em);
	copiar(h.por, sizeof h.por, por);
	copiar(h.perfil, sizeof h.perfil, perfil);
	copiar(h.correlation_id, sizeof h.correlation_id, correlation_id);
	return mem_table_append(&m->historico, &h);
}

static const struct ordem_repo_ops repo_ops = {
    .insert = insert,
    .find_for_update = find_for_update,
    .set_status = set_status,
    .save_orcamento = save_orcamento,
    .save_decisao = save_decisao,
    .add_item = add_item,
    .remove_item = remove_item,
    .list_itens = list_itens,
    .append_historico = append_historico,
};

/* ---- ordem_consultas ---- */

/* The order id, visible to dono (NULL: staff), or NULL. */
static const struct ordem *visivel(const struct mem_ordem_repo *m, const struct uuid *id,
                                   const struct uuid *dono)
{
	const struct ordem *o = ordem_row(m, id->str);

	if (o && dono && dono->str[0] && !uuid_equal(&o->cliente_uuid, dono))
		return NULL;
	return o;
}

static const struct cliente *cliente_de(const struct mem_ordem_repo *m, const struct ordem *o)
{
	return m->clientes ? mem_cliente_repo_get(m->clientes, o->cliente_uuid.str) : NULL;
}

static const struct veiculo *veiculo_de(const struct mem_ordem_repo *m, const struct ordem *o)
{
	return m->veiculos ? mem_veiculo_repo_get(m->veiculos, o->veiculo_uuid.str) : NULL;
}

static bool combina(const struct mem_ordem_repo *m, const struct ordem *o,
                    const struct ordem_filtro *f, unsigned mask)
{
	const struct veiculo *v;

	if (!(mask & (1u << o->status)))
		return false;
	if (f->cliente_uuid && f->cliente_uuid->str[0] &&
	    !uuid_equal(&o->cliente_uuid, f->cliente_uuid))
		return false;
	if (f->dono && f->dono->str[0] && !uuid_equal(&o->cliente_uuid, f->dono))
		return false;
	if (f->placa && (!(v = veiculo_de(m, o)) || strcmp(v->placa, f->placa) != 0))
		return false;
	return true;
}

static void resumo(const struct mem_ordem_repo *m, const struct ordem *o, struct ordem_resumo *r)
{
	const struct cliente *c = cliente_de(m, o);
	const struct veiculo *v = veiculo_de(m, o);

	memset(r, 0, sizeof *r);
	r->uuid = o->uuid;
	memcpy(r->numero, o->numero, sizeof r->numero);
	r->status = o->status;
	r->cliente_uuid = o->cliente_uuid;
	copiar(r->cliente_nome, sizeof r->cliente_nome, c ? c->nome : NULL);
	r->veiculo_uuid = o->veiculo_uuid;
	copiar(r->placa, sizeof r->placa, v ? v->placa : NULL);
	r->tem_orcamento = o->tem_orcamento;
	r->valor_total = o->tem_orcamento ? o->orcamento.valor_total : 0;
	memcpy(r->criada_em, o->criada_em, sizeof r->criada_em);
	memcpy(r->atualizada_em, o->atualizada_em, sizeof r->atualizada_em);
}

static int q_listar(void *self, const struct ordem_filtro *f, const struct pagina *page,
                    struct ordem_resumo *out, size_t *n, long *total)
{
	/* array_position of the queue: open states first, the most advanced first. */
	static const enum ordem_status fila[] = {ORDEM_EM_EXECUCAO,    ORDEM_AGUARDANDO_APROVACAO,
	                                         ORDEM_EM_DIAGNOSTICO, ORDEM_RECEBIDA,
	                                         ORDEM_FINALIZADA,     ORDEM_ENTREGUE,
	                                         ORDEM_CANCELADA};
	struct mem_ordem_repo *m = self;
	unsigned mask = f->status_mask;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	if (mask == 0)
		for (int s = 0; s < ORDEM_STATUS_COUNT; s++)
			if (ordem_aberta((enum ordem_status)s))
				mask |= 1u << s;
	for (size_t k = 0; k < sizeof fila / sizeof fila[0]; k++) {
		for (size_t i = 0; i < m->ordens.n; i++) {
			const struct ordem *o = mem_table_at(&m->ordens, i);
			if (o->status != fila[k] || !combina(m, o, f, mask))
				continue;
			if (mem_page_take(page, *n, total))
				resumo(m, o, &out[(*n)++]);
		}
	}
	return 0;
}

static int historico_de(const struct mem_ordem_repo *m, const char *id,
                        struct ordem_historico_item **out, size_t *n_out)
{
	size_t n = mem_ordem_repo_n_historico(m, id);

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return 0;
	if (!(*out = calloc(n, sizeof **out)))
		return APP_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct mem_ordem_historico *h = mem_ordem_repo_historico(m, id, i);
		(*out)[i].status = h->status;
		memcpy((*out)[i].em, h->em, sizeof h->em);
		memcpy((*out)[i].por, h->por, sizeof h->por);
	}
	*n_out = n;
	return 0;
}

static int q_detalhe(void *self, const struct uuid *id, const struct uuid *dono,
                     struct ordem_detalhe *out)
{
	struct mem_ordem_repo *m = self;
	const struct ordem *o;
	const struct cliente *c;
	const struct veiculo *v;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = enter(m)) != 0)
		return rc;
	if (!(o = visivel(m, id, dono)))
		return APP_ENOTFOUND;
	out->ordem = *o;
	if ((c = cliente_de(m, o))) {
		copiar(out->cliente_nome, sizeof out->cliente_nome, c->nome);
		copiar(out->cliente_documento, sizeof out->cliente_documento, c->documento);
	}
	if ((v = veiculo_de(m, o))) {
		copiar(out->placa, sizeof out->placa, v->placa);
		copiar(out->marca, sizeof out->marca, v->marca);
		copiar(out->modelo, sizeof out->modelo, v->modelo);
		out->ano = v->ano;
	}
	if ((rc = copiar_itens(m, o->uuid.str, ITEM_SERVICO, false, &out->servicos)) == 0 &&
	    (rc = copiar_itens(m, o->uuid.str, ITEM_PECA, false, &out->pecas)) == 0)
		rc = historico_de(m, o->uuid.str, &out->historico, &out->n_historico);
	if (rc != 0)
		ordem_detalhe_cleanup(out);
	return rc;
}

static int q_status(void *self, const struct uuid *id, const struct uuid *dono,
                    struct ordem_status_atual *out)
{
	struct mem_ordem_repo *m = self;
	const struct ordem *o;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (!(o = visivel(m, id, dono)))
		return APP_ENOTFOUND;
	memset(out, 0, sizeof *out);
	out->uuid = o->uuid;
	memcpy(out->numero, o->numero, sizeof out->numero);
	out->status = o->status;
	memcpy(out->atualizada_em, o->atualizada_em, sizeof out->atualizada_em);
	return 0;
}

static int q_historico(void *self, const struct uuid *id, const struct uuid *dono,
                       struct ordem_historico_lista *out)
{
	struct mem_ordem_repo *m = self;
	int rc;

	out->itens = NULL;
	out->n = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	if (!visivel(m, id, dono))
		return APP_ENOTFOUND;
	return historico_de(m, id->str, &out->itens, &out->n);
}

static const struct ordem_consultas_ops consultas_ops = {
    .list = q_listar,
    .find_detalhe = q_detalhe,
    .find_status = q_status,
    .list_historico = q_historico,
};

void mem_ordem_repo_ports(struct mem_ordem_repo *m, struct app *app)
{
	app->ordens.ops = &repo_ops;
	app->ordens.self = m;
	app->ordens_leitura.ops = &consultas_ops;
	app->ordens_leitura.self = m;
}
