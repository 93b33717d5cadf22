/*
 * Port: where staff users are kept (application layer). Implemented by
 * infrastructure/postgres/pg_usuario_repo.c and tests/fakes/mem_usuario_repo.c.
 * Every function returns 0 or a negative code of domain/errors.h.
 */
#ifndef OFICINA_APPLICATION_PORTS_USUARIO_REPO_H
#define OFICINA_APPLICATION_PORTS_USUARIO_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "application/ports/pagina.h"
#include "domain/usuario.h"

struct usuario_repo_ops {
	/* Fills *out (senha_hash included); for_update locks the row. APP_ENOTFOUND. */
	int (*find_by_uuid)(void *self, const struct uuid *id, bool for_update,
	                    struct usuario *out);
	/* By e-mail, whatever its case. APP_ENOTFOUND. */
	int (*find_by_email)(void *self, const char *email, struct usuario *out);
	/* Inserts u and sets its uuid and timestamps. APP_ECONFLICT for an e-mail in use. */
	int (*insert)(void *self, struct usuario *u);
	/* Stores every field of u and refreshes atualizado_em. APP_ENOTFOUND, APP_ECONFLICT. */
	int (*update)(void *self, struct usuario *u);
	/*
	 * Replaces only the stored password hash of user id (a login that upgraded it) and leaves
	 * atualizado_em alone: a login is not an edit of the user. APP_ENOTFOUND.
	 */
	int (*update_senha_hash)(void *self, const struct uuid *id, const char *senha_hash);
	/* One page of users, oldest first (see cliente_repo_ops.list). */
	int (*list)(void *self, const struct pagina *page, struct usuario *out, size_t *n,
	            long *total);
	/*
	 * Locks the rows of every active admin, always in the same (uuid) order so that two callers
	 * never deadlock, and counts them into *count. Inside the transaction that may demote or
	 * deactivate one: a second such transaction waits, then counts what the first left.
	 */
	int (*lock_active_admins)(void *self, long *count);
	/*
	 * Ends every session of account id (logout): its tokens issued before the current second
	 * are refused from the session registry's next refresh. APP_ENOTFOUND.
	 */
	int (*encerrar_sessoes)(void *self, const struct uuid *id);
};

struct usuario_repo {
	const struct usuario_repo_ops *ops; /* static const table */
	void *self;                         /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int usuario_repo_find_by_uuid(const struct usuario_repo *port, const struct uuid *id,
                                            bool for_update, struct usuario *out)
{
	return port->ops->find_by_uuid(port->self, id, for_update, out);
}

static inline int usuario_repo_find_by_email(const struct usuario_repo *port, const char *email,
                                             struct usuario *out)
{
	return port->ops->find_by_email(port->self, email, out);
}

static inline int usuario_repo_insert(const struct usuario_repo *port, struct usuario *u)
{
	return port->ops->insert(port->self, u);
}

static inline int usuario_repo_update(const struct usuario_repo *port, struct usuario *u)
{
	return port->ops->update(port->self, u);
}

static inline int usuario_repo_update_senha_hash(const struct usuario_repo *port,
                                                 const struct uuid *id, const char *senha_hash)
{
	return port->ops->update_senha_hash(port->self, id, senha_hash);
}

static inline int usuario_repo_list(const struct usuario_repo *port, const struct pagina *page,
                                    struct usuario *out, size_t *n, long *total)
{
	return port->ops->list(port->self, page, out, n, total);
}

static inline int usuario_repo_lock_active_admins(const struct usuario_repo *port, long *count)
{
	return port->ops->lock_active_admins(port->self, count);
}

static inline int usuario_repo_encerrar_sessoes(const struct usuario_repo *port,
                                                const struct uuid *id)
{
	return port->ops->encerrar_sessoes(port->self, id);
}

#endif
