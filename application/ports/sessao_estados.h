/*
 * Port: the state of every account that a token may name, read in bulk for the session registry
 * (application layer; presentation/http/sessoes.h). Implemented by
 * infrastructure/postgres/pg_sessao_estados.c. Every staff user is listed; customers only while
 * something about them can refuse a token they hold: their sessions ended (a logout or a
 * deactivation) within the longest a token lives, TOKEN_TTL_MAX_SECONDS, plus 5 minutes. The rest
 * pass.
 */
#ifndef OFICINA_APPLICATION_PORTS_SESSAO_ESTADOS_H
#define OFICINA_APPLICATION_PORTS_SESSAO_ESTADOS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/usuario.h"
#include "domain/uuid.h"

struct sessao_estado {
	char uuid[UUID_LEN + 1]; /* the account, as in a token's sub */
	bool cliente;            /* a customer (else a staff user) */
	bool ativo;              /* deactivated accounts' tokens are refused */
	enum perfil perfil;      /* a staff token must still carry it: a demotion ends it */
	long sessoes_desde;      /* tokens issued before (iat, seconds) are refused; 0: none */
};

struct sessao_estados_ops {
	/* Reads every state into *out (malloc'd, the caller frees it) and their number into *n. */
	int (*carregar)(void *self, struct sessao_estado **out, size_t *n);
};

struct sessao_estados {
	const struct sessao_estados_ops *ops;
	void *self;
};

static inline int sessao_estados_carregar(const struct sessao_estados *port,
                                          struct sessao_estado **out, size_t *n)
{
	return port->ops->carregar(port->self, out, n);
}

#endif
