/* In-memory vehicles: the veiculo_repo port for unit tests (tests/fakes). */
#include "tests/fakes/mem_veiculo_repo.h"

#include <stddef.h>
#include <string.h>

#include "tests/fakes/fake_clock.h"

void mem_veiculo_repo_init(struct mem_veiculo_repo *m, struct mem_transaction *tx,
                           const struct mem_cliente_repo *clientes, time_t (*agora)(void))
{
	memset(m, 0, sizeof *m);
	mem_table_init(&m->rows, sizeof(struct veiculo));
	m->tx = tx;
	m->clientes = clientes;
	m->agora = agora;
	mem_table_enlist(&m->rows, tx);
}

void mem_veiculo_repo_cleanup(struct mem_veiculo_repo *m)
{
	if (m)
		mem_table_cleanup(&m->rows);
}

static struct veiculo *row(const struct mem_veiculo_repo *m, size_t i)
{
	return mem_table_at(&m->rows, i);
}

static struct veiculo *lookup(const struct mem_veiculo_repo *m, const char *uuid)
{
	return mem_table_find_uuid(&m->rows, offsetof(struct veiculo, uuid), uuid);
}

const struct veiculo *mem_veiculo_repo_get(const struct mem_veiculo_repo *m, const char *uuid)
{
	return lookup(m, uuid);
}

/* Whether another row than except already has placa (the UNIQUE constraint). */
static bool placa_em_uso(const struct mem_veiculo_repo *m, const char *placa,
                         const struct veiculo *except)
{
	for (size_t i = 0; i < m->rows.n; i++)
		if (row(m, i) != except && strcmp(row(m, i)->placa, placa) == 0)
			return true;
	return false;
}

/* The foreign key veiculos.cliente_uuid REFERENCES clientes. */
static bool dono_existe(const struct mem_veiculo_repo *m, const struct uuid *cliente_uuid)
{
	return !m->clientes || mem_cliente_repo_get(m->clientes, cliente_uuid->str) != NULL;
}

static int enter(struct mem_veiculo_repo *m)
{
	m->calls++;
	return fake_fault_hit(&m->fault);
}

static void note_write(struct mem_veiculo_repo *m)
{
	if (m->tx && !m->tx->open)
		m->writes_outside_tx++;
}

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct veiculo *out)
{
	struct mem_veiculo_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (for_update)
		m->locks++;
	return mem_table_read_uuid(&m->rows, offsetof(struct veiculo, uuid), id->str, out);
}

static int insert(void *self, struct veiculo *v)
{
	struct mem_veiculo_repo *m = self;
	struct veiculo novo;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (placa_em_uso(m, v->placa, NULL))
		return APP_ECONFLICT;
	if (!dono_existe(m, &v->cliente_uuid))
		return APP_EINVALID;
	novo = *v;
	mem_uuid_make(MEM_VEICULO_UUID_KIND, ++m->serial, &novo.uuid);
	fake_rfc3339(m->agora(), novo.criado_em);
	memcpy(novo.atualizado_em, novo.criado_em, sizeof novo.atualizado_em);
	if ((rc = mem_table_append(&m->rows, &novo)) != 0)
		return rc;
	*v = novo;
	return 0;
}

static int update(void *self, struct veiculo *v)
{
	struct mem_veiculo_repo *m = self;
	struct veiculo *atual;
	struct veiculo novo;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (!(atual = lookup(m, v->uuid.str)))
		return APP_ENOTFOUND;
	if (placa_em_uso(m, v->placa, atual))
		return APP_ECONFLICT;
	if (!dono_existe(m, &v->cliente_uuid))
		return APP_EINVALID;
	novo = *v;
	memcpy(novo.criado_em, atual->criado_em, sizeof novo.criado_em);
	fake_rfc3339(m->agora(), novo.atualizado_em);
	*atual = novo;
	*v = novo;
	return 0;
}

/* A mem_row_match: r is a struct veiculo, arg a struct veiculo_filtro or NULL. */
static bool combina(const void *r, const void *arg)
{
	const struct veiculo *v = r;
	const struct veiculo_filtro *f = arg;

	if (f && f->placa && strcmp(v->placa, f->placa) != 0)
		return false;
	if (f && f->cliente_uuid && !uuid_equal(&v->cliente_uuid, f->cliente_uuid))
		return false;
	return true;
}

static int list(void *self, const struct veiculo_filtro *f, const struct pagina *page,
                struct veiculo *out, size_t *n, long *total)
{
	struct mem_veiculo_repo *m = self;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	mem_table_page(&m->rows, combina, f, false, page, out, n, total);
	return 0;
}

/* Orders live elsewhere: a test names the vehicle that has an open one in ordem_aberta_de. */
static int has_ordem_aberta(void *self, const struct uuid *id, bool *out)
{
	struct mem_veiculo_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	*out = strcmp(m->ordem_aberta_de, id->str) == 0;
	return 0;
}

static const struct veiculo_repo_ops ops = {
    .find_by_uuid = find_by_uuid,
    .insert = insert,
    .update = update,
    .has_ordem_aberta = has_ordem_aberta,
    .list = list,
};

void mem_veiculo_repo_port(struct mem_veiculo_repo *m, struct veiculo_repo *port)
{
	port->ops = &ops;
	port->self = m;
}
