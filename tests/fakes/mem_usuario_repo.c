/* In-memory staff users: the usuario_repo port for unit tests (tests/fakes). */
#include "tests/fakes/mem_usuario_repo.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tests/fakes/fake_clock.h"

void mem_usuario_repo_init(struct mem_usuario_repo *m, struct mem_transaction *tx,
                           time_t (*agora)(void))
{
	memset(m, 0, sizeof *m);
	mem_table_init(&m->rows, sizeof(struct usuario));
	m->tx = tx;
	m->agora = agora;
	mem_table_enlist(&m->rows, tx);
}

void mem_usuario_repo_cleanup(struct mem_usuario_repo *m)
{
	if (m)
		mem_table_cleanup(&m->rows);
}

static struct usuario *row(const struct mem_usuario_repo *m, size_t i)
{
	return mem_table_at(&m->rows, i);
}

static struct usuario *lookup(const struct mem_usuario_repo *m, const char *uuid)
{
	return mem_table_find_uuid(&m->rows, offsetof(struct usuario, uuid), uuid);
}

/* By e-mail in any (ASCII) case, as lower(email) = lower($1). */
static struct usuario *lookup_email(const struct mem_usuario_repo *m, const char *email)
{
	for (size_t i = 0; i < m->rows.n; i++)
		if (strcasecmp(row(m, i)->email, email) == 0)
			return row(m, i);
	return NULL;
}

const struct usuario *mem_usuario_repo_get(const struct mem_usuario_repo *m, const char *uuid)
{
	return lookup(m, uuid);
}

static int enter(struct mem_usuario_repo *m)
{
	m->calls++;
	return fake_fault_hit(&m->fault);
}

static void note_write(struct mem_usuario_repo *m)
{
	if (m->tx && !m->tx->open)
		m->writes_outside_tx++;
}

static int find_by_uuid(void *self, const struct uuid *id, bool for_update, struct usuario *out)
{
	struct mem_usuario_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (for_update)
		m->locks++;
	return mem_table_read_uuid(&m->rows, offsetof(struct usuario, uuid), id->str, out);
}

static int find_by_email(void *self, const char *email, struct usuario *out)
{
	struct mem_usuario_repo *m = self;
	const struct usuario *u;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (!(u = lookup_email(m, email)))
		return APP_ENOTFOUND;
	*out = *u;
	return 0;
}

static int insert(void *self, struct usuario *u)
{
	struct mem_usuario_repo *m = self;
	struct usuario novo;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (lookup_email(m, u->email))
		return APP_ECONFLICT;
	novo = *u;
	mem_uuid_make(MEM_USUARIO_UUID_KIND, ++m->serial, &novo.uuid);
	fake_rfc3339(m->agora(), novo.criado_em);
	memcpy(novo.atualizado_em, novo.criado_em, sizeof novo.atualizado_em);
	if ((rc = mem_table_append(&m->rows, &novo)) != 0)
		return rc;
	*u = novo;
	return 0;
}

static int update(void *self, struct usuario *u)
{
	struct mem_usuario_repo *m = self;
	struct usuario *atual, *outro;
	struct usuario novo;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	note_write(m);
	if (!(atual = lookup(m, u->uuid.str)))
		return APP_ENOTFOUND;
	if ((outro = lookup_email(m, u->email)) && outro != atual)
		return APP_ECONFLICT;
	novo = *u;
	memcpy(novo.criado_em, atual->criado_em, sizeof novo.criado_em);
	fake_rfc3339(m->agora(), novo.atualizado_em);
	*atual = novo;
	*u = novo;
	return 0;
}

/* Only the hash changes; atualizado_em stays, as in the UPDATE of pg_usuario_repo.c. */
static int update_senha_hash(void *self, const struct uuid *id, const char *senha_hash)
{
	struct mem_usuario_repo *m = self;
	struct usuario *atual;
	int rc;

	m->senha_hash_updates++;
	if ((rc = enter(m)) != 0)
		return rc;
	if (!(atual = lookup(m, id->str)))
		return APP_ENOTFOUND;
	snprintf(atual->senha_hash, sizeof atual->senha_hash, "%s", senha_hash);
	return 0;
}

static int list(void *self, const struct pagina *page, struct usuario *out, size_t *n, long *total)
{
	struct mem_usuario_repo *m = self;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	mem_table_page(&m->rows, NULL, NULL, false, page, out, n, total);
	return 0;
}

static int lock_active_admins(void *self, long *count)
{
	struct mem_usuario_repo *m = self;
	int rc;

	*count = 0;
	if ((rc = enter(m)) != 0)
		return rc;
	for (size_t i = 0; i < m->rows.n; i++)
		*count += row(m, i)->perfil == PERFIL_ADMIN && row(m, i)->ativo;
	return 0;
}

/* Nothing to store in memory: counted, and the account must exist. */
static int encerrar_sessoes(void *self, const struct uuid *id)
{
	struct mem_usuario_repo *m = self;
	int rc;

	if ((rc = enter(m)) != 0)
		return rc;
	if (!lookup(m, id->str))
		return APP_ENOTFOUND;
	m->sessoes_encerradas++;
	return 0;
}

static const struct usuario_repo_ops ops = {
    .encerrar_sessoes = encerrar_sessoes,
    .find_by_uuid = find_by_uuid,
    .find_by_email = find_by_email,
    .insert = insert,
    .update = update,
    .update_senha_hash = update_senha_hash,
    .list = list,
    .lock_active_admins = lock_active_admins,
};

void mem_usuario_repo_port(struct mem_usuario_repo *m, struct usuario_repo *port)
{
	port->ops = &ops;
	port->self = m;
}
