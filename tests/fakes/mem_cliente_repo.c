/* In-memory customers: the cliente_repo port for unit tests (tests/fakes). */
#include "tests/fakes/mem_cliente_repo.h"

#include <stddef.h>
#include <string.h>

#include "tests/fakes/fake_clock.h"

void mem_cliente_repo_init(struct mem_cliente_repo *m, struct mem_transaction *tx,
                           time_t (*agora)(void))
{
	memset(m, 0, sizeof *m);
	mem_table_init(&m->rows, sizeof(struct cliente));
	m->tx = tx;
	m->agora = agora;
	mem_table_enlist(&m->rows, tx);
}

void mem_cliente_repo_cleanup(struct mem_cliente_repo *m)
{
	if (m)
		mem_table_cleanup(&m->rows);
}

static struct cliente *row(const struct mem_cliente_repo *m, size_t i)
{
	return mem_table_at(&m->rows, i);
}

static struct cliente *lookup(const struct mem_cliente_repo *m, const char *uuid)
{
	return mem_table_find_uuid(&m->rows, offsetof(struct cliente, uuid), uuid);
}

const struct cliente *mem_cliente_repo_get(const struct mem_cliente_repo *m, const char *uuid)
{
	return lookup(m, uuid);
}

/* Whether another row than except already has documento (the UNIQUE constraint). */
static bool documento_em_uso(const struct mem_cliente_repo *m, const char *documento,
                             const struct cliente *except)
{
	for (size_t i = 0; i < m->rows.n; i++)
		if (row(m, i) != except && strcmp(row(m, i)->documento, documento) == 0)
			return true;
	return false;
}

/* Common start of every call: count it, and answer an armed fault. */
static int enter(struct mem_cliente_repo *m)
{
	m->calls++;
	return fake_fault_hit(&m->fault);
}

static void note_write(struct mem_cliente_repo *m)
{
	if (m->tx && !m->tx->open)
		m->writes_outside_tx++;
}

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct cliente *out)
{
	struct mem_cliente_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (for_update)
		m->locks++;
	return mem_table_read_uuid(&m->rows, offsetof(struct cliente, uuid), id->str, out);
}

static int find_by_documento(void *self, const char *documento, struct cliente *out)
{
	struct mem_cliente_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	for (size_t i = 0; i < m->rows.n; i++) {
		if (strcmp(row(m, i)->documento, documento) == 0) {
			*out = *row(m, i);
			return 0;
		}
	}
	return APP_ENOTFOUND;
}

static int insert(void *self, struct cliente *c)
{
	struct mem_cliente_repo *m = self;
	struct cliente novo;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (documento_em_uso(m, c->documento, NULL))
		return APP_ECONFLICT;
	novo = *c;
	mem_uuid_make(MEM_CLIENTE_UUID_KIND, ++m->serial, &novo.uuid);
	fake_rfc3339(m->agora(), novo.criado_em);
	memcpy(novo.atualizado_em, novo.criado_em, sizeof novo.atualizado_em);
	if ((rc = mem_table_append(&m->rows, &novo)) != 0)
		return rc;
	*c = novo;
	return 0;
}

static int update(void *self, struct cliente *c)
{
	struct mem_cliente_repo *m = self;
	struct cliente *atual;
	struct cliente novo;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (!(atual = lookup(m, c->uuid.str)))
		return APP_ENOTFOUND;
	if (documento_em_uso(m, c->documento, atual))
		return APP_ECONFLICT;
	novo = *c;
	memcpy(novo.criado_em, atual->criado_em, sizeof novo.criado_em);
	fake_rfc3339(m->agora(), novo.atualizado_em);
	*atual = novo;
	*c = novo;
	return 0;
}

/* A mem_row_match: r is a struct cliente, arg a struct cliente_filtro or NULL. */
static bool combina(const void *r, const void *arg)
{
	const struct cliente *c = r;
	const struct cliente_filtro *f = arg;

	if (f && f->documento && strcmp(c->documento, f->documento) != 0)
		return false;
	if (f && f->nome_parte && !mem_contains_nocase(c->nome, f->nome_parte))
		return false;
	return true;
}

static int list(void *self, const struct cliente_filtro *f, const struct pagina *page,
                struct cliente *out, size_t *n, long *total)
{
	struct mem_cliente_repo *m = self;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	mem_table_page(&m->rows, combina, f, false, page, out, n, total);
	return 0;
}

/* Orders live elsewhere: a test names the customer who has an open one in ordem_aberta_de. */
static int has_ordem_aberta(void *self, const struct uuid *id, bool *out)
{
	struct mem_cliente_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	*out = strcmp(m->ordem_aberta_de, id->str) == 0;
	return 0;
}

/* Nothing to store in memory: counted, and the account must exist. */
static int encerrar_sessoes(void *self, const struct uuid *id)
{
	struct mem_cliente_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (!lookup(m, id->str))
		return APP_ENOTFOUND;
	m->sessoes_encerradas++;
	return 0;
}

static const struct cliente_repo_ops ops = {
    .encerrar_sessoes = encerrar_sessoes,
    .has_ordem_aberta = has_ordem_aberta,
    .find_by_uuid = find_by_uuid,
    .find_by_documento = find_by_documento,
    .insert = insert,
    .update = update,
    .list = list,
};

void mem_cliente_repo_port(struct mem_cliente_repo *m, struct cliente_repo *port)
{
	port->ops = &ops;
	port->self = m;
}
