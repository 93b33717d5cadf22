/*
 * The signed token of a budget's approval link (infrastructure layer): the e-mail to the customer
 * carries PUBLIC_BASE_URL/orcamentos/<token>, and the page there decides that budget alone.
 *
 * The token names one order and one purpose ("decide this order's budget") and expires:
 *     <ordem uuid>.<expiry, Unix seconds>.<base64url HMAC-SHA256>
 * The MAC covers the purpose, the uuid and the expiry, under ORCAMENTO_LINK_SECRET — a key of
 * its own, never JWT_SECRET — so a link cannot be turned into API access, nor an API token into
 * a link, nor a link of one order into another's.
 */
#ifndef OFICINA_INFRASTRUCTURE_AUTH_ORCAMENTO_LINK_H
#define OFICINA_INFRASTRUCTURE_AUTH_ORCAMENTO_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "domain/uuid.h"

#define ORCAMENTO_LINK_TOKEN_MAX  128 /* with its NUL */
#define ORCAMENTO_LINK_SECRET_MIN 32

enum orcamento_link_resultado {
	ORCAMENTO_LINK_OK = 0,
	ORCAMENTO_LINK_INVALIDO = 1, /* malformed, tampered, another key or purpose */
	ORCAMENTO_LINK_EXPIRADO = 2, /* well signed, past its expiry */
};

/* Writes the token of order ordem valid until expira_em (Unix seconds) into out. */
void orcamento_link_assinar(const char *secret, size_t secret_len, const struct uuid *ordem,
                            int64_t expira_em, char out[ORCAMENTO_LINK_TOKEN_MAX]);

/* Checks token at time agora (Unix seconds); on OK *ordem is the order it names. */
enum orcamento_link_resultado orcamento_link_verificar(const char *secret, size_t secret_len,
                                                       const char *token, int64_t agora,
                                                       struct uuid *ordem);

#endif
