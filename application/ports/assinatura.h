/*
 * Port: checking the signature of a request from an outside system (application layer): the
 * budget-approval webhook sends "X-Signature: sha256=<hex>", the HMAC-SHA256 of the raw body with
 * a shared secret (WEBHOOK_SECRET). The secret and the cryptography live in the adapter
 * (infrastructure/auth/hmac_assinatura.c, libsodium); callers only hand over bytes.
 */
#ifndef OFICINA_APPLICATION_PORTS_ASSINATURA_H
#define OFICINA_APPLICATION_PORTS_ASSINATURA_H

#include <stddef.h>

struct assinatura_ops {
	/*
	 * Whether assinatura (the header's value, "sha256=" and 64 hex digits of either case; may
	 * be NULL) is the HMAC-SHA256 of body[0..len) with the secret, compared in constant time.
	 * 0 when it is; APP_EUNAUTHORIZED when it is missing, malformed or wrong, and also when no
	 * secret is configured (the webhook is then disabled: nothing can be signed).
	 */
	int (*verify)(const void *self, const void *body, size_t len, const char *assinatura);
};

struct assinatura {
	const struct assinatura_ops *ops; /* static const table */
	const void *self;                 /* adapter state (read-only: shared by threads) */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int assinatura_verify(const struct assinatura *port, const void *body, size_t len,
                                    const char *assinatura)
{
	return port->ops->verify(port->self, body, len, assinatura);
}

#endif
