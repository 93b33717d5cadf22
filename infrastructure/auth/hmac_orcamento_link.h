/*
 * The orcamento_link port over the HMAC-SHA256 token of orcamento_link.h (infrastructure layer,
 * libsodium): holds ORCAMENTO_LINK_SECRET and answers what a link's token is worth. One instance
 * is shared, read-only, by every worker thread.
 */
#ifndef OFICINA_INFRASTRUCTURE_AUTH_HMAC_ORCAMENTO_LINK_H
#define OFICINA_INFRASTRUCTURE_AUTH_HMAC_ORCAMENTO_LINK_H

#include <stddef.h>

#include "application/ports/orcamento_link.h"
#include "infrastructure/auth/orcamento_link.h"

#define HMAC_ORCAMENTO_LINK_SECRET_MAX 256

struct hmac_orcamento_link {
	char key[HMAC_ORCAMENTO_LINK_SECRET_MAX]; /* the secret's bytes */
	size_t key_len; /* 0: links disabled, every token LINK_DESATIVADO */
};

/*
 * Copies secret (NUL-terminated; NULL or "" disables the links) into h. A secret shorter than
 * ORCAMENTO_LINK_SECRET_MIN or longer than HMAC_ORCAMENTO_LINK_SECRET_MAX bytes is an error (-1,
 * h disabled). sodium_init must have run.
 */
int hmac_orcamento_link_init(struct hmac_orcamento_link *h, const char *secret);

/* Wipes the secret. Accepts NULL. */
void hmac_orcamento_link_cleanup(struct hmac_orcamento_link *h);

/* Points port at h; h must outlive the port. */
void hmac_orcamento_link_port(const struct hmac_orcamento_link *h, struct orcamento_link *port);

#endif
