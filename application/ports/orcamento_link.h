/*
 * Port: the signed link of a budget's e-mail (application layer). The customer gets
 * PUBLIC_BASE_URL/orcamentos/<token>, and whoever holds that token may see that one order's budget
 * and approve or refuse it, without a login, until it expires. The secret (ORCAMENTO_LINK_SECRET)
 * and the cryptography live in the adapter (infrastructure/auth/hmac_orcamento_link.c, over the
 * token of infrastructure/auth/orcamento_link.h); callers only hand over the token's text.
 */
#ifndef OFICINA_APPLICATION_PORTS_ORCAMENTO_LINK_H
#define OFICINA_APPLICATION_PORTS_ORCAMENTO_LINK_H

#include <stdint.h>

#include "domain/uuid.h"

/* What a link's token is worth. */
enum orcamento_link_veredito {
	LINK_VALIDO = 0,   /* signed by us for this purpose and not expired: it names an order */
	LINK_INVALIDO = 1, /* malformed, tampered, signed with another key or for another use */
	LINK_EXPIRADO = 2, /* well signed, but past its expiry */
	LINK_DESATIVADO =
	    3, /* no ORCAMENTO_LINK_SECRET: links are off, no token is worth anything */
};

struct orcamento_link_ops {
	/*
	 * What token (NUL-terminated; may be NULL) is worth at agora (Unix seconds). On
	 * LINK_VALIDO *ordem is the order it names; otherwise *ordem is unset (""). The MAC is
	 * compared in constant time.
	 */
	enum orcamento_link_veredito (*verify)(const void *self, const char *token, int64_t agora,
	                                       struct uuid *ordem);
};

struct orcamento_link {
	const struct orcamento_link_ops *ops; /* static const table */
	const void *self;                     /* adapter state (read-only: shared by threads) */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline enum orcamento_link_veredito orcamento_link_verify(const struct orcamento_link *port,
                                                                 const char *token, int64_t agora,
                                                                 struct uuid *ordem)
{
	return port->ops->verify(port->self, token, agora, ordem);
}

#endif
