/* HMAC-SHA256 request signatures with libsodium (infrastructure layer). */
#include "infrastructure/auth/hmac_assinatura.h"

#include <sodium.h>
#include <string.h>

#include "domain/errors.h"

#define PREFIXO "sha256="

int hmac_assinatura_init(struct hmac_assinatura *h, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;

	memset(h, 0, sizeof *h);
	if (n > sizeof h->key)
		return -1;
	memcpy(h->key, secret ? secret : "", n);
	h->key_len = n;
	return 0;
}

void hmac_assinatura_cleanup(struct hmac_assinatura *h)
{
	if (h)
		sodium_memzero(h, sizeof *h);
}

static void mac(const struct hmac_assinatura *h, const void *body, size_t len,
                unsigned char out[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, h->key, h->key_len);
	crypto_auth_hmacsha256_update(&st, body, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

void hmac_assinatura_assinar(const struct hmac_assinatura *h, const void *body, size_t len,
                             char out[72])
{
	unsigned char m[crypto_auth_hmacsha256_BYTES];

	mac(h, body, len, m);
	memcpy(out, PREFIXO, sizeof PREFIXO - 1);
	sodium_bin2hex(out + sizeof PREFIXO - 1, 72 - (sizeof PREFIXO - 1), m, sizeof m);
}

static int verify(const void *self, const void *body, size_t len, const char *assinatura)
{
	const struct hmac_assinatura *h = self;
	unsigned char esperado[crypto_auth_hmacsha256_BYTES], dado[crypto_auth_hmacsha256_BYTES];
	size_t bin_len = 0;
	const char *end = NULL;

	if (h->key_len == 0 || !assinatura || strncmp(assinatura, PREFIXO, sizeof PREFIXO - 1) != 0)
		return APP_EUNAUTHORIZED;
	assinatura += sizeof PREFIXO - 1;
	if (strlen(assinatura) != 2 * sizeof dado ||
	    sodium_hex2bin(dado, sizeof dado, assinatura, strlen(assinatura), NULL, &bin_len,
	                   &end) != 0 ||
	    bin_len != sizeof dado || *end != '\0')
		return APP_EUNAUTHORIZED;
	mac(h, body ? body : "", len, esperado);
	/* Constant time: the position of the first difference must not show in the timing. */
	int rc = sodium_memcmp(esperado, dado, sizeof dado) == 0 ? 0 : APP_EUNAUTHORIZED;
	sodium_memzero(esperado, sizeof esperado);
	return rc;
}

static const struct assinatura_ops ops = {.verify = verify};

void hmac_assinatura_port(const struct hmac_assinatura *h, struct assinatura *port)
{
	port->ops = &ops;
	port->self = h;
}
