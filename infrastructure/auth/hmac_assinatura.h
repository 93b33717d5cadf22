/*
 * The assinatura port with HMAC-SHA256 (infrastructure layer, libsodium): checks the
 * "X-Signature: sha256=<hex>" of the budget-approval webhook against WEBHOOK_SECRET. The secret
 * may have any length (crypto_auth_hmacsha256_init/update/final). One instance is shared,
 * read-only, by every worker thread.
 */
#ifndef OFICINA_INFRASTRUCTURE_AUTH_HMAC_ASSINATURA_H
#define OFICINA_INFRASTRUCTURE_AUTH_HMAC_ASSINATURA_H

#include <stddef.h>

#include "application/ports/assinatura.h"

#define HMAC_ASSINATURA_SECRET_MAX 256

struct hmac_assinatura {
	unsigned char key[HMAC_ASSINATURA_SECRET_MAX]; /* the secret's bytes */
	size_t key_len;                                /* 0: no secret, every signature fails */
};

/*
 * Copies secret (NUL-terminated; NULL or "" disables the webhook) into h; a longer secret than
 * HMAC_ASSINATURA_SECRET_MAX bytes is an error (-1, h disabled). sodium_init must have run.
 */
int hmac_assinatura_init(struct hmac_assinatura *h, const char *secret);

/* Wipes the secret. Accepts NULL. */
void hmac_assinatura_cleanup(struct hmac_assinatura *h);

/* Points port at h; h must outlive the port. */
void hmac_assinatura_port(const struct hmac_assinatura *h, struct assinatura *port);

/* Writes "sha256=<64 lower-case hex>" of body with h's secret into out (72 bytes at least). */
void hmac_assinatura_assinar(const struct hmac_assinatura *h, const void *body, size_t len,
                             char out[72]);

#endif
