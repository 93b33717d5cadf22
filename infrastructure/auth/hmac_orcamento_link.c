/* The orcamento_link port with the HMAC-SHA256 token of orcamento_link.h (infrastructure layer). */
#include "infrastructure/auth/hmac_orcamento_link.h"

#include <sodium.h>
#include <string.h>

int hmac_orcamento_link_init(struct hmac_orcamento_link *h, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;

	memset(h, 0, sizeof *h);
	if (n == 0)
		return 0;
	if (n < ORCAMENTO_LINK_SECRET_MIN || n > sizeof h->key)
		return -1;
	memcpy(h->key, secret, n);
	h->key_len = n;
	return 0;
}

void hmac_orcamento_link_cleanup(struct hmac_orcamento_link *h)
{
	if (h)
		sodium_memzero(h, sizeof *h);
}

static enum orcamento_link_veredito verify(const void *self, const char *token, int64_t agora,
                                           struct uuid *ordem)
{
	const struct hmac_orcamento_link *h = self;

	if (h->key_len == 0) {
		ordem->str[0] = '\0';
		return LINK_DESATIVADO;
	}
	switch (orcamento_link_verificar(h->key, h->key_len, token, agora, ordem)) {
	case ORCAMENTO_LINK_OK:
		return LINK_VALIDO;
	case ORCAMENTO_LINK_EXPIRADO:
		return LINK_EXPIRADO;
	default:
		return LINK_INVALIDO;
	}
}

static const struct orcamento_link_ops ops = {.verify = verify};

void hmac_orcamento_link_port(const struct hmac_orcamento_link *h, struct orcamento_link *port)
{
	port->ops = &ops;
	port->self = h;
}
