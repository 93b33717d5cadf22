/* In-memory catalogue, parts and stock ledger: three ports for unit tests (tests/fakes). */
#include "tests/fakes/mem_catalogo.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "tests/fakes/fake_clock.h"

void mem_catalogo_init(struct mem_catalogo *c, struct mem_transaction *tx, time_t (*agora)(void))
{
	memset(c, 0, sizeof *c);
	mem_table_init(&c->servicos, sizeof(struct servico));
	mem_table_init(&c->pecas, sizeof(struct peca));
	mem_table_init(&c->movimentos, sizeof(struct movimento));
	c->tx = tx;
	c->agora = agora;
	mem_table_enlist(&c->servicos, tx);
	mem_table_enlist(&c->pecas, tx);
	mem_table_enlist(&c->movimentos, tx);
}

void mem_catalogo_cleanup(struct mem_catalogo *c)
{
	if (!c)
		return;
	mem_table_cleanup(&c->servicos);
	mem_table_cleanup(&c->pecas);
	mem_table_cleanup(&c->movimentos);
}

static int enter(struct mem_catalogo *c)
{
	c->calls++;
	return fake_fault_hit(&c->fault);
}

static void note_write(struct mem_catalogo *c)
{
	if (c->tx && !c->tx->open)
		c->writes_outside_tx++;
}

static struct servico *servico_row(const struct mem_catalogo *c, const char *uuid)
{
	return mem_table_find_uuid(&c->servicos, offsetof(struct servico, uuid), uuid);
}

static struct peca *peca_row(const struct mem_catalogo *c, const char *uuid)
{
	return mem_table_find_uuid(&c->pecas, offsetof(struct peca, uuid), uuid);
}

const struct peca *mem_catalogo_peca(const struct mem_catalogo *c, const char *uuid)
{
	return peca_row(c, uuid);
}

size_t mem_catalogo_movimentos(const struct mem_catalogo *c, const char *uuid, long *soma)
{
	size_t n = 0;
	if (soma)
		*soma = 0;
	for (size_t i = 0; i < c->movimentos.n; i++) {
		const struct movimento *m = mem_table_at(&c->movimentos, i);
		if (strcmp(m->peca_uuid.str, uuid) == 0) {
			n++;
			if (soma)
				*soma += m->quantidade;
		}
	}
	return n;
}

/* find_by_uuid in table t (its rows' uuid at offset key): a call, a lock, the row copied out. */
static int find_in(struct mem_catalogo *c, const struct mem_table *t, size_t key,
                   const struct uuid *id, bool for_update, void *out)
{
	int rc;

	if ((rc = enter(c)) != 0)
		return rc;
	if (for_update)
		c->locks++;
	return mem_table_read_uuid(t, key, id->str, out);
}

/* ---- servico_repo ---- */

static int servico_find(void *self, const struct uuid *id, bool for_update, struct servico *out)
{
	struct mem_catalogo *c = self;

	return find_in(c, &c->servicos, offsetof(struct servico, uuid), id, for_update, out);
}

static int servico_insert(void *self, struct servico *s)
{
	struct mem_catalogo *c = self;
	struct servico novo;
	int rc;

	if ((rc = enter(c)) != 0)
		return rc;
	note_write(c);
	novo = *s;
	mem_uuid_make(MEM_SERVICO_UUID_KIND, ++c->serial, &novo.uuid);
	fake_rfc3339(c->agora(), novo.criado_em);
	memcpy(novo.atualizado_em, novo.criado_em, sizeof novo.atualizado_em);
	if ((rc = mem_table_append(&c->servicos, &novo)) != 0)
		return rc;
	*s = novo;
	return 0;
}

static int servico_update(void *self, struct servico *s)
{
	struct mem_catalogo *c = self;
	struct servico *atual;
	int rc;

	if ((rc = enter(c)) != 0)
		return rc;
	note_write(c);
	if (!(atual = servico_row(c, s->uuid.str)))
		return APP_ENOTFOUND;
	memcpy(s->criado_em, atual->criado_em, sizeof s->criado_em);
	fake_rfc3339(c->agora(), s->atualizado_em);
	*atual = *s;
	return 0;
}

/* A mem_row_match: r is a struct servico, arg a struct servico_filtro or NULL. */
static bool servico_combina(const void *r, const void *arg)
{
	const struct servico *s = r;
	const struct servico_filtro *f = arg;

	return !f || !f->nome_parte || mem_contains_nocase(s->nome, f->nome_parte);
}

static int servico_list(void *self, const struct servico_filtro *f, const struct pagina *page,
                        struct servico *out, size_t *n, long *total)
{
	struct mem_catalogo *c = self;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(c)) != 0)
		return rc;
	mem_table_page(&c->servicos, servico_combina, f, false, page, out, n, total);
	return 0;
}

static const struct servico_repo_ops servico_ops = {
    .find_by_uuid = servico_find,
    .insert = servico_insert,
    .update = servico_update,
    .list = servico_list,
};

/* ---- peca_repo ---- */

/* Whether another part than except has codigo, in any case (the unique index on upper(codigo)). */
static bool codigo_em_uso(const struct mem_catalogo *c, const char *codigo,
                          const struct peca *except)
{
	if (!codigo[0])
		return false;
	for (size_t i = 0; i < c->pecas.n; i++) {
		const struct peca *p = mem_table_at(&c->pecas, i);
		if (p != except && strcasecmp(p->codigo, codigo) == 0)
			return true;
	}
	return false;
}

static int peca_find(void *self, const struct uuid *id, bool for_update, struct peca *out)
{
	struct mem_catalogo *c = self;

	return find_in(c, &c->pecas, offsetof(struct peca, uuid), id, for_update, out);
}

static int peca_insert(void *self, struct peca *p)
{
	struct mem_catalogo *c = self;
	struct peca nova;
	int rc;

	if ((rc = enter(c)) != 0)
		return rc;
	note_write(c);
	if (codigo_em_uso(c, p->codigo, NULL))
		return APP_ECONFLICT;
	nova = *p;
	nova.quantidade_estoque = 0;
	mem_uuid_make(MEM_PECA_UUID_KIND, ++c->serial, &nova.uuid);
	fake_rfc3339(c->agora(), nova.criado_em);
	memcpy(nova.atualizado_em, nova.criado_em, sizeof nova.atualizado_em);
	if ((rc = mem_table_append(&c->pecas, &nova)) != 0)
		return rc;
	*p = nova;
	return 0;
}

static int peca_update(void *self, struct peca *p)
{
	struct mem_catalogo *c = self;
	struct peca *atual;
	int rc;

	if ((rc = enter(c)) != 0)
		return rc;
	note_write(c);
	if (!(atual = peca_row(c, p->uuid.str)))
		return APP_ENOTFOUND;
	if (codigo_em_uso(c, p->codigo, atual))
		return APP_ECONFLICT;
	p->quantidade_estoque = atual->quantidade_estoque; /* never written here */
	memcpy(p->criado_em, atual->criado_em, sizeof p->criado_em);
	fake_rfc3339(c->agora(), p->atualizado_em);
	*atual = *p;
	return 0;
}

/* A mem_row_match: r is a struct peca, arg a struct peca_filtro or NULL. */
static bool peca_combina(const void *r, const void *arg)
{
	const struct peca *p = r;
	const struct peca_filtro *f = arg;

	if (!f)
		return true;
	if (f->abaixo_do_minimo >= 0 &&
	    (p->quantidade_estoque < p->estoque_minimo) != (f->abaixo_do_minimo == 1))
		return false;
	if (f->tipo >= 0 && (int)p->tipo != f->tipo)
		return false;
	if (f->nome_parte && !mem_contains_nocase(p->nome, f->nome_parte))
		return false;
	return true;
}

static int peca_list(void *self, const struct peca_filtro *f, const struct pagina *page,
                     struct peca *out, size_t *n, long *total)
{
	struct mem_catalogo *c = self;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(c)) != 0)
		return rc;
	mem_table_page(&c->pecas, peca_combina, f, false, page, out, n, total);
	return 0;
}

static const struct peca_repo_ops peca_ops = {
    .find_by_uuid = peca_find,
    .insert = peca_insert,
    .update = peca_update,
    .list = peca_list,
};

/* ---- estoque_repo ---- */

static int apply_movimento(void *self, struct movimento *m, const char *correlation_id,
                           int *estoque_minimo)
{
	struct mem_catalogo *c = self;
	struct peca *p;
	int rc;

	(void)correlation_id;
	if ((rc = enter(c)) != 0)
		return rc;
	note_write(c);
	if (!(p = peca_row(c, m->peca_uuid.str)))
		return APP_ENOTFOUND;
	long novo = (long)p->quantidade_estoque + m->quantidade;
	if (novo < 0 || novo > INT_MAX)
		return APP_ECONFLICT;
	mem_uuid_make(MEM_MOVIMENTO_UUID_KIND, ++c->serial, &m->uuid);
	fake_rfc3339(c->agora(), m->criado_em);
	m->saldo = (int)novo;
	if ((rc = mem_table_append(&c->movimentos, m)) != 0)
		return rc;
	p = peca_row(c, m->peca_uuid.str); /* the append did not move it, but be safe */
	p->quantidade_estoque = (int)novo;
	*estoque_minimo = p->estoque_minimo;
	return 0;
}

static int movimento_find(void *self, const struct uuid *peca_uuid, const struct uuid *id,
                          struct movimento *out)
{
	struct mem_catalogo *c = self;
	const struct movimento *m;
	int rc;

	if ((rc = enter(c)) != 0)
		return rc;
	m = mem_table_find_uuid(&c->movimentos, offsetof(struct movimento, uuid), id->str);
	if (!m || strcmp(m->peca_uuid.str, peca_uuid->str) != 0)
		return APP_ENOTFOUND;
	*out = *m;
	return 0;
}

/* A mem_row_match: r is a struct movimento, arg the struct uuid of its part. */
static bool movimento_da_peca(const void *r, const void *arg)
{
	const struct movimento *m = r;
	const struct uuid *peca_uuid = arg;

	return strcmp(m->peca_uuid.str, peca_uuid->str) == 0;
}

static int list(void *self, const struct uuid *peca_uuid, const struct pagina *page,
                struct movimento *out, size_t *n, long *total)
{
	struct mem_catalogo *c = self;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(c)) != 0)
		return rc;
	mem_table_page(&c->movimentos, movimento_da_peca, peca_uuid, true, page, out, n, total);
	return 0;
}

static const struct estoque_repo_ops estoque_ops = {
    .apply_movimento = apply_movimento,
    .find_by_uuid = movimento_find,
    .list = list,
};

void mem_catalogo_ports(struct mem_catalogo *c, struct app *app)
{
	app->servicos.ops = &servico_ops;
	app->servicos.self = c;
	app->pecas.ops = &peca_ops;
	app->pecas.self = c;
	app->estoque.ops = &estoque_ops;
	app->estoque.self = c;
}
